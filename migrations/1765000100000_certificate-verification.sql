-- Up Migration

-- A manager's decision on a qualification document (按摩师证, 健康证 …): verified, or rejected
-- with a reason the technician reads, and who decided when. `verified` stays the flag the public
-- profile's 已认证 badge is drawn from; the CHECK keeps it equal to the status.
ALTER TABLE technician_certificates
  ADD COLUMN status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'verified', 'rejected')),
  ADD COLUMN rejection_reason text CHECK (length(rejection_reason) BETWEEN 2 AND 500),
  ADD COLUMN reviewed_by      uuid,
  ADD COLUMN reviewed_at      timestamptz;

-- Rows verified before decisions were recorded keep their flag (no reviewer known).
UPDATE technician_certificates SET status = 'verified', reviewed_at = created_at WHERE verified;

ALTER TABLE technician_certificates
  ADD CONSTRAINT technician_certificates_reviewer_fk
    FOREIGN KEY (tenant_id, reviewed_by) REFERENCES staff_accounts (tenant_id, id),
  ADD CONSTRAINT technician_certificates_verified_status CHECK (verified = (status = 'verified')),
  ADD CONSTRAINT technician_certificates_rejection CHECK ((status = 'rejected') = (rejection_reason IS NOT NULL)),
  ADD CONSTRAINT technician_certificates_reviewed CHECK ((status = 'pending') = (reviewed_at IS NULL));

-- Down Migration
ALTER TABLE technician_certificates
  DROP CONSTRAINT technician_certificates_reviewed,
  DROP CONSTRAINT technician_certificates_rejection,
  DROP CONSTRAINT technician_certificates_verified_status,
  DROP CONSTRAINT technician_certificates_reviewer_fk,
  DROP COLUMN reviewed_at,
  DROP COLUMN reviewed_by,
  DROP COLUMN rejection_reason,
  DROP COLUMN status;
