-- Up Migration

-- A shared-pool order after the claim: the taking store's technician runs the trip on the giving
-- store's order only through these functions (SECURITY DEFINER, owned by massage_platform, each
-- writing platform_audit_events), never by acting as the giving store. The giving store's order
-- moves through the same statuses with the same order events, so its customer follows it as any
-- other order. Holder checks: the offer is `taken` by this store and this technician.
--
-- The claim is the technician's acceptance (they chose the order themselves): the giving store's
-- order goes dispatching → assigned → accepted with both events, and its dispatch log says
-- `pool_taken`.

GRANT INSERT ON dispatch_log TO massage_platform;
GRANT SELECT ON service_addons TO massage_platform;
GRANT SELECT, INSERT ON order_extensions TO massage_platform;
GRANT SELECT, UPDATE (during, active, released_at) ON technician_busy TO massage_platform;

DROP FUNCTION platform.claim_pool_offer(uuid, uuid, uuid, text, text);
-- Lock order (src/modules/dispatch/README.md): the giving store's run → listing → order → offer.
CREATE FUNCTION platform.claim_pool_offer(
  p_offer_id uuid, p_taker uuid, p_technician_id uuid, p_actor_type text, p_actor_id text
) RETURNS TABLE (offer_id uuid, start_at timestamptz, end_at timestamptz, area_lat double precision,
                 area_lng double precision, taker_share_fen integer, giving_tenant_id uuid, order_id uuid,
                 order_no text, customer_id uuid, order_status text)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  p shared_pool_offers;
  o orders;
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
  SELECT * INTO p FROM shared_pool_offers s
   WHERE s.id = p_offer_id AND s.status = 'open' AND s.giving_tenant_id <> p_taker
     AND platform.pool_role(s.giving_tenant_id) IN ('giver', 'both');
  IF p.id IS NULL THEN
    RAISE EXCEPTION 'offer already taken or gone' USING ERRCODE = 'PT409';
  END IF;
  PERFORM 1 FROM dispatch_runs r WHERE r.tenant_id = p.giving_tenant_id AND r.order_id = p.order_id FOR UPDATE;
  PERFORM 1 FROM grab_listings g WHERE g.tenant_id = p.giving_tenant_id AND g.order_id = p.order_id FOR UPDATE;
  SELECT * INTO o FROM orders ord WHERE ord.tenant_id = p.giving_tenant_id AND ord.id = p.order_id FOR UPDATE;
  IF o.status IS DISTINCT FROM 'dispatching' THEN
    RAISE EXCEPTION 'offer already taken or gone' USING ERRCODE = 'PT409';
  END IF;
  UPDATE shared_pool_offers s
     SET status = 'taken', taker_tenant_id = p_taker, taker_technician_id = p_technician_id, taken_at = now()
   WHERE s.id = p.id AND s.status = 'open'
  RETURNING s.* INTO p;
  IF p.id IS NULL THEN
    RAISE EXCEPTION 'offer already taken or gone' USING ERRCODE = 'PT409';
  END IF;
  UPDATE orders SET status = 'accepted' WHERE tenant_id = o.tenant_id AND id = o.id;
  INSERT INTO order_events (tenant_id, order_id, event, from_status, to_status, actor_type, actor_id, reason, details)
  VALUES (o.tenant_id, o.id, 'assign', 'dispatching', 'assigned', 'system', NULL, 'shared_pool',
          jsonb_build_object('via', 'shared_pool', 'poolOfferId', p.id, 'takerShareFen', p.taker_share_fen)),
         (o.tenant_id, o.id, 'accept', 'assigned', 'accepted', 'technician', NULL, 'claimed',
          jsonb_build_object('via', 'shared_pool', 'poolOfferId', p.id));
  UPDATE grab_listings g SET status = 'closed', closed_at = now()
   WHERE g.tenant_id = o.tenant_id AND g.order_id = o.id AND g.status = 'open';
  UPDATE dispatch_runs r SET state = 'assigned' WHERE r.tenant_id = o.tenant_id AND r.order_id = o.id;
  INSERT INTO dispatch_log (tenant_id, order_id, kind, reason_code, details, actor_type)
  VALUES (o.tenant_id, o.id, 'pool_taken', 'shared_pool',
          jsonb_build_object('poolOfferId', p.id, 'takerShareFen', p.taker_share_fen), 'system');
  INSERT INTO platform_audit_events (actor_type, actor_id, action, target_tenant_id, target_type, target_id, details)
  VALUES (p_actor_type, p_actor_id, 'shared_pool.claim', p.giving_tenant_id, 'shared_pool_offer', p.id::text,
          jsonb_build_object('takerTenantId', p_taker, 'technicianId', p_technician_id,
                             'takerShareFen', p.taker_share_fen));
  RETURN QUERY SELECT p.id, p.start_at, p.end_at, p.area_lat, p.area_lng, p.taker_share_fen, o.tenant_id, o.id,
                      o.order_no, o.customer_id, 'accepted'::text;
END
$$;

-- One trip step of the holder on the giving store's order: 出发 depart, 到达签到 arrive (the app
-- checks the geofence against the address only the holder may read), 开始服务 start_service,
-- 完成签退 complete. Out of order → PT412 (nothing written). Returns what the app needs to push
-- the live status to the giving store's customer, order and staff topics after the commit.
CREATE FUNCTION platform.pool_order_step(p_offer_id uuid, p_taker uuid, p_technician_id uuid, p_event text,
                                         p_details jsonb, p_actor_type text, p_actor_id text)
  RETURNS TABLE (giving_tenant_id uuid, order_id uuid, order_no text, customer_id uuid, from_status text,
                 to_status text)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  p shared_pool_offers;
  o orders;
  v_from text := CASE p_event WHEN 'depart' THEN 'accepted' WHEN 'arrive' THEN 'departed'
                              WHEN 'start_service' THEN 'arrived' WHEN 'complete' THEN 'in_service' END;
  v_to text := CASE p_event WHEN 'depart' THEN 'departed' WHEN 'arrive' THEN 'arrived'
                            WHEN 'start_service' THEN 'in_service' WHEN 'complete' THEN 'completed' END;
BEGIN
  PERFORM platform.assert_own_tenant(p_taker);
  IF v_from IS NULL THEN
    RAISE EXCEPTION 'unknown step %', p_event USING ERRCODE = '22023';
  END IF;
  SELECT * INTO p FROM shared_pool_offers s
   WHERE s.id = p_offer_id AND s.status = 'taken' AND s.taker_tenant_id = p_taker
     AND s.taker_technician_id = p_technician_id;
  IF p.id IS NULL THEN
    RAISE EXCEPTION 'not found' USING ERRCODE = 'P0002';
  END IF;
  SELECT * INTO o FROM orders ord WHERE ord.tenant_id = p.giving_tenant_id AND ord.id = p.order_id FOR UPDATE;
  IF o.status IS DISTINCT FROM v_from THEN
    RAISE EXCEPTION 'an order in status % cannot %', o.status, p_event USING ERRCODE = 'PT412';
  END IF;
  UPDATE orders SET status = v_to WHERE tenant_id = o.tenant_id AND id = o.id;
  INSERT INTO order_events (tenant_id, order_id, event, from_status, to_status, actor_type, actor_id, reason, details)
  VALUES (o.tenant_id, o.id, p_event, v_from, v_to, 'technician', NULL, 'shared_pool',
          coalesce(p_details, '{}') || jsonb_build_object('via', 'shared_pool', 'poolOfferId', p.id));
  INSERT INTO platform_audit_events (actor_type, actor_id, action, target_tenant_id, target_type, target_id, details)
  VALUES (p_actor_type, p_actor_id, 'shared_pool.order.' || p_event, o.tenant_id, 'shared_pool_offer', p.id::text,
          jsonb_build_object('takerTenantId', p_taker, 'technicianId', p_technician_id, 'from', v_from, 'to', v_to));
  RETURN QUERY SELECT o.tenant_id, o.id, o.order_no, o.customer_id, v_from, v_to;
END
$$;

-- 加钟 proposed by the holder during the service: a `proposed` extension of the giving store's
-- order, priced by that store's extension add-on; its customer confirms it in their own store.
CREATE FUNCTION platform.pool_order_propose_extension(p_offer_id uuid, p_taker uuid, p_technician_id uuid,
                                                      p_units integer, p_actor_type text, p_actor_id text)
  RETURNS TABLE (extension_id uuid, minutes integer, amount_fen integer, giving_tenant_id uuid, order_id uuid,
                 order_no text, customer_id uuid)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  p shared_pool_offers;
  o orders;
  a service_addons;
  v_id uuid;
BEGIN
  PERFORM platform.assert_own_tenant(p_taker);
  SELECT * INTO p FROM shared_pool_offers s
   WHERE s.id = p_offer_id AND s.status = 'taken' AND s.taker_tenant_id = p_taker
     AND s.taker_technician_id = p_technician_id;
  IF p.id IS NULL THEN
    RAISE EXCEPTION 'not found' USING ERRCODE = 'P0002';
  END IF;
  SELECT * INTO o FROM orders ord WHERE ord.tenant_id = p.giving_tenant_id AND ord.id = p.order_id FOR SHARE;
  IF o.status IS DISTINCT FROM 'in_service' THEN
    RAISE EXCEPTION 'an order in status % cannot be extended', o.status USING ERRCODE = 'PT412';
  END IF;
  SELECT * INTO a FROM service_addons x
   WHERE x.tenant_id = o.tenant_id AND x.kind = 'extension' AND x.active AND x.minutes IS NOT NULL
     AND (x.service_id = o.service_id OR x.service_id IS NULL)
   ORDER BY x.service_id NULLS LAST, x.price_fen
   LIMIT 1;
  IF a.id IS NULL THEN
    RAISE EXCEPTION 'no extension offered' USING ERRCODE = 'PT420';
  END IF;
  IF p_units < 1 OR p_units > a.max_quantity THEN
    RAISE EXCEPTION 'at most % units', a.max_quantity USING ERRCODE = 'PT400';
  END IF;
  INSERT INTO order_extensions (tenant_id, order_id, addon_id, minutes, amount_fen, status)
  VALUES (o.tenant_id, o.id, a.id, a.minutes * p_units, a.price_fen * p_units, 'proposed')
  RETURNING id INTO v_id;
  INSERT INTO platform_audit_events (actor_type, actor_id, action, target_tenant_id, target_type, target_id, details)
  VALUES (p_actor_type, p_actor_id, 'shared_pool.order.extension_proposed', o.tenant_id, 'shared_pool_offer',
          p.id::text, jsonb_build_object('takerTenantId', p_taker, 'technicianId', p_technician_id,
                                         'extensionId', v_id, 'units', p_units));
  RETURN QUERY SELECT v_id, a.minutes * p_units, a.price_fen * p_units, o.tenant_id, o.id, o.order_no, o.customer_id;
END
$$;

-- The giving store's customer confirmed a 加钟 of a pool order: the holder's busy time in the
-- taking store grows to the new end (the exclusion constraint refuses an overlap: 23P01). False
-- when the order is not a taken pool order.
CREATE FUNCTION platform.pool_extend_taker_hold(p_giver uuid, p_order_id uuid, p_end_at timestamptz,
                                                p_actor_type text, p_actor_id text)
  RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE p shared_pool_offers;
BEGIN
  PERFORM platform.assert_own_tenant(p_giver);
  SELECT * INTO p FROM shared_pool_offers s
   WHERE s.giving_tenant_id = p_giver AND s.order_id = p_order_id AND s.status = 'taken';
  IF p.id IS NULL THEN RETURN false; END IF;
  UPDATE technician_busy b SET during = tstzrange(lower(b.during), p_end_at, '[)')
   WHERE b.tenant_id = p.taker_tenant_id AND b.technician_id = p.taker_technician_id AND b.reference_id = p.id
     AND b.active AND upper(b.during) < p_end_at;
  UPDATE shared_pool_offers s SET end_at = p_end_at WHERE s.id = p.id AND s.end_at < p_end_at;
  INSERT INTO platform_audit_events (actor_type, actor_id, action, target_tenant_id, target_type, target_id, details)
  VALUES (p_actor_type, p_actor_id, 'shared_pool.order.extended', p_giver, 'shared_pool_offer', p.id::text,
          jsonb_build_object('takerTenantId', p.taker_tenant_id, 'endAt', p_end_at));
  RETURN true;
END
$$;

-- The giving store cancelled a taken pool order: the holder's busy time is given back in the
-- taking store; returns who to tell. Nothing when the order is not a taken pool order.
CREATE FUNCTION platform.pool_order_cancelled(p_giver uuid, p_order_id uuid, p_actor_type text, p_actor_id text)
  RETURNS TABLE (taker_tenant_id uuid, taker_technician_id uuid, offer_id uuid)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE p shared_pool_offers;
BEGIN
  PERFORM platform.assert_own_tenant(p_giver);
  SELECT * INTO p FROM shared_pool_offers s
   WHERE s.giving_tenant_id = p_giver AND s.order_id = p_order_id AND s.status = 'taken';
  IF p.id IS NULL THEN RETURN; END IF;
  UPDATE technician_busy b SET active = false, released_at = now()
   WHERE b.tenant_id = p.taker_tenant_id AND b.reference_id = p.id AND b.active;
  INSERT INTO platform_audit_events (actor_type, actor_id, action, target_tenant_id, target_type, target_id, details)
  VALUES (p_actor_type, p_actor_id, 'shared_pool.order.cancelled', p_giver, 'shared_pool_offer', p.id::text,
          jsonb_build_object('takerTenantId', p.taker_tenant_id));
  RETURN QUERY SELECT p.taker_tenant_id, p.taker_technician_id, p.id;
END
$$;

DO $$
DECLARE f text;
BEGIN
  FOREACH f IN ARRAY ARRAY[
    'platform.claim_pool_offer(uuid, uuid, uuid, text, text)',
    'platform.pool_order_step(uuid, uuid, uuid, text, jsonb, text, text)',
    'platform.pool_order_propose_extension(uuid, uuid, uuid, integer, text, text)',
    'platform.pool_extend_taker_hold(uuid, uuid, timestamptz, text, text)',
    'platform.pool_order_cancelled(uuid, uuid, text, text)']
  LOOP
    EXECUTE format('ALTER FUNCTION %s OWNER TO massage_platform', f);
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO massage_app', f);
  END LOOP;
END
$$;

-- Down Migration
DROP FUNCTION platform.pool_order_cancelled(uuid, uuid, text, text);
DROP FUNCTION platform.pool_extend_taker_hold(uuid, uuid, timestamptz, text, text);
DROP FUNCTION platform.pool_order_propose_extension(uuid, uuid, uuid, integer, text, text);
DROP FUNCTION platform.pool_order_step(uuid, uuid, uuid, text, jsonb, text, text);
DROP FUNCTION platform.claim_pool_offer(uuid, uuid, uuid, text, text);
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
ALTER FUNCTION platform.claim_pool_offer(uuid, uuid, uuid, text, text) OWNER TO massage_platform;
REVOKE ALL ON FUNCTION platform.claim_pool_offer(uuid, uuid, uuid, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.claim_pool_offer(uuid, uuid, uuid, text, text) TO massage_app;
REVOKE SELECT, UPDATE (during, active, released_at) ON technician_busy FROM massage_platform;
REVOKE SELECT, INSERT ON order_extensions FROM massage_platform;
REVOKE SELECT ON service_addons FROM massage_platform;
REVOKE INSERT ON dispatch_log FROM massage_platform;
