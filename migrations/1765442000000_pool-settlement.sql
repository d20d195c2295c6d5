-- Up Migration

-- The shared pool in both stores' ledgers. When a pool order completes, the fulfilling (taking)
-- store earns the agreed share: the offer's taker_share_fen (pool_taker_share_bps of the price,
-- fixed at publishing) plus the same share of every paid 加钟. One `pool_settlement` transaction
-- per store, reference = the pool offer id, so a replay posts nothing:
--   giving store:  order_liability:{order} +held, platform_fee −fee, store_revenue −(held − fee)
--                  (what the order still holds is earned, as any settlement), and
--                  pool_expense +share, pool_payable −share (owed to the network)
--   taking store:  pool_receivable +share (owed by the network), technician_payable:{technician}
--                  −earning (that store's commission rules), pool_revenue −(share − earning)
-- The giving store's transaction is written by platform.settle_pool_order (audited); the taking
-- store posts its own in its own unit of work, the same transaction.
ALTER TABLE journal_transactions DROP CONSTRAINT journal_transactions_kind_check;
ALTER TABLE journal_transactions ADD CONSTRAINT journal_transactions_kind_check CHECK (kind IN (
  'payment', 'refund', 'cancellation_fee', 'order_settlement', 'cash_collection', 'wallet_topup', 'overpayment',
  'correction', 'technician_payout', 'pool_settlement'));
ALTER TABLE journal_entries DROP CONSTRAINT journal_entries_account_check;
ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_account_check CHECK (account ~ (
  '^(clearing:(wechat|alipay|sandbox|cash)|store_revenue|platform_fee|wallet_funding|technician_payouts'
  || '|pool_payable|pool_expense|pool_receivable|pool_revenue'
  || '|(customer_wallet|order_liability|technician_payable|cash_on_hand):'
  || '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$'));

GRANT SELECT, INSERT ON journal_transactions, journal_entries TO massage_platform;

-- Posts the giving store's side of a completed pool order held by the caller's technician, once.
-- Returns the taking store's share (what the caller posts on its side) and whether this call
-- wrote the giving side (false on a replay). The balance check of the new journal transaction
-- runs here, as the definer: at the caller's COMMIT the deferred trigger would run under the
-- taking store's RLS and not see the giving store's lines.
CREATE FUNCTION platform.settle_pool_order(p_offer_id uuid, p_taker uuid, p_technician_id uuid,
                                           p_platform_fee_bps integer, p_actor_type text, p_actor_id text)
  RETURNS TABLE (share_fen integer, posted boolean)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  p shared_pool_offers;
  o orders;
  v_held bigint;
  v_fee bigint;
  v_share bigint;
  v_tx uuid;
BEGIN
  PERFORM platform.assert_own_tenant(p_taker);
  IF p_platform_fee_bps NOT BETWEEN 0 AND 10000 THEN
    RAISE EXCEPTION 'platform fee out of range' USING ERRCODE = '22023';
  END IF;
  SELECT * INTO p FROM shared_pool_offers s
   WHERE s.id = p_offer_id AND s.status = 'taken' AND s.taker_tenant_id = p_taker
     AND s.taker_technician_id = p_technician_id;
  IF p.id IS NULL THEN
    RAISE EXCEPTION 'not found' USING ERRCODE = 'P0002';
  END IF;
  SELECT * INTO o FROM orders ord WHERE ord.tenant_id = p.giving_tenant_id AND ord.id = p.order_id FOR SHARE;
  IF o.status NOT IN ('completed', 'reviewed') THEN
    RAISE EXCEPTION 'an order in status % is not settled', o.status USING ERRCODE = 'PT412';
  END IF;
  v_share := p.taker_share_fen + coalesce((
    SELECT sum(x.amount_fen)::bigint * p.taker_share_bps / 10000 FROM order_extensions x
     WHERE x.tenant_id = o.tenant_id AND x.order_id = o.id AND x.status = 'paid'), 0);
  v_held := -coalesce((SELECT sum(e.amount_fen) FROM journal_entries e
                        WHERE e.tenant_id = o.tenant_id AND e.account = 'order_liability:' || o.id), 0);
  v_fee := CASE WHEN v_held > 0 THEN v_held * p_platform_fee_bps / 10000 ELSE 0 END;
  IF v_share = 0 AND v_held <= 0 THEN
    RETURN QUERY SELECT 0, false; -- nothing earned, nothing owed: no transaction
    RETURN;
  END IF;
  INSERT INTO journal_transactions (tenant_id, kind, order_id, reference, memo)
  VALUES (o.tenant_id, 'pool_settlement', o.id, p.id::text, 'shared-pool settlement of order ' || o.order_no)
  ON CONFLICT (tenant_id, kind, reference) WHERE reference IS NOT NULL DO NOTHING
  RETURNING id INTO v_tx;
  IF v_tx IS NULL THEN
    RETURN QUERY SELECT v_share::integer, false; -- settled before: the same share, nothing written
    RETURN;
  END IF;
  INSERT INTO journal_entries (tenant_id, transaction_id, line_no, account, amount_fen)
  SELECT o.tenant_id, v_tx, row_number() OVER (), l.account, l.amount
    FROM (VALUES ('order_liability:' || o.id, v_held), ('platform_fee', -v_fee), ('store_revenue', v_fee - v_held),
                 ('pool_expense', v_share), ('pool_payable', -v_share)) AS l(account, amount)
   WHERE l.amount <> 0 AND (v_held > 0 OR l.account LIKE 'pool_%');
  SET CONSTRAINTS journal_transactions_balanced, journal_entries_balanced IMMEDIATE;
  SET CONSTRAINTS journal_transactions_balanced, journal_entries_balanced DEFERRED;
  INSERT INTO platform_audit_events (actor_type, actor_id, action, target_tenant_id, target_type, target_id, details)
  VALUES (p_actor_type, p_actor_id, 'shared_pool.settle', o.tenant_id, 'shared_pool_offer', p.id::text,
          jsonb_build_object('takerTenantId', p_taker, 'shareFen', v_share, 'heldFen', v_held,
                             'platformFeeFen', v_fee, 'journalTransactionId', v_tx));
  RETURN QUERY SELECT v_share::integer, true;
END
$$;
ALTER FUNCTION platform.settle_pool_order(uuid, uuid, uuid, integer, text, text) OWNER TO massage_platform;
REVOKE ALL ON FUNCTION platform.settle_pool_order(uuid, uuid, uuid, integer, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.settle_pool_order(uuid, uuid, uuid, integer, text, text) TO massage_app;

-- Down Migration
DROP FUNCTION platform.settle_pool_order(uuid, uuid, uuid, integer, text, text);
REVOKE SELECT, INSERT ON journal_transactions, journal_entries FROM massage_platform;
ALTER TABLE journal_entries DROP CONSTRAINT journal_entries_account_check;
ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_account_check CHECK (account ~ (
  '^(clearing:(wechat|alipay|sandbox|cash)|store_revenue|platform_fee|wallet_funding|technician_payouts'
  || '|(customer_wallet|order_liability|technician_payable|cash_on_hand):'
  || '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$')) NOT VALID; -- the journal is append-only
ALTER TABLE journal_transactions DROP CONSTRAINT journal_transactions_kind_check;
ALTER TABLE journal_transactions ADD CONSTRAINT journal_transactions_kind_check CHECK (kind IN (
  'payment', 'refund', 'cancellation_fee', 'order_settlement', 'cash_collection', 'wallet_topup', 'overpayment',
  'correction', 'technician_payout')) NOT VALID;
