import { Injectable } from '@nestjs/common';
import type { Order, OrderEvent, OrderSettings, Prisma, RefundRequest } from '../../generated/prisma/client';
import { advisoryLockKey } from '../../platform/database/advisory-lock-key';
import { TenantContext } from '../../platform/database/tenant-context';
import { CurrentStore } from '../../platform/tenancy/current-store';

/**
 * The advisory lock that serialises bookings carrying one Idempotency-Key (per store and customer).
 * One key for both kinds of unit of work, so a plain-pg and a Prisma booking wait for each other.
 */
export function idempotencyLockKey(tenantId: string, customerId: string, key: string): bigint {
  return advisoryLockKey(`${tenantId}:${customerId}:${key}`);
}

export type NewOrderEvent = Omit<Prisma.OrderEventUncheckedCreateInput, 'tenantId' | 'id' | 'createdAt'>;

/** A booked order as inserted (booking path). */
export type BookedOrder = Pick<
  Order,
  | 'id'
  | 'orderNo'
  | 'customerId'
  | 'quoteId'
  | 'paymentMethod'
  | 'serviceId'
  | 'serviceName'
  | 'durationMinutes'
  | 'totalMinutes'
  | 'technicianId'
  | 'holdId'
  | 'startAt'
  | 'endAt'
  | 'lines'
  | 'subtotalFen'
  | 'adjustmentsFen'
  | 'totalFen'
  | 'addressEnc'
  | 'addressKind'
  | 'addressLat'
  | 'addressLng'
  | 'contactPhoneMasked'
  | 'notes'
  | 'idempotencyKey'
  | 'requestHash'
  | 'paymentDueAt'
>;

/** What a booking checks (OrdersRepository.bookingInputs); null / false where there is nothing. */
export interface BookingInputs {
  previousId: string | null;
  previousHash: Uint8Array | null;
  quoteUsed: boolean;
  quote: {
    id: string;
    serviceId: string;
    serviceName: string;
    durationMinutes: number;
    totalMinutes: number;
    addressId: string;
    technicianId: string | null;
    startAt: Date;
    endAt: Date;
    lines: unknown;
    subtotalFen: number;
    adjustmentsFen: number;
    totalFen: number;
    expiresAt: Date;
  } | null;
  address: {
    id: string;
    contactName: string;
    phoneEnc: Uint8Array;
    phoneMasked: string;
    lat: number;
    lng: number;
    addressText: string;
    houseNumber: string;
    kind: string;
  } | null;
  settings: Pick<OrderSettings, 'orderNumberPrefix' | 'unpaidTimeoutMinutes' | 'reminderMinutesBefore'> | null;
}

/** Every column of `orders` (camelCase field → column); all follow the snake_case rule. */
const ORDER_FIELDS = [
  'tenantId',
  'id',
  'orderNo',
  'customerId',
  'quoteId',
  'status',
  'paymentMethod',
  'serviceId',
  'serviceName',
  'durationMinutes',
  'totalMinutes',
  'technicianId',
  'holdId',
  'startAt',
  'endAt',
  'lines',
  'subtotalFen',
  'adjustmentsFen',
  'totalFen',
  'paidFen',
  'refundedFen',
  'addressEnc',
  'addressKind',
  'addressLat',
  'addressLng',
  'contactPhoneMasked',
  'notes',
  'idempotencyKey',
  'requestHash',
  'paymentDueAt',
  'paymentId',
  'paidAt',
  'cancelledAt',
  'cancelReason',
  'createdAt',
  'updatedAt',
] as const satisfies ReadonlyArray<keyof Order>;
const column = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const SETTABLE = new Set<string>(ORDER_FIELDS.filter((f) => !['tenantId', 'id', 'createdAt', 'updatedAt'].includes(f)));

/** The select list giving rows the Order type's field names. */
export const ORDER_COLUMNS = ORDER_FIELDS.map((f) => (column(f) === f ? f : `${column(f)} AS "${f}"`)).join(', ');

// One row; each part is a keyed lookup on the tenant's own rows (RLS applies as well).
const BOOKING_INPUTS = `
SELECT p.id AS "previousId", p.request_hash AS "previousHash",
       EXISTS (SELECT 1 FROM orders u WHERE u.tenant_id = $1 AND u.quote_id = $4) AS "quoteUsed",
       CASE WHEN q.id IS NULL THEN NULL ELSE json_build_object(
         'id', q.id, 'serviceId', q.service_id, 'serviceName', q.service_name,
         'durationMinutes', q.duration_minutes, 'totalMinutes', q.total_minutes, 'addressId', q.address_id,
         'technicianId', q.technician_id, 'startAt', q.start_at, 'endAt', q.end_at, 'lines', q.lines,
         'subtotalFen', q.subtotal_fen, 'adjustmentsFen', q.adjustments_fen, 'totalFen', q.total_fen,
         'expiresAt', q.expires_at) END AS quote,
       CASE WHEN a.id IS NULL THEN NULL ELSE json_build_object(
         'id', a.id, 'contactName', a.contact_name, 'phoneEnc', encode(a.phone_enc, 'base64'),
         'phoneMasked', a.phone_masked, 'lat', a.lat, 'lng', a.lng, 'addressText', a.address_text,
         'houseNumber', a.house_number, 'kind', a.kind) END AS address,
       CASE WHEN s.tenant_id IS NULL THEN NULL ELSE json_build_object(
         'orderNumberPrefix', s.order_number_prefix, 'unpaidTimeoutMinutes', s.unpaid_timeout_minutes,
         'reminderMinutesBefore', s.reminder_minutes_before) END AS settings
  FROM (SELECT 1) one
  LEFT JOIN orders p ON p.tenant_id = $1 AND p.customer_id = $2 AND p.idempotency_key = $3
  LEFT JOIN quotes q ON q.tenant_id = $1 AND q.id = $4 AND q.customer_id = $2
  LEFT JOIN customer_addresses a
         ON a.tenant_id = $1 AND a.id = q.address_id AND a.customer_id = $2 AND a.deleted_at IS NULL
  LEFT JOIN order_settings s ON s.tenant_id = $1`;

// The day's next number for an order inserted in this transaction, and its first event.
const NUMBER_ORDER = `
WITH seq AS (
  INSERT INTO order_number_counters (tenant_id, local_date, last_seq) VALUES ($1::uuid, $4::date, 1)
  ON CONFLICT (tenant_id, local_date) DO UPDATE SET last_seq = order_number_counters.last_seq + 1
  RETURNING last_seq::text AS n),
o AS (
  UPDATE orders SET order_no = $3 || '-' || CASE WHEN length(seq.n) >= 4 THEN seq.n ELSE lpad(seq.n, 4, '0') END
    FROM seq
   WHERE orders.tenant_id = $1::uuid AND orders.id = $2::uuid
  RETURNING orders.tenant_id, orders.id, orders.order_no),
e AS (
  INSERT INTO order_events (tenant_id, order_id, event, from_status, to_status, actor_type, actor_id, reason, details)
  SELECT o.tenant_id, o.id, $6, $7, $5, $8, $9, $10, $11::jsonb || jsonb_build_object('orderNo', o.order_no)
    FROM o)
SELECT order_no AS "orderNo" FROM o`;

/** The only file of the orders module touching orders, events, counters and settings. */
@Injectable()
export class OrdersRepository {
  constructor(
    private readonly tenantContext: TenantContext,
    private readonly currentStore: CurrentStore,
  ) {}

  private get tenantId(): string {
    return this.tenantContext.tenantId();
  }

  private get db() {
    return this.tenantContext.db();
  }

  /**
   * Serialises requests carrying the same Idempotency-Key for the rest of the transaction: the
   * second waits here until the first commits (then finds its order) or rolls back (then books).
   * Its own statement: a read in the same statement would use a snapshot taken before the wait.
   * Nothing to do when the unit of work's opening message took it (runSql's `advisoryLock`).
   */
  async lockIdempotencyKey(customerId: string, key: string): Promise<void> {
    const lock = idempotencyLockKey(this.tenantId, customerId, key);
    if (this.tenantContext.holdsAdvisoryLock(lock)) return;
    await this.tenantContext.query(`SELECT pg_advisory_xact_lock($1::bigint)::text`, [lock.toString()]);
  }

  /**
   * Everything a booking checks, in one statement after the idempotency lock: the order an
   * earlier request with this key made (id and request hash), the customer's quote, whether the
   * quote was booked already, the quote's address (if still in the book) and the order settings.
   */
  async bookingInputs(customerId: string, key: string, quoteId: string): Promise<BookingInputs> {
    const rows = await this.tenantContext.query<BookingInputs>(BOOKING_INPUTS, [
      this.tenantId,
      customerId,
      key,
      quoteId,
    ]);
    const r = rows[0]!;
    // json_build_object carries timestamps as text and bytea as base64: back to Date and bytes.
    if (r.quote) {
      r.quote.startAt = new Date(r.quote.startAt);
      r.quote.endAt = new Date(r.quote.endAt);
      r.quote.expiresAt = new Date(r.quote.expiresAt);
    }
    if (r.address) r.address.phoneEnc = Buffer.from(r.address.phoneEnc as unknown as string, 'base64');
    return r;
  }

  /** An order by id as the Order row type (plain SQL, either unit of work). */
  async findById(id: string): Promise<Order | null> {
    const rows = await this.tenantContext.query<Order>(
      `SELECT ${ORDER_COLUMNS} FROM orders WHERE tenant_id = $1 AND id = $2`,
      [this.tenantId, id],
    );
    return rows[0] ?? null;
  }

  /**
   * Inserts a booked order under a provisional number (`~{id}`, seen by no one: number() replaces
   * it in the same transaction). Its `place` event comes with the number (number()).
   */
  async insert(o: Omit<BookedOrder, 'orderNo'>): Promise<Order> {
    const rows = await this.tenantContext.query<Order>(
      `INSERT INTO orders (tenant_id, id, order_no, customer_id, quote_id, payment_method, service_id, service_name,
                           duration_minutes, total_minutes, technician_id, hold_id, start_at, end_at, lines,
                           subtotal_fen, adjustments_fen, total_fen, address_enc, address_kind, address_lat, address_lng,
                           contact_phone_masked, notes, idempotency_key, request_hash, payment_due_at)
       VALUES ($1, $2, $27, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb, $15, $16, $17, $18,
               $19, $20, $21, $22, $23, $24, $25, $26)
       RETURNING ${ORDER_COLUMNS}`,
      [
        this.tenantId,
        o.id,
        o.customerId,
        o.quoteId,
        o.paymentMethod,
        o.serviceId,
        o.serviceName,
        o.durationMinutes,
        o.totalMinutes,
        o.technicianId,
        o.holdId,
        o.startAt,
        o.endAt,
        JSON.stringify(o.lines),
        o.subtotalFen,
        o.adjustmentsFen,
        o.totalFen,
        o.addressEnc,
        o.addressKind,
        o.addressLat,
        o.addressLng,
        o.contactPhoneMasked,
        o.notes,
        o.idempotencyKey,
        o.requestHash,
        o.paymentDueAt,
        `~${o.id}`,
      ],
    );
    return rows[0]!;
  }

  /**
   * Gives a just-inserted order the next number of the store's local day and writes its `place`
   * event (its details get `orderNo`), in one statement; `order.orderNo` is then the number. The
   * number is `{numberPrefix}-{seq, ≥ 4 digits}` as formatOrderNumber writes it. The day's counter
   * row stays locked until commit, so numbers are gap-free and every booking of the store waits
   * for it: `at: 'commit'` makes it the unit of work's closing statement (pipelined with COMMIT on
   * the plain-pg path, so the row is held for no client round trip) — for a booking whose unit of
   * work writes nothing after it that names the number; `'now'` runs it at once.
   */
  async number(
    order: Order,
    numbering: { localDate: string; numberPrefix: string },
    e: Omit<NewOrderEvent, 'orderId' | 'toStatus'>,
    at: 'now' | 'commit',
  ): Promise<void> {
    const params = [
      this.tenantId,
      order.id,
      numbering.numberPrefix,
      numbering.localDate,
      order.status,
      e.event,
      e.fromStatus,
      e.actorType,
      e.actorId ?? null,
      e.reason ?? null,
      JSON.stringify(e.details ?? {}),
    ];
    const apply = (rows: Array<Record<string, unknown>>) => {
      order.orderNo = rows[0]!.orderNo as string;
    };
    if (at === 'commit') this.tenantContext.closingStatement(NUMBER_ORDER, params, apply);
    else apply(await this.tenantContext.query(NUMBER_ORDER, params));
  }

  settings(): Promise<OrderSettings | null> {
    return this.db.orderSettings.findUnique({ where: { tenantId: this.tenantId } });
  }

  upsertSettings(
    data: Omit<Prisma.OrderSettingsUncheckedCreateInput, 'tenantId' | 'updatedAt'>,
  ): Promise<OrderSettings> {
    const tenantId = this.tenantId;
    return this.db.orderSettings.upsert({ where: { tenantId }, create: { ...data, tenantId }, update: data });
  }

  async store(): Promise<{ slug: string; timezone: string }> {
    const { slug, timezone } = await this.currentStore.info();
    return { slug, timezone };
  }

  /** Locks the order row for the rest of the transaction; null when it does not exist here. */
  async lock(id: string): Promise<Order | null> {
    const rows = await this.tenantContext.query<Order>(
      `SELECT ${ORDER_COLUMNS} FROM orders WHERE tenant_id = $1::uuid AND id = $2::uuid FOR UPDATE`,
      [this.tenantId, id],
    );
    return rows[0] ?? null;
  }

  /**
   * A transition's write in one statement: the order's changed columns and its event. Only for a
   * patch of plain values (text, numbers, booleans, dates, null); returns null for anything else
   * (increments, JSON), and the caller then uses update() and insertEvent().
   */
  async updateWithEvent(
    id: string,
    patch: Prisma.OrderUncheckedUpdateInput,
    e: Omit<NewOrderEvent, 'orderId'>,
  ): Promise<Order | null> {
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
    const plain = (v: unknown) => v === null || v instanceof Date || ['string', 'number', 'boolean'].includes(typeof v);
    if (entries.some(([k, v]) => !SETTABLE.has(k) || !plain(v))) return null;
    const sets = entries.map(([k], i) => `${column(k)} = $${i + 3}`).join(', ');
    const n = entries.length + 3;
    const rows = await this.tenantContext.query<Order>(
      `WITH u AS (UPDATE orders SET ${sets} WHERE tenant_id = $1::uuid AND id = $2::uuid RETURNING *),
            e AS (INSERT INTO order_events (tenant_id, order_id, event, from_status, to_status, actor_type, actor_id,
                                            reason, details)
                  SELECT u.tenant_id, u.id, $${n}, $${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, $${n + 6}::jsonb
                    FROM u)
       SELECT ${ORDER_COLUMNS} FROM u`,
      [
        this.tenantId,
        id,
        ...entries.map(([, v]) => v),
        e.event,
        e.fromStatus,
        e.toStatus,
        e.actorType,
        e.actorId ?? null,
        e.reason ?? null,
        JSON.stringify(e.details ?? {}),
      ],
    );
    return rows[0] ?? null;
  }

  update(id: string, data: Prisma.OrderUncheckedUpdateInput): Promise<Order> {
    return this.db.order.update({ where: { tenantId_id: { tenantId: this.tenantId, id } }, data });
  }

  insertEvent(e: NewOrderEvent): Promise<OrderEvent> {
    return this.db.orderEvent.create({ data: { ...e, tenantId: this.tenantId } });
  }

  findOne(where: Prisma.OrderWhereInput, id: string): Promise<Order | null> {
    return this.db.order.findFirst({ where: { AND: [{ tenantId: this.tenantId, id }, where] } });
  }

  /** Newest first; keyset on (created_at, id) via the id tiebreak of the last row. */
  list(where: Prisma.OrderWhereInput, take: number): Promise<Order[]> {
    return this.db.order.findMany({
      where: { AND: [{ tenantId: this.tenantId }, where] },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take,
    });
  }

  events(orderId: string): Promise<OrderEvent[]> {
    return this.db.orderEvent.findMany({
      where: { tenantId: this.tenantId, orderId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }

  insertExtension(data: Omit<Prisma.OrderExtensionUncheckedCreateInput, 'tenantId'>) {
    return this.db.orderExtension.create({ data: { ...data, tenantId: this.tenantId } });
  }

  activeAddon(id: string) {
    return this.db.serviceAddon.findFirst({ where: { tenantId: this.tenantId, id, active: true } });
  }

  /** Locks an extension row; null when it does not exist here. */
  async lockExtension(id: string) {
    const rows = await this.db.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM order_extensions WHERE tenant_id = ${this.tenantId}::uuid AND id = ${id}::uuid FOR UPDATE`;
    if (rows.length === 0) return null;
    return this.db.orderExtension.findUnique({ where: { tenantId_id: { tenantId: this.tenantId, id } } });
  }

  updateExtension(id: string, data: Prisma.OrderExtensionUncheckedUpdateInput) {
    return this.db.orderExtension.update({ where: { tenantId_id: { tenantId: this.tenantId, id } }, data });
  }

  insertRefundRequest(data: Omit<Prisma.RefundRequestUncheckedCreateInput, 'tenantId'>): Promise<RefundRequest> {
    return this.db.refundRequest.create({ data: { ...data, tenantId: this.tenantId } });
  }
}
