-- Up Migration

-- The current tenant of the transaction, or NULL (fail closed) when none is set.
-- nullif: after a transaction-local set_config ends, the setting reads '' on a pooled connection.
CREATE FUNCTION current_tenant_id() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;
GRANT EXECUTE ON FUNCTION current_tenant_id() TO massage_app;

-- Append-only guard shared by audit tables.
CREATE FUNCTION forbid_mutation() RETURNS trigger
  LANGUAGE plpgsql
  AS $$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = '42501'; END $$;

CREATE FUNCTION touch_updated_at() RETURNS trigger
  LANGUAGE plpgsql
  AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;

---------------------------------------------------------------------------------------------------
-- Platform-wide tables (few and explicit)
---------------------------------------------------------------------------------------------------

-- A tenant is one store. Its public profile is readable by anyone (the H5 site needs it before
-- sign-in); a store may edit only its own branding columns; status changes only through the
-- platform functions below.
CREATE TABLE tenants (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug          text NOT NULL UNIQUE CHECK (slug ~ '^[a-z][a-z0-9-]{1,28}[a-z0-9]$'),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'suspended', 'rejected')),
  status_reason text,
  city          text NOT NULL,
  address       text,
  display_name  text NOT NULL,
  logo_url      text,
  theme_color   text NOT NULL DEFAULT '#ee0a24' CHECK (theme_color ~ '^#[0-9a-f]{6}$'),
  timezone      text NOT NULL DEFAULT 'Asia/Shanghai',
  locale        text NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en')),
  approved_at   timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER tenants_touch BEFORE UPDATE ON tenants FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenants_public_read ON tenants FOR SELECT USING (true);
CREATE POLICY tenants_self_insert ON tenants FOR INSERT
  WITH CHECK (id = (SELECT current_tenant_id()) AND status = 'pending');
CREATE POLICY tenants_self_update ON tenants FOR UPDATE
  USING (id = (SELECT current_tenant_id())) WITH CHECK (id = (SELECT current_tenant_id()));
GRANT SELECT, INSERT ON tenants TO massage_app;
GRANT UPDATE (name, display_name, logo_url, theme_color, city, address, timezone, locale) ON tenants TO massage_app;

-- Franchise sign-ups waiting for e-mail verification. Becomes a pending tenant when verified.
CREATE TABLE tenant_applications (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email         text NOT NULL CHECK (email = lower(email)),
  password_hash text NOT NULL,
  owner_name    text NOT NULL,
  store_name    text NOT NULL,
  slug          text NOT NULL,
  city          text NOT NULL,
  phone_enc     bytea NOT NULL,
  phone_hash    bytea NOT NULL,
  locale        text NOT NULL DEFAULT 'zh-CN',
  token_hash    bytea NOT NULL UNIQUE,
  expires_at    timestamptz NOT NULL,
  verified_at   timestamptz,
  tenant_id     uuid REFERENCES tenants (id),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tenant_applications_slug_idx ON tenant_applications (slug) WHERE verified_at IS NULL;
GRANT SELECT, INSERT, UPDATE ON tenant_applications TO massage_app;

CREATE TABLE platform_operators (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email         text NOT NULL UNIQUE CHECK (email = lower(email)),
  password_hash text NOT NULL,
  name          text NOT NULL,
  disabled_at   timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON platform_operators TO massage_app;

CREATE TABLE operator_sessions (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  operator_id    uuid NOT NULL REFERENCES platform_operators (id),
  user_agent     text,
  ip             inet,
  created_at     timestamptz NOT NULL DEFAULT now(),
  last_used_at   timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,
  revoked_at     timestamptz,
  revoked_reason text
);
CREATE TABLE operator_refresh_tokens (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  session_id  uuid NOT NULL REFERENCES operator_sessions (id),
  token_hash  bytea NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  used_at     timestamptz
);
GRANT SELECT, INSERT, UPDATE ON operator_sessions, operator_refresh_tokens TO massage_app;

-- Platform audit trail: operator sign-ins, tenant approvals, every crossing of the tenant wall.
CREATE TABLE platform_audit_events (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  actor_type       text NOT NULL,
  actor_id         text,
  action           text NOT NULL,
  target_tenant_id uuid,
  target_type      text,
  target_id        text,
  ip               inet,
  details          jsonb NOT NULL DEFAULT '{}',
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX platform_audit_events_created_idx ON platform_audit_events (created_at DESC);
CREATE TRIGGER platform_audit_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON platform_audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_mutation();
GRANT SELECT, INSERT ON platform_audit_events TO massage_app;

---------------------------------------------------------------------------------------------------
-- Tenant-owned tables: tenant_id leads the primary key, RLS enabled + forced, fail-closed policy.
---------------------------------------------------------------------------------------------------

CREATE TABLE staff_accounts (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  email         text NOT NULL CHECK (email = lower(email)),
  password_hash text NOT NULL,
  name          text NOT NULL,
  role          text NOT NULL CHECK (role IN ('tenant_owner', 'store_manager', 'store_staff')),
  phone_enc     bytea,
  phone_hash    bytea,
  disabled_at   timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, email)
);
CREATE TRIGGER staff_accounts_touch BEFORE UPDATE ON staff_accounts FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- A customer belongs to one store: the same phone is a different customer at another store.
CREATE TABLE customers (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  phone_enc     bytea NOT NULL,
  phone_hash    bytea NOT NULL,
  phone_masked  text NOT NULL,
  nickname      text,
  last_login_at timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, phone_hash)
);

CREATE TABLE technicians (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  phone_enc     bytea NOT NULL,
  phone_hash    bytea NOT NULL,
  phone_masked  text NOT NULL,
  name          text,
  status        text NOT NULL DEFAULT 'applicant'
                CHECK (status IN ('applicant', 'pending_review', 'approved', 'rejected', 'disabled')),
  last_login_at timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, phone_hash)
);
CREATE TRIGGER technicians_touch BEFORE UPDATE ON technicians FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE TABLE auth_sessions (
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  principal_type text NOT NULL CHECK (principal_type IN ('staff', 'customer', 'technician')),
  principal_id   uuid NOT NULL,
  user_agent     text,
  ip             inet,
  created_at     timestamptz NOT NULL DEFAULT now(),
  last_used_at   timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,
  revoked_at     timestamptz,
  revoked_reason text,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX auth_sessions_principal_idx ON auth_sessions (tenant_id, principal_type, principal_id);

CREATE TABLE refresh_tokens (
  tenant_id   uuid NOT NULL,
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  session_id  uuid NOT NULL,
  token_hash  bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  used_at     timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, token_hash),
  FOREIGN KEY (tenant_id, session_id) REFERENCES auth_sessions (tenant_id, id)
);

CREATE TABLE audit_events (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  actor_type  text NOT NULL,
  actor_id    text,
  action      text NOT NULL,
  target_type text,
  target_id   text,
  ip          inet,
  details     jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_events_created_idx ON audit_events (tenant_id, created_at DESC);
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_mutation();

-- The tenancy wall, applied the same way to every tenant table.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['staff_accounts', 'customers', 'technicians', 'auth_sessions', 'refresh_tokens', 'audit_events']
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

GRANT SELECT, INSERT, UPDATE, DELETE ON staff_accounts, customers, technicians TO massage_app;
GRANT SELECT, INSERT, UPDATE ON auth_sessions, refresh_tokens TO massage_app;
GRANT SELECT, INSERT ON audit_events TO massage_app;

---------------------------------------------------------------------------------------------------
-- The platform path: the only way across the tenant wall. SECURITY DEFINER functions owned by
-- massage_platform (BYPASSRLS, narrow grants), each call audited in the same transaction.
---------------------------------------------------------------------------------------------------
CREATE SCHEMA platform;
GRANT USAGE ON SCHEMA platform TO massage_app;
GRANT USAGE, CREATE ON SCHEMA platform TO massage_platform;
GRANT SELECT ON tenants, staff_accounts TO massage_platform;
GRANT UPDATE (status, status_reason, approved_at) ON tenants TO massage_platform;
GRANT INSERT ON platform_audit_events TO massage_platform;

CREATE FUNCTION platform.set_tenant_status(
  p_tenant_id uuid, p_status text, p_reason text, p_actor_type text, p_actor_id text, p_ip inet
) RETURNS TABLE (id uuid, slug text, name text, status text, locale text, owner_email text, owner_name text)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  v_from text;
BEGIN
  SELECT t.status INTO v_from FROM tenants t WHERE t.id = p_tenant_id FOR UPDATE;
  IF v_from IS NULL THEN
    RAISE EXCEPTION 'tenant not found' USING ERRCODE = 'P0002';
  END IF;
  IF NOT ((v_from = 'pending'   AND p_status IN ('active', 'rejected'))
       OR (v_from = 'active'    AND p_status = 'suspended')
       OR (v_from = 'suspended' AND p_status = 'active')) THEN
    RAISE EXCEPTION 'illegal tenant status change % -> %', v_from, p_status USING ERRCODE = 'P0001';
  END IF;
  IF p_status IN ('rejected', 'suspended') AND coalesce(trim(p_reason), '') = '' THEN
    RAISE EXCEPTION 'a reason is required' USING ERRCODE = '22023';
  END IF;

  UPDATE tenants t
     SET status = p_status,
         status_reason = p_reason,
         approved_at = CASE WHEN p_status = 'active' AND t.approved_at IS NULL THEN now() ELSE t.approved_at END
   WHERE t.id = p_tenant_id;

  INSERT INTO platform_audit_events (actor_type, actor_id, action, target_tenant_id, target_type, target_id, ip, details)
  VALUES (p_actor_type, p_actor_id, 'tenant.status.' || p_status, p_tenant_id, 'tenant', p_tenant_id::text, p_ip,
          jsonb_build_object('from', v_from, 'to', p_status, 'reason', p_reason));

  RETURN QUERY
    SELECT t.id, t.slug, t.name, t.status, t.locale, s.email, s.name
      FROM tenants t
      LEFT JOIN LATERAL (
        SELECT sa.email, sa.name FROM staff_accounts sa
         WHERE sa.tenant_id = t.id AND sa.role = 'tenant_owner' AND sa.disabled_at IS NULL
         ORDER BY sa.created_at LIMIT 1
      ) s ON true
     WHERE t.id = p_tenant_id;
END
$$;
ALTER FUNCTION platform.set_tenant_status(uuid, text, text, text, text, inet) OWNER TO massage_platform;
REVOKE ALL ON FUNCTION platform.set_tenant_status(uuid, text, text, text, text, inet) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.set_tenant_status(uuid, text, text, text, text, inet) TO massage_app;

-- Down Migration
DROP SCHEMA platform CASCADE;
DROP TABLE audit_events, refresh_tokens, auth_sessions, technicians, customers, staff_accounts,
  platform_audit_events, operator_refresh_tokens, operator_sessions, platform_operators,
  tenant_applications, tenants;
DROP FUNCTION touch_updated_at(), forbid_mutation(), current_tenant_id();
