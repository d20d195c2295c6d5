-- Up Migration

-- Refunds the provider answered "processing" are followed up: by its refund notification
-- (WeChat REFUND.*) and by reconciliation queries. Both are logged in payment_callbacks and what
-- does not match is a payment_mismatches finding, now naming the refund it is about.

-- How often reconciliation has asked the provider about a refund (updated_at says when).
ALTER TABLE refunds ADD COLUMN query_count integer NOT NULL DEFAULT 0;

ALTER TABLE payment_callbacks ADD COLUMN refund_id uuid;
ALTER TABLE payment_callbacks ADD CONSTRAINT payment_callbacks_refund_fkey
  FOREIGN KEY (tenant_id, refund_id) REFERENCES refunds (tenant_id, id);

ALTER TABLE payment_mismatches ADD COLUMN refund_id uuid;
ALTER TABLE payment_mismatches ADD COLUMN out_refund_no text;
ALTER TABLE payment_mismatches ADD CONSTRAINT payment_mismatches_refund_fkey
  FOREIGN KEY (tenant_id, refund_id) REFERENCES refunds (tenant_id, id);
ALTER TABLE payment_mismatches DROP CONSTRAINT payment_mismatches_kind_check;
ALTER TABLE payment_mismatches ADD CONSTRAINT payment_mismatches_kind_check CHECK (kind IN (
  'amount', 'currency', 'merchant', 'unknown_trade', 'paid_but_cancelled', 'duplicate_payment', 'status',
  'unknown_refund'));
-- A refund finding is recorded once however often the notification or query repeats it (refund
-- findings leave out_trade_no empty, so the payment findings' index never sees them).
CREATE UNIQUE INDEX payment_mismatches_refund_once ON payment_mismatches (tenant_id, kind, out_refund_no, source)
  WHERE resolved_at IS NULL AND out_refund_no IS NOT NULL;

-- Down Migration
DROP INDEX payment_mismatches_refund_once;
DELETE FROM payment_mismatches WHERE out_refund_no IS NOT NULL;
ALTER TABLE payment_mismatches DROP CONSTRAINT payment_mismatches_kind_check;
ALTER TABLE payment_mismatches ADD CONSTRAINT payment_mismatches_kind_check CHECK (kind IN (
  'amount', 'currency', 'merchant', 'unknown_trade', 'paid_but_cancelled', 'duplicate_payment', 'status'));
ALTER TABLE payment_mismatches DROP COLUMN out_refund_no, DROP COLUMN refund_id;
ALTER TABLE payment_callbacks DROP COLUMN refund_id;
ALTER TABLE refunds DROP COLUMN query_count;
