-- Up Migration

-- A reconciliation finding is closed by a manager who looked into it: who, when, and what they
-- found (e.g. "refunded by hand in the merchant console"). Resolving frees the finding's
-- once-only index slot (payment_mismatches_once is partial on resolved_at IS NULL), so the same
-- problem reported again later is a new finding.
ALTER TABLE payment_mismatches ADD COLUMN resolved_by uuid;
ALTER TABLE payment_mismatches ADD COLUMN resolution text CHECK (length(resolution) BETWEEN 1 AND 500);
ALTER TABLE payment_mismatches ADD CONSTRAINT payment_mismatches_resolved_by_fkey
  FOREIGN KEY (tenant_id, resolved_by) REFERENCES staff_accounts (tenant_id, id);
ALTER TABLE payment_mismatches ADD CONSTRAINT payment_mismatches_resolution_complete CHECK (
  (resolved_at IS NULL) = (resolved_by IS NULL) AND (resolved_at IS NULL) = (resolution IS NULL));

-- Down Migration
ALTER TABLE payment_mismatches DROP CONSTRAINT payment_mismatches_resolution_complete;
ALTER TABLE payment_mismatches DROP CONSTRAINT payment_mismatches_resolved_by_fkey;
ALTER TABLE payment_mismatches DROP COLUMN resolution, DROP COLUMN resolved_by;
