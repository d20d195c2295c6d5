-- Up Migration
-- Technician safety (SOS) and income withdrawals (提现). Payouts post to the ledger as
-- `technician_payout` transactions: technician_payable (debit) against `technician_payouts`
-- (credit: money that left the store to the technician's account, by the payout reference).

CREATE TABLE sos_alerts (
  tenant_id       uuid NOT NULL REFERENCES tenants (id),
  id              uuid NOT NULL DEFAULT gen_random_uuid(),
  technician_id   uuid NOT NULL,
  order_id        uuid,
  lat             double precision CHECK (lat BETWEEN -90 AND 90),
  lng             double precision CHECK (lng BETWEEN -180 AND 180),
  location_source text NOT NULL CHECK (location_source IN ('reported', 'last_known', 'none')),
  note            text CHECK (length(note) <= 500),
  status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged')),
  acknowledged_by uuid,
  acknowledged_at timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, technician_id) REFERENCES technicians (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
  CONSTRAINT sos_alerts_location_pair CHECK ((lat IS NULL) = (lng IS NULL))
);
CREATE INDEX sos_alerts_status_idx ON sos_alerts (tenant_id, status, created_at);

CREATE TABLE withdrawals (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  technician_id uuid NOT NULL,
  amount_fen    integer NOT NULL CHECK (amount_fen > 0),
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'paid')),
  reason        text CHECK (length(reason) <= 200),
  reference     text CHECK (length(reference) <= 100),
  decided_by    uuid,
  decided_at    timestamptz,
  paid_at       timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, technician_id) REFERENCES technicians (tenant_id, id)
);
CREATE INDEX withdrawals_technician_idx ON withdrawals (tenant_id, technician_id, status);
CREATE TRIGGER withdrawals_touch BEFORE UPDATE ON withdrawals FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['sos_alerts', 'withdrawals']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I FOR ALL
         USING (tenant_id = (SELECT current_tenant_id()))
         WITH CHECK (tenant_id = (SELECT current_tenant_id()))', t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE ON sos_alerts, withdrawals TO massage_app;

-- 加钟 proposed by the technician waits for the customer's confirmation before it extends the order.
ALTER TABLE order_extensions DROP CONSTRAINT order_extensions_status_check;
ALTER TABLE order_extensions ADD CONSTRAINT order_extensions_status_check
  CHECK (status IN ('proposed', 'pending_payment', 'paid', 'cancelled'));

-- The ledger learns the payout movement and its counter-account.
ALTER TABLE journal_transactions DROP CONSTRAINT journal_transactions_kind_check;
ALTER TABLE journal_transactions ADD CONSTRAINT journal_transactions_kind_check CHECK (kind IN (
  'payment', 'refund', 'cancellation_fee', 'order_settlement', 'cash_collection', 'wallet_topup', 'overpayment',
  'correction', 'technician_payout'));
ALTER TABLE journal_entries DROP CONSTRAINT journal_entries_account_check;
ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_account_check CHECK (account ~ (
  '^(clearing:(wechat|alipay|sandbox|cash)|store_revenue|platform_fee|wallet_funding|technician_payouts'
  || '|(customer_wallet|order_liability|technician_payable|cash_on_hand):'
  || '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$'));

-- Down Migration
ALTER TABLE journal_entries DROP CONSTRAINT journal_entries_account_check;
ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_account_check CHECK (account ~ (
  '^(clearing:(wechat|alipay|sandbox|cash)|store_revenue|platform_fee|wallet_funding'
  || '|(customer_wallet|order_liability|technician_payable|cash_on_hand):'
  || '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$'));
ALTER TABLE journal_transactions DROP CONSTRAINT journal_transactions_kind_check;
ALTER TABLE journal_transactions ADD CONSTRAINT journal_transactions_kind_check CHECK (kind IN (
  'payment', 'refund', 'cancellation_fee', 'order_settlement', 'cash_collection', 'wallet_topup', 'overpayment',
  'correction'));
UPDATE order_extensions SET status = 'cancelled' WHERE status = 'proposed';
ALTER TABLE order_extensions DROP CONSTRAINT order_extensions_status_check;
ALTER TABLE order_extensions ADD CONSTRAINT order_extensions_status_check
  CHECK (status IN ('pending_payment', 'paid', 'cancelled'));
DROP TABLE withdrawals, sos_alerts;
