import { createHash, randomUUID } from 'node:crypto';
import { GoneException, Injectable, UnprocessableEntityException } from '@nestjs/common';
import type { Order, OrderSettings, Prisma } from '../../generated/prisma/client';
import type { Actor } from '../../platform/auth/actor';
import type { AppAbility } from '../../platform/authz/app-ability';
import { accessibleBy } from '../../platform/authz/casl-prisma';
import { FieldCipher } from '../../platform/crypto/field-cipher';
import { TenantContext } from '../../platform/database/tenant-context';
import type { TenantInfo } from '../../platform/tenancy/tenant-directory';
import { ADDRESS_PHONE_AAD } from '../addresses/addresses.service';
import type { PayOrderDto, PayResultView } from '../payments/dto/pay.dto';
import { PaymentMethodsService } from '../payments/payment-methods.service';
import { PaymentsService, type PayPlan } from '../payments/payments.service';
import { BusyTimeService } from '../scheduling/busy-time.service';
import { startAtError } from './booking-window';
import type { CreateOrderDto, ListOrdersQuery, OrderDto } from './dto/order.dto';
import { orderActorOf } from './order-actor';
import { orderNotFound } from './order-not-found';
import { defaultPrefix, localDateOf, orderNumberPrefix } from './order-number';
import { effectiveSettings } from './order-settings';
import { OrderTimersService } from './order-timers.service';
import { OrderTransitions } from './order-transitions.service';
import { ORDER_ADDRESS_AAD, orderView, type AddressSnapshot } from './order-view';
import { OrdersRepository, idempotencyLockKey } from './orders.repository';
import { fieldError } from './quotes.service';

const TECHNICIAN_SEES_ADDRESS = ['assigned', 'accepted', 'departed', 'arrived', 'in_service'];

export interface CreatedOrder {
  order: OrderDto;
  /** true when an earlier request with the same Idempotency-Key made it */
  replayed: boolean;
  /** 下单即支付: what the browser does next to pay (when the request asked to `pay`) */
  checkout?: PayResultView;
}

/** Who books, for paying in the same request: their ability (a replay pays like POST /orders/{id}/pay) and IP. */
export interface Booker {
  actor: Actor;
  ability: AppAbility;
  clientIp: string;
}

/** Canonical hash of what a create request asks for (same key + different body → 422). */
export function requestHash(body: CreateOrderDto): Buffer {
  const fields: unknown[] = [body.quoteId, body.notes ?? null, body.paymentMethod];
  if (body.pay) fields.push(body.pay.channel ?? null, body.pay.openid ?? null);
  return createHash('sha256').update(JSON.stringify(fields)).digest();
}

/** What a booking's unit of work hands back: the order, and the payment it started. */
interface Booking {
  order: Order;
  replayed: boolean;
  plan?: PayPlan;
}

@Injectable()
export class OrdersService {
  constructor(
    private readonly repo: OrdersRepository,
    private readonly busy: BusyTimeService,
    private readonly transitions: OrderTransitions,
    private readonly timers: OrderTimersService,
    private readonly cipher: FieldCipher,
    private readonly tenantContext: TenantContext,
    private readonly paymentMethods: PaymentMethodsService,
    private readonly payments: PaymentsService,
  ) {}

  /**
   * Books a quote in one unit of work of its own (the route opens none): the idempotency lock,
   * the technician's busy-time hold (the database's EXCLUDE constraint refuses overlaps → 409
   * SLOT_TAKEN, nothing written), timers, the gap-free order number, the order, its first event.
   * Plain SQL on the pg path; pay on arrival goes through a Prisma transaction because its
   * `confirm_unpaid` transition (and what hooks on it) does.
   */
  async create(
    tenant: TenantInfo,
    booker: Booker,
    key: string,
    body: CreateOrderDto,
    now = new Date(),
  ): Promise<CreatedOrder> {
    const method = body.paymentMethod;
    if (body.pay && method === 'on_arrival') {
      throw fieldError(
        'NOTHING_TO_PAY_NOW',
        'pay',
        '到付订单无需在线支付 / a pay-on-arrival order is paid to the technician',
      );
    }
    const pay = body.pay && method !== 'on_arrival' ? { method, ...body.pay } : undefined;
    const work = () => this.book(tenant, booker, key, body, pay, now);
    // Prisma when a transition runs in the booking (pay on arrival, balance paid at once); on the
    // plain-pg path the idempotency lock rides on the opening message (no round trip of its own).
    const booked =
      method === 'on_arrival' || pay?.method === 'balance'
        ? await this.tenantContext.run(tenant.id, work)
        : await this.tenantContext.runSql(tenant.id, work, {
            advisoryLock: idempotencyLockKey(tenant.id, booker.actor.id, key),
          });
    const created: CreatedOrder = { order: orderView(booked.order), replayed: booked.replayed };
    if (booked.plan) return { ...created, checkout: await this.payments.finish(booked.plan) };
    if (pay && booked.replayed && booked.order.status === 'pending_payment') {
      // A retried booking pays as POST /orders/{id}/pay would: a pending payment of the method is reused.
      const { actor, ability, clientIp } = booker;
      return { ...created, checkout: await this.payments.pay(actor, ability, tenant, booked.order.id, pay, clientIp) };
    }
    return created;
  }

  private async book(
    tenant: TenantInfo,
    { actor, clientIp }: Booker,
    key: string,
    body: CreateOrderDto,
    pay: PayOrderDto | undefined,
    now: Date,
  ): Promise<Booking> {
    const hash = requestHash(body);
    await this.repo.lockIdempotencyKey(actor.id, key);
    const inputs = await this.repo.bookingInputs(actor.id, key, body.quoteId);
    if (inputs.previousId) {
      if (!Buffer.from(inputs.previousHash!).equals(hash)) {
        throw new UnprocessableEntityException({
          code: 'IDEMPOTENCY_KEY_REUSED',
          message: 'this Idempotency-Key was used for a different request',
        });
      }
      return { order: (await this.repo.findById(inputs.previousId))!, replayed: true };
    }

    const quote = inputs.quote;
    if (!quote) throw fieldError('QUOTE_NOT_FOUND', 'quoteId', '报价不存在 / no such quote');
    if (quote.expiresAt.getTime() <= now.getTime()) {
      const message = '报价已过期，请重新下单 / the quote has expired, please get a new one';
      throw new GoneException({ code: 'QUOTE_EXPIRED', message, fields: [{ field: 'quoteId', messages: [message] }] });
    }
    if (quote.startAt.getTime() <= now.getTime()) throw startAtError('START_IN_PAST');
    if (inputs.quoteUsed) {
      throw fieldError('QUOTE_ALREADY_USED', 'quoteId', '该报价已下单 / this quote has already been booked');
    }
    if (body.paymentMethod === 'on_arrival' && !(await this.paymentMethods.onArrivalEnabled())) {
      throw fieldError(
        'PAYMENT_METHOD_UNAVAILABLE',
        'paymentMethod',
        '本店暂不支持到付 / this store does not take pay on arrival',
      );
    }
    const address = inputs.address;
    if (!address)
      throw fieldError('ADDRESS_NOT_FOUND', 'quoteId', '报价的地址已删除 / the quote’s address was removed');

    const tenantId = this.tenantContext.tenantId();
    const orderId = randomUUID();
    let holdId: string | null = null;
    if (quote.technicianId) {
      // First, so a lost race fails before anything else is written (SlotTakenError → 409).
      const hold = await this.busy.hold(quote.technicianId, { start: quote.startAt, end: quote.endAt }, 'booking', {
        referenceId: orderId,
        location: { lat: address.lat, lng: address.lng },
      });
      holdId = hold.id;
    }

    const settings = effectiveSettings(inputs.settings as OrderSettings | null);
    const store = await this.repo.store();
    const onArrival = body.paymentMethod === 'on_arrival';
    const paymentDueAt = onArrival ? null : new Date(now.getTime() + settings.unpaidTimeoutMinutes * 60_000);
    // The timers go to Redis after the commit (JobQueue batches a unit of work's jobs), never for
    // a booking that rolls back.
    const remindAt = new Date(quote.startAt.getTime() - settings.reminderMinutesBefore * 60_000);
    await Promise.all([
      paymentDueAt ? this.timers.unpaidTimeout({ id: orderId }, paymentDueAt, now.getTime()) : undefined,
      remindAt.getTime() > now.getTime()
        ? this.timers.startReminder({ id: orderId }, remindAt, now.getTime())
        : undefined,
    ]);

    const snapshot: AddressSnapshot = {
      contactName: address.contactName,
      phone: this.cipher.decrypt(address.phoneEnc, ADDRESS_PHONE_AAD(tenantId)),
      addressText: address.addressText,
      houseNumber: address.houseNumber,
    };
    const who = orderActorOf(actor);
    const localDate = localDateOf(now, store.timezone);
    let order = await this.repo.insert({
      id: orderId,
      customerId: actor.id,
      quoteId: quote.id,
      paymentMethod: body.paymentMethod,
      serviceId: quote.serviceId,
      serviceName: quote.serviceName,
      durationMinutes: quote.durationMinutes,
      totalMinutes: quote.totalMinutes,
      technicianId: quote.technicianId,
      holdId,
      startAt: quote.startAt,
      endAt: quote.endAt,
      lines: quote.lines as Order['lines'],
      subtotalFen: quote.subtotalFen,
      adjustmentsFen: quote.adjustmentsFen,
      totalFen: quote.totalFen,
      addressEnc: new Uint8Array(this.cipher.encrypt(JSON.stringify(snapshot), ORDER_ADDRESS_AAD(tenantId))),
      addressKind: address.kind,
      addressLat: address.lat,
      addressLng: address.lng,
      contactPhoneMasked: address.phoneMasked,
      notes: body.notes ?? null,
      idempotencyKey: key,
      requestHash: new Uint8Array(hash),
      paymentDueAt,
    });
    // The day's number and the order's first event. Concurrent bookings of the store queue on the
    // day's counter row until commit, so when nothing later in this unit of work names the number
    // (no transition follows: its notices would) it is taken in the closing statement, pipelined
    // with COMMIT; otherwise now.
    const transitionFollows = onArrival || pay?.method === 'balance';
    await this.repo.number(
      order,
      {
        localDate,
        numberPrefix: orderNumberPrefix(settings.orderNumberPrefix ?? defaultPrefix(store.slug), localDate),
      },
      {
        event: 'place',
        fromStatus: 'new',
        actorType: who.type,
        actorId: who.id,
        reason: null,
        details: { totalFen: quote.totalFen, paymentMethod: body.paymentMethod },
      },
      transitionFollows ? 'now' : 'commit',
    );
    if (onArrival) {
      // 到付: nothing to wait for; the technician confirms collection later (payments module).
      order = await this.transitions.apply(orderId, 'confirm_unpaid', who, 'pay on arrival', { locked: order });
    }
    if (!pay) return { order, replayed: false };
    const plan = await this.payments.startForNewOrder(order, tenant, pay, clientIp);
    // balance paid at once: the order moved on (paid → assigned/dispatching)
    if ('done' in plan) order = (await this.repo.findById(orderId))!;
    return { order, replayed: false, plan };
  }

  async list(ability: AppAbility, q: ListOrdersQuery): Promise<OrderDto[]> {
    const filters: Prisma.OrderWhereInput[] = [accessibleBy(ability).ofType('Order')];
    if (q.status) filters.push({ status: q.status });
    if (q.technicianId) filters.push({ technicianId: q.technicianId });
    if (q.from) filters.push({ startAt: { gte: q.from } });
    if (q.to) filters.push({ startAt: { lt: q.to } });
    return (await this.repo.list({ AND: filters }, q.limit)).map((o) => orderView(o));
  }

  async get(ability: AppAbility, actor: Actor, id: string): Promise<OrderDto> {
    const order = await this.repo.findOne(accessibleBy(ability).ofType('Order'), id);
    if (!order) throw orderNotFound();
    const events = ability.can('read', 'OrderEvent') ? await this.repo.events(id) : undefined;
    // PIPL: a technician sees the exact address only while the job is theirs and not over.
    const showAddress = actor.kind !== 'technician' || TECHNICIAN_SEES_ADDRESS.includes(order.status);
    return orderView(order, { address: showAddress ? this.address(order) : undefined, events });
  }

  address(order: Order): AddressSnapshot {
    return JSON.parse(
      this.cipher.decrypt(order.addressEnc, ORDER_ADDRESS_AAD(this.tenantContext.tenantId())),
    ) as AddressSnapshot;
  }
}
