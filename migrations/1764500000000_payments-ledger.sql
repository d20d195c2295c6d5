-- Up Migration

-- Money: an append-only double-entry ledger, per-store merchant credentials, payments with their
-- callback log, reconciliation findings and refunds. Amounts are integer fen.

---------------------------------------------------------------------------------------------------
-- Ledger. One journal transaction = one money movement; its entries sum to zero (debit +,
-- credit −), proven at COMMIT by a deferred constraint trigger. Nothing is ever updated or
-- deleted: a correction is a new transaction. Accounts are text codes (see ledger-accounts.ts):
--   clearing:{wechat|alipay|sandbox|cash}  money held by a provider / paid out in cash
--   customer_wallet:{customerId}            stored value owed to a customer (credit balance)
--   order_liability:{orderId}               money received for an order not yet earned
--   store_revenue, platform_fee             earned
--   technician_payable:{technicianId}       owed to a technician
--   cash_on_hand:{technicianId}             cash a technician collected (到付) for the store
--   wallet_funding                          counter-account of wallet top-ups and adjustments
---------------------------------------------------------------------------------------------------
CREATE TABLE journal_transactions (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  id         uuid NOT NULL DEFAULT gen_random_uuid(),
  kind       text NOT NULL CHECK (kind IN ('payment', 'refund', 'cancellation_fee', 'order_settlement',
                                           'cash_collection', 'wallet_topup', 'overpayment', 'correction')),
  order_id   uuid,
  -- the payment / refund / request this movement belongs to: (kind, reference) is unique, so the
  -- same money movement can never be posted twice, whatever the callers do
  reference  text,
  memo       text NOT NULL CHECK (length(memo) <= 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE UNIQUE INDEX journal_transactions_reference_key ON journal_transactions (tenant_id, kind, reference)
  WHERE reference IS NOT NULL;
CREATE INDEX journal_transactions_order_idx ON journal_transactions (tenant_id, order_id);

CREATE TABLE journal_entries (
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  transaction_id uuid NOT NULL,
  line_no        integer NOT NULL CHECK (line_no > 0),
  account        text NOT NULL CHECK (account ~ (
    '^(clearing:(wechat|alipay|sandbox|cash)|store_revenue|platform_fee|wallet_funding'
    || '|(customer_wallet|order_liability|technician_payable|cash_on_hand):'
    || '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$')),
  amount_fen     bigint NOT NULL CHECK (amount_fen <> 0),
  PRIMARY KEY (tenant_id, transaction_id, line_no),
  FOREIGN KEY (tenant_id, transaction_id) REFERENCES journal_transactions (tenant_id, id)
);
CREATE INDEX journal_entries_account_idx ON journal_entries (tenant_id, account);

-- Every transaction touched by the committing unit of work must have ≥ 2 lines summing to zero.
-- Deferred: the lines are inserted one by one and only the finished transaction must balance.
CREATE FUNCTION journal_assert_balanced() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  -- the column naming the journal transaction: `id` on journal_transactions, `transaction_id` on entries
  tx uuid := (to_jsonb(NEW) ->> TG_ARGV[0])::uuid;
  total numeric;
  lines integer;
BEGIN
  SELECT coalesce(sum(amount_fen), 0), count(*) INTO total, lines
    FROM journal_entries WHERE tenant_id = NEW.tenant_id AND transaction_id = tx;
  IF lines < 2 OR total <> 0 THEN
    RAISE EXCEPTION 'journal transaction % is unbalanced (% lines, sum %)', tx, lines, total
      USING ERRCODE = '23514';
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER journal_transactions_balanced AFTER INSERT ON journal_transactions
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION journal_assert_balanced('id');
CREATE CONSTRAINT TRIGGER journal_entries_balanced AFTER INSERT ON journal_entries
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION journal_assert_balanced('transaction_id');

CREATE TRIGGER journal_transactions_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON journal_transactions
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_mutation();
CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON journal_entries
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_mutation();

---------------------------------------------------------------------------------------------------
-- Merchant credentials: one row per store and provider, the provider's config as encrypted JSON
-- (FieldCipher, AAD = tenant + provider). `merchant_id` is the public merchant number, kept in
-- clear so callbacks can be checked against it without decrypting.
---------------------------------------------------------------------------------------------------
CREATE TABLE merchant_credentials (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  provider    text NOT NULL CHECK (provider IN ('wechat', 'alipay')),
  merchant_id text NOT NULL CHECK (length(merchant_id) BETWEEN 1 AND 64),
  config_enc  bytea NOT NULL,
  enabled     boolean NOT NULL DEFAULT false,
  updated_by  uuid,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, provider)
);
CREATE TRIGGER merchant_credentials_touch BEFORE UPDATE ON merchant_credentials
  FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

---------------------------------------------------------------------------------------------------
-- Payments. `out_trade_no` is what the provider knows us by; callbacks find the payment by it.
---------------------------------------------------------------------------------------------------
CREATE TABLE payments (
  tenant_id         uuid NOT NULL REFERENCES tenants (id),
  id                uuid NOT NULL DEFAULT gen_random_uuid(),
  order_id          uuid NOT NULL,
  extension_id      uuid,
  kind              text NOT NULL CHECK (kind IN ('charge', 'supplement')),
  provider          text NOT NULL CHECK (provider IN ('wechat', 'alipay', 'balance', 'cash', 'sandbox')),
  channel           text NOT NULL CHECK (channel IN ('jsapi', 'h5', 'wap', 'internal')),
  out_trade_no      text NOT NULL CHECK (out_trade_no ~ '^[A-Za-z0-9_-]{6,32}$'),
  amount_fen        integer NOT NULL CHECK (amount_fen > 0),
  currency          text NOT NULL DEFAULT 'CNY' CHECK (currency = 'CNY'),
  status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed', 'closed')),
  provider_trade_no text,
  merchant_id       text,
  customer_id       uuid NOT NULL,
  paid_at           timestamptz,
  callback_count    integer NOT NULL DEFAULT 0,
  query_count       integer NOT NULL DEFAULT 0,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, out_trade_no),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
  FOREIGN KEY (tenant_id, extension_id) REFERENCES order_extensions (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX payments_order_idx ON payments (tenant_id, order_id);
CREATE INDEX payments_status_idx ON payments (tenant_id, status, created_at);
CREATE TRIGGER payments_touch BEFORE UPDATE ON payments FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- Every notification received (and every provider query made by reconciliation), with what we
-- made of it. Append-only: the evidence of what the providers told us.
CREATE TABLE payment_callbacks (
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  provider     text NOT NULL,
  source       text NOT NULL CHECK (source IN ('callback', 'query')),
  payment_id   uuid,
  out_trade_no text,
  outcome      text NOT NULL CHECK (outcome IN ('applied', 'replay', 'rejected', 'ignored')),
  reason       text,
  body_sha256  text,
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, payment_id) REFERENCES payments (tenant_id, id)
);
CREATE INDEX payment_callbacks_payment_idx ON payment_callbacks (tenant_id, payment_id);
CREATE INDEX payment_callbacks_received_idx ON payment_callbacks (tenant_id, received_at);
CREATE TRIGGER payment_callbacks_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON payment_callbacks
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_mutation();

-- What reconciliation found wrong (and callbacks that did not match): for staff to resolve.
CREATE TABLE payment_mismatches (
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  provider     text NOT NULL,
  source       text NOT NULL CHECK (source IN ('callback', 'query')),
  kind         text NOT NULL CHECK (kind IN ('amount', 'currency', 'merchant', 'unknown_trade',
                                             'paid_but_cancelled', 'duplicate_payment', 'status')),
  payment_id   uuid,
  out_trade_no text,
  details      jsonb NOT NULL DEFAULT '{}',
  resolved_at  timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, payment_id) REFERENCES payments (tenant_id, id)
);
CREATE INDEX payment_mismatches_created_idx ON payment_mismatches (tenant_id, created_at);
-- A finding is recorded once however many times the same notification is replayed.
CREATE UNIQUE INDEX payment_mismatches_once ON payment_mismatches (tenant_id, kind, out_trade_no, source)
  WHERE resolved_at IS NULL;

---------------------------------------------------------------------------------------------------
-- Refunds executed (or waiting for approval). A cancellation's `refund_requests` row becomes at
-- most one refund (refund_request_id unique); staff/customer refunds have no request.
---------------------------------------------------------------------------------------------------
CREATE TABLE refunds (
  tenant_id          uuid NOT NULL REFERENCES tenants (id),
  id                 uuid NOT NULL DEFAULT gen_random_uuid(),
  order_id           uuid NOT NULL,
  payment_id         uuid NOT NULL,
  refund_request_id  uuid,
  out_refund_no      text NOT NULL CHECK (out_refund_no ~ '^[A-Za-z0-9_-]{6,64}$'),
  amount_fen         integer NOT NULL CHECK (amount_fen > 0),
  reason             text NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
  status             text NOT NULL CHECK (status IN ('requested', 'approved', 'processing', 'succeeded',
                                                     'rejected', 'failed')),
  within_policy      boolean NOT NULL,
  requested_by_type  text NOT NULL CHECK (requested_by_type IN ('staff', 'customer', 'technician', 'system')),
  requested_by       text,
  approved_by        uuid,
  provider_refund_no text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, out_refund_no),
  UNIQUE (tenant_id, refund_request_id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
  FOREIGN KEY (tenant_id, payment_id) REFERENCES payments (tenant_id, id),
  FOREIGN KEY (tenant_id, refund_request_id) REFERENCES refund_requests (tenant_id, id)
);
CREATE INDEX refunds_order_idx ON refunds (tenant_id, order_id);
CREATE INDEX refunds_status_idx ON refunds (tenant_id, status, created_at);
CREATE TRIGGER refunds_touch BEFORE UPDATE ON refunds FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['journal_transactions', 'journal_entries', 'merchant_credentials', 'payments',
                           'payment_callbacks', 'payment_mismatches', 'refunds']
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

-- The ledger and the callback log are append-only for the app: INSERT and SELECT only.
GRANT SELECT, INSERT ON journal_transactions, journal_entries, payment_callbacks TO massage_app;
GRANT SELECT, INSERT, UPDATE ON merchant_credentials, payments, payment_mismatches, refunds TO massage_app;

-- Down Migration
DROP TABLE refunds, payment_mismatches, payment_callbacks, payments, merchant_credentials, journal_entries,
  journal_transactions;
DROP FUNCTION journal_assert_balanced();
