-- Runs as the administrative connection (DATABASE_URL) before every migration run; idempotent.
-- massage_owner: NOLOGIN, owns every object the numbered migrations create.
-- massage_app:   the role the API and workers log in as; owns nothing, cannot bypass RLS.
-- massage_platform: NOLOGIN, BYPASSRLS; owns only the SECURITY DEFINER functions of the `platform`
--                 schema (the named, audited path across the tenant wall) and has narrow grants.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'massage_owner') THEN
    CREATE ROLE massage_owner NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'massage_app') THEN
    CREATE ROLE massage_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'massage_platform') THEN
    CREATE ROLE massage_platform NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE BYPASSRLS;
  END IF;
END
$$;

-- Keep the app role's attributes honest even if someone changed them by hand.
ALTER ROLE massage_app NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT;
ALTER ROLE massage_owner NOSUPERUSER NOBYPASSRLS;
-- The owner hands platform functions over to massage_platform (ALTER FUNCTION ... OWNER needs membership).
GRANT massage_platform TO massage_owner;

-- Extensions are created by the administrator (some are not trusted); the owner only uses them.
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE EXTENSION IF NOT EXISTS cube;
CREATE EXTENSION IF NOT EXISTS earthdistance;

-- PostgreSQL 15 removed CREATE on schema public from PUBLIC: give it to the owner only.
GRANT CREATE, USAGE ON SCHEMA public TO massage_owner;
DO $$ BEGIN EXECUTE format('GRANT CREATE, CONNECT ON DATABASE %I TO massage_owner', current_database()); END $$;
DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO massage_app', current_database()); END $$;
GRANT USAGE ON SCHEMA public TO massage_app, massage_platform;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
