-- Up Migration

-- Which payment methods a store offers beyond its merchant accounts (merchant_credentials say
-- wechat/alipay): pay on arrival (到付) and, where the server runs the sandbox, the sandbox.
-- No row = the defaults (both offered, as before this table existed).
CREATE TABLE payment_settings (
  tenant_id          uuid NOT NULL REFERENCES tenants (id),
  on_arrival_enabled boolean NOT NULL DEFAULT true,
  sandbox_enabled    boolean NOT NULL DEFAULT true,
  updated_by         uuid,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id)
);
CREATE TRIGGER payment_settings_touch BEFORE UPDATE ON payment_settings
  FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

ALTER TABLE payment_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE payment_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON payment_settings FOR ALL
  USING (tenant_id = (SELECT current_tenant_id()))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()));

GRANT SELECT, INSERT, UPDATE ON payment_settings TO massage_app;

-- Down Migration
DROP TABLE payment_settings;
