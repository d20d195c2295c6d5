-- Up Migration

-- 到付 refunds leave the store as cash handed back by staff. A cash refund waits (`processing`)
-- until a staff member records the hand-back: a reference (receipt number), who, when. Only then
-- is it booked, so the ledger's cash refund always has this record as its counterpart.
ALTER TABLE refunds ADD COLUMN cash_reference text CHECK (length(cash_reference) BETWEEN 1 AND 64);
ALTER TABLE refunds ADD COLUMN cash_handed_back_by uuid;
ALTER TABLE refunds ADD COLUMN cash_handed_back_at timestamptz;
ALTER TABLE refunds ADD CONSTRAINT refunds_cash_handover_fkey
  FOREIGN KEY (tenant_id, cash_handed_back_by) REFERENCES staff_accounts (tenant_id, id);
ALTER TABLE refunds ADD CONSTRAINT refunds_cash_handover_complete CHECK (
  (cash_reference IS NULL) = (cash_handed_back_by IS NULL)
  AND (cash_reference IS NULL) = (cash_handed_back_at IS NULL)
  AND (cash_reference IS NULL OR status = 'succeeded'));

-- Down Migration
ALTER TABLE refunds DROP CONSTRAINT refunds_cash_handover_complete;
ALTER TABLE refunds DROP COLUMN cash_handed_back_at, DROP COLUMN cash_handed_back_by, DROP COLUMN cash_reference;
