-- Up Migration

-- The order core: a customer's address book, stored quotes, orders with their event log,
-- extensions (加钟), per-store order settings, the per-store daily order-number counter and
-- refund requests (executed by the payments/ledger modules). Money is integer fen, times UTC.

-- Address book. The phone is encrypted (AAD = tenant + column), hashed for lookups, masked for
-- display. Addresses are soft-deleted: orders keep their own encrypted snapshot anyway.
CREATE TABLE customer_addresses (
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id  uuid NOT NULL,
  contact_name text NOT NULL CHECK (length(contact_name) BETWEEN 1 AND 30),
  phone_enc    bytea NOT NULL,
  phone_hash   bytea NOT NULL,
  phone_masked text NOT NULL,
  lat          double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lng          double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
  address_text text NOT NULL CHECK (length(address_text) BETWEEN 1 AND 200),
  house_number text NOT NULL CHECK (length(house_number) BETWEEN 1 AND 60),
  kind         text NOT NULL CHECK (kind IN ('home', 'hotel')),
  is_default   boolean NOT NULL DEFAULT false,
  deleted_at   timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX customer_addresses_customer_idx ON customer_addresses (tenant_id, customer_id);
-- At most one live default per customer.
CREATE UNIQUE INDEX customer_addresses_one_default ON customer_addresses (tenant_id, customer_id)
  WHERE is_default AND deleted_at IS NULL;
CREATE TRIGGER customer_addresses_touch BEFORE UPDATE ON customer_addresses
  FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- Per-store order rules. No row = the defaults below (the code reads them from the same place).
-- cancellation_fees: [{"withinMinutes": 120, "feePercent": 20}, {"withinMinutes": 30, "feePercent": 50}]
CREATE TABLE order_settings (
  tenant_id                 uuid NOT NULL REFERENCES tenants (id),
  order_number_prefix       text CHECK (order_number_prefix ~ '^[A-Z]{1,4}$'),
  unpaid_timeout_minutes    integer NOT NULL DEFAULT 15 CHECK (unpaid_timeout_minutes BETWEEN 1 AND 1440),
  reminder_minutes_before   integer NOT NULL DEFAULT 60 CHECK (reminder_minutes_before BETWEEN 0 AND 1440),
  overrun_grace_minutes     integer NOT NULL DEFAULT 15 CHECK (overrun_grace_minutes BETWEEN 0 AND 240),
  free_cancel_minutes       integer NOT NULL DEFAULT 120 CHECK (free_cancel_minutes BETWEEN 0 AND 10080),
  cancellation_fees         jsonb NOT NULL DEFAULT '[{"withinMinutes": 120, "feePercent": 20}, {"withinMinutes": 30, "feePercent": 50}]'
                            CHECK (jsonb_typeof(cancellation_fees) = 'array'),
  technician_fee_share_pct  integer NOT NULL DEFAULT 50 CHECK (technician_fee_share_pct BETWEEN 0 AND 100),
  updated_at                timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id)
);
CREATE TRIGGER order_settings_touch BEFORE UPDATE ON order_settings FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- A priced, stored quote. The client never sends prices: an order copies these lines.
CREATE TABLE quotes (
  tenant_id        uuid NOT NULL REFERENCES tenants (id),
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id      uuid NOT NULL,
  service_id       uuid NOT NULL,
  service_name     text NOT NULL,
  duration_minutes integer NOT NULL CHECK (duration_minutes > 0),
  total_minutes    integer NOT NULL CHECK (total_minutes >= duration_minutes),
  addons           jsonb NOT NULL DEFAULT '[]',
  address_id       uuid NOT NULL,
  technician_id    uuid,
  start_at         timestamptz NOT NULL,
  end_at           timestamptz NOT NULL CHECK (end_at > start_at),
  distance_m       integer NOT NULL CHECK (distance_m >= 0),
  distance_origin  text NOT NULL CHECK (distance_origin IN ('store', 'technician_home', 'technician_last', 'none')),
  lines            jsonb NOT NULL,
  subtotal_fen     integer NOT NULL CHECK (subtotal_fen >= 0),
  adjustments_fen  integer NOT NULL CHECK (adjustments_fen <= 0),
  total_fen        integer NOT NULL CHECK (total_fen >= 0),
  expires_at       timestamptz NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
  FOREIGN KEY (tenant_id, service_id) REFERENCES services (tenant_id, id),
  FOREIGN KEY (tenant_id, address_id) REFERENCES customer_addresses (tenant_id, id),
  FOREIGN KEY (tenant_id, technician_id) REFERENCES technicians (tenant_id, id)
);
CREATE INDEX quotes_customer_idx ON quotes (tenant_id, customer_id, created_at);

-- Per-store, per-local-day order sequence: bumped with INSERT … ON CONFLICT DO UPDATE … RETURNING
-- inside the order's transaction, so numbers are gap-free (a rolled-back order returns its number).
CREATE TABLE order_number_counters (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  local_date date NOT NULL,
  last_seq   integer NOT NULL CHECK (last_seq > 0),
  PRIMARY KEY (tenant_id, local_date)
);

CREATE TABLE orders (
  tenant_id          uuid NOT NULL REFERENCES tenants (id),
  id                 uuid NOT NULL DEFAULT gen_random_uuid(),
  order_no           text NOT NULL,
  customer_id        uuid NOT NULL,
  quote_id           uuid NOT NULL,
  status             text NOT NULL DEFAULT 'pending_payment' CHECK (status IN (
                       'pending_payment', 'paid', 'dispatching', 'assigned', 'accepted', 'departed', 'arrived',
                       'in_service', 'completed', 'reviewed', 'cancelled', 'refunded', 'partially_refunded')),
  payment_method     text NOT NULL CHECK (payment_method IN ('wechat', 'alipay', 'balance', 'on_arrival', 'sandbox')),
  service_id         uuid NOT NULL,
  service_name       text NOT NULL,
  duration_minutes   integer NOT NULL CHECK (duration_minutes > 0),
  total_minutes      integer NOT NULL CHECK (total_minutes > 0),
  technician_id      uuid,
  -- busy-time hold taken at booking when a technician was chosen (scheduling's technician_busy)
  hold_id            uuid,
  start_at           timestamptz NOT NULL,
  end_at             timestamptz NOT NULL CHECK (end_at > start_at),
  lines              jsonb NOT NULL,
  subtotal_fen       integer NOT NULL CHECK (subtotal_fen >= 0),
  adjustments_fen    integer NOT NULL CHECK (adjustments_fen <= 0),
  total_fen          integer NOT NULL CHECK (total_fen >= 0),
  paid_fen           integer NOT NULL DEFAULT 0 CHECK (paid_fen >= 0),
  refunded_fen       integer NOT NULL DEFAULT 0 CHECK (refunded_fen >= 0 AND refunded_fen <= paid_fen),
  -- encrypted JSON {contactName, phone, addressText, houseNumber} (AAD = tenant + column)
  address_enc        bytea NOT NULL,
  address_kind       text NOT NULL CHECK (address_kind IN ('home', 'hotel')),
  address_lat        double precision NOT NULL,
  address_lng        double precision NOT NULL,
  contact_phone_masked text NOT NULL,
  notes              text CHECK (length(notes) <= 500),
  idempotency_key    text NOT NULL CHECK (length(idempotency_key) BETWEEN 8 AND 128),
  request_hash       bytea NOT NULL,
  payment_due_at     timestamptz,
  payment_id         text,
  paid_at            timestamptz,
  cancelled_at       timestamptz,
  cancel_reason      text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, order_no),
  UNIQUE (tenant_id, customer_id, idempotency_key),
  UNIQUE (tenant_id, quote_id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
  FOREIGN KEY (tenant_id, quote_id) REFERENCES quotes (tenant_id, id),
  FOREIGN KEY (tenant_id, service_id) REFERENCES services (tenant_id, id),
  FOREIGN KEY (tenant_id, technician_id) REFERENCES technicians (tenant_id, id)
);
CREATE INDEX orders_customer_idx ON orders (tenant_id, customer_id, created_at);
CREATE INDEX orders_status_idx ON orders (tenant_id, status, start_at);
CREATE INDEX orders_technician_idx ON orders (tenant_id, technician_id, start_at);
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- Every status change, written in the same transaction as the change (OrderTransitions.apply).
CREATE TABLE order_events (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  order_id    uuid NOT NULL,
  event       text NOT NULL,
  from_status text NOT NULL,
  to_status   text NOT NULL,
  actor_type  text NOT NULL CHECK (actor_type IN ('staff', 'customer', 'technician', 'system')),
  actor_id    text,
  reason      text,
  details     jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX order_events_order_idx ON order_events (tenant_id, order_id, created_at);
CREATE TRIGGER order_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON order_events
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_mutation();

-- 加钟 during service: a supplementary charge the payments module collects.
CREATE TABLE order_extensions (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  id         uuid NOT NULL DEFAULT gen_random_uuid(),
  order_id   uuid NOT NULL,
  addon_id   uuid,
  minutes    integer NOT NULL CHECK (minutes > 0),
  amount_fen integer NOT NULL CHECK (amount_fen >= 0),
  status     text NOT NULL DEFAULT 'pending_payment' CHECK (status IN ('pending_payment', 'paid', 'cancelled')),
  payment_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
  FOREIGN KEY (tenant_id, addon_id) REFERENCES service_addons (tenant_id, id)
);
CREATE INDEX order_extensions_order_idx ON order_extensions (tenant_id, order_id);
CREATE TRIGGER order_extensions_touch BEFORE UPDATE ON order_extensions FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- What is owed back to a customer, computed by the cancellation policy. The payments module
-- executes `pending` requests (→ executed / failed); `awaiting_approval` ones (beyond policy)
-- wait for staff (→ pending / rejected).
CREATE TABLE refund_requests (
  tenant_id            uuid NOT NULL REFERENCES tenants (id),
  id                   uuid NOT NULL DEFAULT gen_random_uuid(),
  order_id             uuid NOT NULL,
  amount_fen           integer NOT NULL CHECK (amount_fen >= 0),
  fee_fen              integer NOT NULL CHECK (fee_fen >= 0),
  technician_share_fen integer NOT NULL CHECK (technician_share_fen >= 0 AND technician_share_fen <= fee_fen),
  status               text NOT NULL CHECK (status IN ('awaiting_approval', 'pending', 'executed', 'failed', 'rejected')),
  reason               text,
  policy               jsonb NOT NULL DEFAULT '{}',
  requested_by_type    text NOT NULL,
  requested_by_id      text,
  decided_by           uuid,
  decided_at           timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX refund_requests_status_idx ON refund_requests (tenant_id, status, created_at);
CREATE INDEX refund_requests_order_idx ON refund_requests (tenant_id, order_id);
CREATE TRIGGER refund_requests_touch BEFORE UPDATE ON refund_requests FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['customer_addresses', 'order_settings', 'quotes', 'order_number_counters', 'orders',
                           'order_events', 'order_extensions', 'refund_requests']
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

GRANT SELECT, INSERT, UPDATE ON customer_addresses, order_settings, order_number_counters, orders,
  order_extensions, refund_requests TO massage_app;
GRANT SELECT, INSERT ON quotes, order_events TO massage_app;

-- Down Migration
DROP TABLE refund_requests, order_extensions, order_events, orders, order_number_counters, quotes,
  order_settings, customer_addresses;
