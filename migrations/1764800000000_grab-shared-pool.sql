-- Up Migration

-- The grab hall (抢单) inside a store and the platform's cross-store shared pool.

---------------------------------------------------------------------------------------------------
-- Grab hall: one listing per order opened for grabbing. It holds only what a technician may see
-- before the claim (no customer, phone or exact address: those stay sealed in `orders`), plus the
-- exact point for distance and the geo index. The claim is a conditional UPDATE … WHERE status =
-- 'open' RETURNING in the same transaction as the busy-time hold and the order's transition, so
-- exactly one technician wins; a loser's UPDATE finds the row taken and matches nothing.
---------------------------------------------------------------------------------------------------
CREATE TABLE grab_listings (
  tenant_id        uuid NOT NULL REFERENCES tenants (id),
  order_id         uuid NOT NULL,
  status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'taken', 'closed')),
  service_name     text NOT NULL,
  duration_minutes integer NOT NULL CHECK (duration_minutes > 0),
  start_at         timestamptz NOT NULL,
  end_at           timestamptz NOT NULL CHECK (end_at > start_at),
  -- exact point: used for distance and the index, never returned
  lat              double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lng              double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
  -- district-level point (~1 km) shown before the claim
  area_lat         double precision NOT NULL,
  area_lng         double precision NOT NULL,
  price_fen        integer NOT NULL CHECK (price_fen >= 0),
  earning_fen      integer NOT NULL CHECK (earning_fen >= 0),
  -- technicians the listing was pushed to (they hear grab.taken)
  offered_to       uuid[] NOT NULL DEFAULT '{}',
  technician_id    uuid,
  opened_at        timestamptz NOT NULL DEFAULT now(),
  taken_at         timestamptz,
  closed_at        timestamptz,
  PRIMARY KEY (tenant_id, order_id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
  FOREIGN KEY (tenant_id, technician_id) REFERENCES technicians (tenant_id, id),
  CONSTRAINT grab_listings_taken CHECK ((status = 'taken') = (technician_id IS NOT NULL))
);
-- "Orders near me": tenant first (RLS predicate), then the point, open listings only.
CREATE INDEX grab_listings_geo_idx ON grab_listings USING gist (tenant_id, ll_to_earth(lat, lng))
  WHERE status = 'open';

ALTER TABLE grab_listings ENABLE ROW LEVEL SECURITY;
ALTER TABLE grab_listings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON grab_listings FOR ALL
  USING (tenant_id = (SELECT current_tenant_id()))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()));
GRANT SELECT, INSERT, UPDATE ON grab_listings TO massage_app;

-- "Orders near me". RLS would forbid the geo index here: a policy-protected table may use an
-- index only for leakproof operators, and cube's @> is not. So the search runs as the definer
-- (BYPASSRLS) but filters on current_tenant_id() itself — the same rows RLS would allow, never
-- another store's, and nothing when no store is set. Not a crossing: no audit row.
CREATE FUNCTION platform.grab_listings_near(p_lat double precision, p_lng double precision,
                                            p_radius_m double precision, p_limit integer)
  RETURNS TABLE (order_id uuid, service_name text, duration_minutes integer, start_at timestamptz,
                 area_lat double precision, area_lng double precision, price_fen integer,
                 distance_m double precision)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT g.order_id, g.service_name, g.duration_minutes, g.start_at, g.area_lat, g.area_lng, g.price_fen,
         earth_distance(ll_to_earth($1, $2), ll_to_earth(g.lat, g.lng))
    FROM grab_listings g
   WHERE g.tenant_id = current_tenant_id() AND g.status = 'open' AND g.start_at > now()
     AND earth_box(ll_to_earth($1, $2), $3) @> ll_to_earth(g.lat, g.lng)
     AND earth_distance(ll_to_earth($1, $2), ll_to_earth(g.lat, g.lng)) <= $3
   ORDER BY 8
   LIMIT $4
$$;

---------------------------------------------------------------------------------------------------
-- Shared pool: platform tables (not tenant-owned), reached only through platform.* functions.
---------------------------------------------------------------------------------------------------

-- One row: whether the pool is on and the default share of the price the fulfilling store earns.
CREATE TABLE platform_settings (
  id                   boolean PRIMARY KEY DEFAULT true CHECK (id),
  shared_pool_enabled  boolean NOT NULL DEFAULT false,
  pool_taker_share_bps integer NOT NULL DEFAULT 8000 CHECK (pool_taker_share_bps BETWEEN 0 AND 10000),
  updated_by           uuid,
  updated_at           timestamptz NOT NULL DEFAULT now()
);
INSERT INTO platform_settings (id) VALUES (true);
CREATE TRIGGER platform_settings_touch BEFORE UPDATE ON platform_settings FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
GRANT SELECT ON platform_settings TO massage_app;
GRANT UPDATE (shared_pool_enabled, pool_taker_share_bps, updated_by) ON platform_settings TO massage_app;

-- The minimum another store's technician may see, plus who took it and the agreed share.
CREATE TABLE shared_pool_offers (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  giving_tenant_id    uuid NOT NULL REFERENCES tenants (id),
  order_id            uuid NOT NULL,
  status              text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'taken', 'withdrawn')),
  service_name        text NOT NULL,
  duration_minutes    integer NOT NULL CHECK (duration_minutes > 0),
  start_at            timestamptz NOT NULL,
  end_at              timestamptz NOT NULL CHECK (end_at > start_at),
  area_lat            double precision NOT NULL,
  area_lng            double precision NOT NULL,
  price_fen           integer NOT NULL CHECK (price_fen >= 0),
  taker_share_bps     integer NOT NULL CHECK (taker_share_bps BETWEEN 0 AND 10000),
  taker_share_fen     integer NOT NULL CHECK (taker_share_fen >= 0),
  taker_tenant_id     uuid REFERENCES tenants (id),
  taker_technician_id uuid,
  published_at        timestamptz NOT NULL DEFAULT now(),
  taken_at            timestamptz,
  CONSTRAINT shared_pool_offers_order_key UNIQUE (giving_tenant_id, order_id),
  CONSTRAINT shared_pool_offers_taken CHECK ((status = 'taken') = (taker_technician_id IS NOT NULL)),
  CONSTRAINT shared_pool_offers_not_self CHECK (taker_tenant_id IS DISTINCT FROM giving_tenant_id)
);
CREATE INDEX shared_pool_offers_geo_idx ON shared_pool_offers USING gist (ll_to_earth(area_lat, area_lng))
  WHERE status = 'open';
CREATE INDEX shared_pool_offers_taker_idx ON shared_pool_offers (taker_tenant_id, taker_technician_id);
-- No grants to massage_app: the app reaches these two tables only through the functions below.

GRANT SELECT, INSERT, UPDATE ON shared_pool_offers TO massage_platform;
-- A store's participation is its dispatch setting (migrations/1764700000000_dispatch.sql).
GRANT SELECT (tenant_id, pool_participation) ON dispatch_settings TO massage_platform;
GRANT SELECT (id, status) ON tenants TO massage_platform;
GRANT SELECT ON platform_settings TO massage_platform;
GRANT SELECT ON orders, technicians TO massage_platform;
GRANT UPDATE (status) ON orders TO massage_platform;
GRANT INSERT ON order_events TO massage_platform;
GRANT SELECT, UPDATE (status, closed_at) ON grab_listings TO massage_platform;

-- Every function checks that the tenant it acts for is the caller's own unit of work, so the app
-- cannot act for another store by passing its id.
CREATE FUNCTION platform.assert_own_tenant(p_tenant uuid) RETURNS void
  LANGUAGE plpgsql STABLE SET search_path = public, pg_temp
AS $$
BEGIN
  IF p_tenant IS NULL OR p_tenant IS DISTINCT FROM current_tenant_id() THEN
    RAISE EXCEPTION 'not the current tenant' USING ERRCODE = '42501';
  END IF;
END
$$;
ALTER FUNCTION platform.assert_own_tenant(uuid) OWNER TO massage_platform;

CREATE FUNCTION platform.pool_role(p_tenant uuid) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT coalesce((SELECT pool_participation FROM dispatch_settings WHERE tenant_id = p_tenant), 'none') $$;

-- Publishes a dispatching order of the caller's store (a giver) into the pool; idempotent per order.
CREATE FUNCTION platform.publish_to_pool(p_tenant uuid, p_order_id uuid, p_actor_type text, p_actor_id text)
  RETURNS TABLE (offer_id uuid, status text, taker_share_fen integer, service_name text, duration_minutes integer,
                 start_at timestamptz, area_lat double precision, area_lng double precision, price_fen integer)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  s platform_settings;
  o orders;
  v_id uuid;
BEGIN
  PERFORM platform.assert_own_tenant(p_tenant);
  SELECT * INTO s FROM platform_settings WHERE id;
  IF NOT s.shared_pool_enabled THEN
    RAISE EXCEPTION 'the shared pool is off' USING ERRCODE = 'PT403';
  END IF;
  IF platform.pool_role(p_tenant) NOT IN ('giver', 'both') THEN
    RAISE EXCEPTION 'the store does not give to the pool' USING ERRCODE = 'PT403';
  END IF;
  SELECT * INTO o FROM orders WHERE tenant_id = p_tenant AND id = p_order_id;
  IF o.id IS NULL THEN
    RAISE EXCEPTION 'order not found' USING ERRCODE = 'P0002';
  END IF;
  IF o.status <> 'dispatching' THEN
    RAISE EXCEPTION 'order is not open for dispatch' USING ERRCODE = 'PT422';
  END IF;
  INSERT INTO shared_pool_offers AS p (giving_tenant_id, order_id, service_name, duration_minutes, start_at, end_at,
                                  area_lat, area_lng, price_fen, taker_share_bps, taker_share_fen)
  VALUES (p_tenant, o.id, o.service_name, o.duration_minutes, o.start_at, o.end_at,
          round(o.address_lat::numeric, 2)::float8, round(o.address_lng::numeric, 2)::float8, o.total_fen,
          s.pool_taker_share_bps, (o.total_fen::bigint * s.pool_taker_share_bps / 10000)::integer)
  ON CONFLICT ON CONSTRAINT shared_pool_offers_order_key DO UPDATE
     SET status = 'open', published_at = now()
   WHERE p.status = 'withdrawn'
  RETURNING p.id INTO v_id;
  IF v_id IS NULL THEN
    SELECT p.id INTO v_id FROM shared_pool_offers p WHERE p.giving_tenant_id = p_tenant AND p.order_id = p_order_id;
  END IF;
  INSERT INTO platform_audit_events (actor_type, actor_id, action, target_tenant_id, target_type, target_id, details)
  VALUES (p_actor_type, p_actor_id, 'shared_pool.publish', p_tenant, 'shared_pool_offer', v_id::text,
          jsonb_build_object('orderId', p_order_id));
  RETURN QUERY SELECT p.id, p.status, p.taker_share_fen, p.service_name, p.duration_minutes, p.start_at, p.area_lat,
                      p.area_lng, p.price_fen
                 FROM shared_pool_offers p WHERE p.id = v_id;
END
$$;

-- Who to tell about a new offer: on-duty approved technicians of taking stores (never the giver)
-- located within the radius. Returns ids only; the push carries the offer's minimum. Audited.
CREATE FUNCTION platform.pool_takers_near(p_giver uuid, p_offer_id uuid, p_radius_m double precision,
                                          p_actor_type text, p_actor_id text)
  RETURNS TABLE (tenant_id uuid, technician_id uuid, distance_m double precision)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE p shared_pool_offers;
BEGIN
  PERFORM platform.assert_own_tenant(p_giver);
  SELECT * INTO p FROM shared_pool_offers o WHERE o.id = p_offer_id AND o.giving_tenant_id = p_giver AND o.status = 'open';
  IF p.id IS NULL THEN RETURN; END IF;
  INSERT INTO platform_audit_events (actor_type, actor_id, action, target_tenant_id, target_type, target_id)
  VALUES (p_actor_type, p_actor_id, 'shared_pool.notify', p_giver, 'shared_pool_offer', p.id::text);
  RETURN QUERY
    SELECT t.tenant_id, t.id,
           earth_distance(ll_to_earth(p.area_lat, p.area_lng), ll_to_earth(t.last_lat, t.last_lng))
      FROM technicians t
      JOIN dispatch_settings d ON d.tenant_id = t.tenant_id AND d.pool_participation IN ('taker', 'both')
      JOIN tenants tn ON tn.id = t.tenant_id AND tn.status = 'active'
     WHERE t.tenant_id <> p_giver AND t.status = 'approved' AND t.online AND t.last_lat IS NOT NULL
       AND earth_distance(ll_to_earth(p.area_lat, p.area_lng), ll_to_earth(t.last_lat, t.last_lng)) <= p_radius_m;
END
$$;

-- Takes an open offer back (the order was assigned at home, cancelled, …).
CREATE FUNCTION platform.withdraw_pool_offer(p_tenant uuid, p_order_id uuid, p_actor_type text, p_actor_id text)
  RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE v_id uuid;
BEGIN
  PERFORM platform.assert_own_tenant(p_tenant);
  UPDATE shared_pool_offers SET status = 'withdrawn'
   WHERE giving_tenant_id = p_tenant AND order_id = p_order_id AND status = 'open'
  RETURNING id INTO v_id;
  IF v_id IS NULL THEN RETURN false; END IF;
  INSERT INTO platform_audit_events (actor_type, actor_id, action, target_tenant_id, target_type, target_id)
  VALUES (p_actor_type, p_actor_id, 'shared_pool.withdraw', p_tenant, 'shared_pool_offer', v_id::text);
  RETURN true;
END
$$;

-- Open offers of other giving stores near a point, for a taking store's technician.
CREATE FUNCTION platform.pool_offers_near(
  p_taker uuid, p_lat double precision, p_lng double precision, p_radius_m double precision,
  p_actor_type text, p_actor_id text
) RETURNS TABLE (offer_id uuid, service_name text, duration_minutes integer, start_at timestamptz,
                 area_lat double precision, area_lng double precision, distance_m integer,
                 price_fen integer, taker_share_fen integer)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  PERFORM platform.assert_own_tenant(p_taker);
  IF NOT (SELECT shared_pool_enabled FROM platform_settings WHERE id)
     OR platform.pool_role(p_taker) NOT IN ('taker', 'both') THEN
    RETURN;
  END IF;
  INSERT INTO platform_audit_events (actor_type, actor_id, action, target_tenant_id, target_type, details)
  VALUES (p_actor_type, p_actor_id, 'shared_pool.browse', p_taker, 'shared_pool',
          jsonb_build_object('radiusM', p_radius_m));
  RETURN QUERY
    SELECT p.id, p.service_name, p.duration_minutes, p.start_at, p.area_lat, p.area_lng,
           round(earth_distance(ll_to_earth(p_lat, p_lng), ll_to_earth(p.area_lat, p.area_lng)))::integer,
           p.price_fen, p.taker_share_fen
      FROM shared_pool_offers p
     WHERE p.status = 'open'
       AND platform.pool_role(p.giving_tenant_id) IN ('giver', 'both')
       AND p.giving_tenant_id <> p_taker
       AND p.start_at > now()
       AND earth_box(ll_to_earth(p_lat, p_lng), p_radius_m) @> ll_to_earth(p.area_lat, p.area_lng)
       AND earth_distance(ll_to_earth(p_lat, p_lng), ll_to_earth(p.area_lat, p.area_lng)) <= p_radius_m
     ORDER BY 7, p.start_at
     LIMIT 50;
END
$$;

-- A taking store's technician claims an offer: exactly one winner (conditional UPDATE). The giving
-- store's order moves to `assigned` in the same transaction with an order event that names only
-- the offer; the caller then holds the technician's busy time in its own store (same transaction).
CREATE FUNCTION platform.claim_pool_offer(
  p_offer_id uuid, p_taker uuid, p_technician_id uuid, p_actor_type text, p_actor_id text
) RETURNS TABLE (offer_id uuid, start_at timestamptz, end_at timestamptz, area_lat double precision,
                 area_lng double precision, taker_share_fen integer)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  p shared_pool_offers;
  v_status text;
BEGIN
  PERFORM platform.assert_own_tenant(p_taker);
  IF NOT (SELECT shared_pool_enabled FROM platform_settings WHERE id)
     OR platform.pool_role(p_taker) NOT IN ('taker', 'both') THEN
    RAISE EXCEPTION 'the store does not take from the pool' USING ERRCODE = 'PT403';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM technicians t WHERE t.tenant_id = p_taker AND t.id = p_technician_id
                                             AND t.status = 'approved') THEN
    RAISE EXCEPTION 'technician not found' USING ERRCODE = 'P0002';
  END IF;
  UPDATE shared_pool_offers o
     SET status = 'taken', taker_tenant_id = p_taker, taker_technician_id = p_technician_id, taken_at = now()
   WHERE o.id = p_offer_id AND o.status = 'open' AND o.giving_tenant_id <> p_taker
     AND platform.pool_role(o.giving_tenant_id) IN ('giver', 'both')
  RETURNING o.* INTO p;
  IF p.id IS NULL THEN
    RAISE EXCEPTION 'offer already taken or gone' USING ERRCODE = 'PT409';
  END IF;
  SELECT ord.status INTO v_status FROM orders ord
   WHERE ord.tenant_id = p.giving_tenant_id AND ord.id = p.order_id FOR UPDATE;
  IF v_status IS DISTINCT FROM 'dispatching' THEN
    RAISE EXCEPTION 'offer already taken or gone' USING ERRCODE = 'PT409';
  END IF;
  UPDATE orders SET status = 'assigned' WHERE tenant_id = p.giving_tenant_id AND id = p.order_id;
  INSERT INTO order_events (tenant_id, order_id, event, from_status, to_status, actor_type, actor_id, reason, details)
  VALUES (p.giving_tenant_id, p.order_id, 'assign', 'dispatching', 'assigned', 'system', NULL, 'shared_pool',
          jsonb_build_object('via', 'shared_pool', 'poolOfferId', p.id, 'takerShareFen', p.taker_share_fen));
  UPDATE grab_listings g SET status = 'closed', closed_at = now()
   WHERE g.tenant_id = p.giving_tenant_id AND g.order_id = p.order_id AND g.status = 'open';
  INSERT INTO platform_audit_events (actor_type, actor_id, action, target_tenant_id, target_type, target_id, details)
  VALUES (p_actor_type, p_actor_id, 'shared_pool.claim', p.giving_tenant_id, 'shared_pool_offer', p.id::text,
          jsonb_build_object('takerTenantId', p_taker, 'technicianId', p_technician_id,
                             'takerShareFen', p.taker_share_fen));
  RETURN QUERY SELECT p.id, p.start_at, p.end_at, p.area_lat, p.area_lng, p.taker_share_fen;
END
$$;

-- The holder's view of a claimed offer: the sealed address (decrypted by the app with the giving
-- store's AAD) and the masked phone, only while the order is active and only to its holder.
CREATE FUNCTION platform.pool_order_contact(p_offer_id uuid, p_taker uuid, p_technician_id uuid,
                                            p_actor_type text, p_actor_id text)
  RETURNS TABLE (giving_tenant_id uuid, address_enc bytea, contact_phone_masked text,
                 address_lat double precision, address_lng double precision, order_status text)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  PERFORM platform.assert_own_tenant(p_taker);
  RETURN QUERY
    SELECT o.tenant_id, o.address_enc, o.contact_phone_masked, o.address_lat, o.address_lng, o.status
      FROM shared_pool_offers p
      JOIN orders o ON o.tenant_id = p.giving_tenant_id AND o.id = p.order_id
     WHERE p.id = p_offer_id AND p.status = 'taken'
       AND p.taker_tenant_id = p_taker AND p.taker_technician_id = p_technician_id
       AND o.status IN ('assigned', 'accepted', 'departed', 'arrived', 'in_service');
  IF FOUND THEN
    INSERT INTO platform_audit_events (actor_type, actor_id, action, target_tenant_id, target_type, target_id)
    SELECT p_actor_type, p_actor_id, 'shared_pool.contact', p.giving_tenant_id, 'shared_pool_offer', p.id::text
      FROM shared_pool_offers p WHERE p.id = p_offer_id;
  END IF;
END
$$;

-- The pool jobs a taking store's technician holds (their own store's view: no giving store named).
CREATE FUNCTION platform.pool_offers_held(p_taker uuid, p_technician_id uuid)
  RETURNS TABLE (offer_id uuid, service_name text, duration_minutes integer, start_at timestamptz,
                 taker_share_fen integer, order_status text)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  PERFORM platform.assert_own_tenant(p_taker);
  RETURN QUERY
    SELECT p.id, p.service_name, p.duration_minutes, p.start_at, p.taker_share_fen, o.status
      FROM shared_pool_offers p
      JOIN orders o ON o.tenant_id = p.giving_tenant_id AND o.id = p.order_id
     WHERE p.taker_tenant_id = p_taker AND p.taker_technician_id = p_technician_id AND p.status = 'taken'
     ORDER BY p.start_at;
END
$$;

DO $$
DECLARE f text;
BEGIN
  FOREACH f IN ARRAY ARRAY[
    'platform.grab_listings_near(double precision, double precision, double precision, integer)',
    'platform.pool_role(uuid)',
    'platform.publish_to_pool(uuid, uuid, text, text)',
    'platform.pool_takers_near(uuid, uuid, double precision, text, text)',
    'platform.withdraw_pool_offer(uuid, uuid, text, text)',
    'platform.pool_offers_near(uuid, double precision, double precision, double precision, text, text)',
    'platform.claim_pool_offer(uuid, uuid, uuid, text, text)',
    'platform.pool_order_contact(uuid, uuid, uuid, text, text)',
    'platform.pool_offers_held(uuid, uuid)']
  LOOP
    EXECUTE format('ALTER FUNCTION %s OWNER TO massage_platform', f);
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO massage_app', f);
  END LOOP;
END
$$;
REVOKE ALL ON FUNCTION platform.assert_own_tenant(uuid) FROM PUBLIC;

-- Down Migration
DROP FUNCTION platform.pool_offers_held(uuid, uuid);
DROP FUNCTION platform.pool_order_contact(uuid, uuid, uuid, text, text);
DROP FUNCTION platform.claim_pool_offer(uuid, uuid, uuid, text, text);
DROP FUNCTION platform.pool_offers_near(uuid, double precision, double precision, double precision, text, text);
DROP FUNCTION platform.pool_takers_near(uuid, uuid, double precision, text, text);
DROP FUNCTION platform.withdraw_pool_offer(uuid, uuid, text, text);
DROP FUNCTION platform.publish_to_pool(uuid, uuid, text, text);
DROP FUNCTION platform.pool_role(uuid);
DROP FUNCTION platform.grab_listings_near(double precision, double precision, double precision, integer);
DROP FUNCTION platform.assert_own_tenant(uuid);
DROP TABLE shared_pool_offers, platform_settings, grab_listings;
