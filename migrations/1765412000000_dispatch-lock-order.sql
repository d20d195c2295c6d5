-- Up Migration

-- One lock order for everything that touches an order's dispatch (src/modules/dispatch/README.md):
-- dispatch run → grab listing → order → the order's own rows (busy holds, offers, pool offer).
-- The pool claim used to lock the pool offer, then the order, then the listing, and so deadlocked
-- (40P01) with a grab claim of the same order (listing → run → order → pool offer). Both pool
-- functions now lock the giving store's run first, and the claim takes the pool offer last.

-- Locking a row needs UPDATE on one of its columns; state is what the pool claim will change.
GRANT SELECT, UPDATE (state) ON dispatch_runs TO massage_platform;

CREATE OR REPLACE FUNCTION platform.publish_to_pool(p_tenant uuid, p_order_id uuid, p_actor_type text, p_actor_id text)
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
  -- lock order: the run, then the order (shared: a claim in flight finishes first, and the order
  -- cannot leave `dispatching` until this offer is written)
  PERFORM 1 FROM dispatch_runs r WHERE r.tenant_id = p_tenant AND r.order_id = p_order_id FOR UPDATE;
  SELECT * INTO o FROM orders WHERE tenant_id = p_tenant AND id = p_order_id FOR SHARE;
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

CREATE OR REPLACE FUNCTION platform.claim_pool_offer(
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
  -- which order: read without a lock (the pool offer is the last lock of the order's chain)
  SELECT * INTO p FROM shared_pool_offers o
   WHERE o.id = p_offer_id AND o.status = 'open' AND o.giving_tenant_id <> p_taker
     AND platform.pool_role(o.giving_tenant_id) IN ('giver', 'both');
  IF p.id IS NULL THEN
    RAISE EXCEPTION 'offer already taken or gone' USING ERRCODE = 'PT409';
  END IF;
  PERFORM 1 FROM dispatch_runs r WHERE r.tenant_id = p.giving_tenant_id AND r.order_id = p.order_id FOR UPDATE;
  PERFORM 1 FROM grab_listings g WHERE g.tenant_id = p.giving_tenant_id AND g.order_id = p.order_id FOR UPDATE;
  SELECT ord.status INTO v_status FROM orders ord
   WHERE ord.tenant_id = p.giving_tenant_id AND ord.id = p.order_id FOR UPDATE;
  IF v_status IS DISTINCT FROM 'dispatching' THEN
    RAISE EXCEPTION 'offer already taken or gone' USING ERRCODE = 'PT409';
  END IF;
  UPDATE shared_pool_offers o
     SET status = 'taken', taker_tenant_id = p_taker, taker_technician_id = p_technician_id, taken_at = now()
   WHERE o.id = p.id AND o.status = 'open'
  RETURNING o.* INTO p;
  IF p.id IS NULL THEN
    RAISE EXCEPTION 'offer already taken or gone' USING ERRCODE = 'PT409';
  END IF;
  UPDATE orders SET status = 'assigned' WHERE tenant_id = p.giving_tenant_id AND id = p.order_id;
  INSERT INTO order_events (tenant_id, order_id, event, from_status, to_status, actor_type, actor_id, reason, details)
  VALUES (p.giving_tenant_id, p.order_id, 'assign', 'dispatching', 'assigned', 'system', NULL, 'shared_pool',
          jsonb_build_object('via', 'shared_pool', 'poolOfferId', p.id, 'takerShareFen', p.taker_share_fen));
  UPDATE grab_listings g SET status = 'closed', closed_at = now()
   WHERE g.tenant_id = p.giving_tenant_id AND g.order_id = p.order_id AND g.status = 'open';
  UPDATE dispatch_runs r SET state = 'assigned' WHERE r.tenant_id = p.giving_tenant_id AND r.order_id = p.order_id;
  INSERT INTO platform_audit_events (actor_type, actor_id, action, target_tenant_id, target_type, target_id, details)
  VALUES (p_actor_type, p_actor_id, 'shared_pool.claim', p.giving_tenant_id, 'shared_pool_offer', p.id::text,
          jsonb_build_object('takerTenantId', p_taker, 'technicianId', p_technician_id,
                             'takerShareFen', p.taker_share_fen));
  RETURN QUERY SELECT p.id, p.start_at, p.end_at, p.area_lat, p.area_lng, p.taker_share_fen;
END
$$;

-- Down Migration
CREATE OR REPLACE FUNCTION platform.claim_pool_offer(
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

CREATE OR REPLACE FUNCTION platform.publish_to_pool(p_tenant uuid, p_order_id uuid, p_actor_type text, p_actor_id text)
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

REVOKE SELECT, UPDATE (state) ON dispatch_runs FROM massage_platform;
