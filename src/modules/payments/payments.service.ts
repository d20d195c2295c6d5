import { randomUUID } from 'node:crypto';
import {
  BadGatewayException,
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import type { Actor } from '../../platform/auth/actor';
import type { AppAbility } from '../../platform/authz/app-ability';
import { subject } from '@casl/ability';
import { accessibleBy } from '../../platform/authz/casl-prisma';
import { TenantContext } from '../../platform/database/tenant-context';
import type { TenantInfo } from '../../platform/tenancy/tenant-directory';
import { LedgerService } from '../ledger/ledger.service';
import { orderNotFound } from '../orders/order-not-found';
import { paymentReceived } from '../ledger/ledger-postings';
import type { PaymentView, PayOrderDto, PayResultView } from './dto/pay.dto';
import { MerchantCredentialsService } from './merchant-credentials.service';
import { assertOutsideUnitOfWork } from './outside-transaction';
import { outTradeNoOf } from './payment-checks';
import { PaymentProviderRegistry } from './payment-provider.registry';
import { paymentView } from './payment-view';
import { OrdersPort } from './orders-port';
import { PaymentsRepository } from './payments.repository';
import type { CreatePaymentInput, CreatePaymentResult } from './providers/payment-provider';
import { ProviderRequestError } from './providers/provider-errors';
import { ReconciliationScheduler } from './reconciliation.scheduler';

/** How long a provider payment stays payable (WeChat time_expire / Alipay time_expire). */
const PAYMENT_TTL_MS = 30 * 60_000;
/** A pending payment with less than this left is not offered again: a new one is made. */
const REUSE_MARGIN_MS = 5 * 60_000;

/** The order columns a payment is made from. */
export interface PayableOrder {
  id: string;
  customerId: string;
  orderNo: string;
  totalFen: number;
}

/** What the first unit of work of pay() leaves to do: nothing (balance), or the prepay call. */
export type PayPlan =
  | { done: PayResultView }
  | {
      payment: PaymentView;
      createPayment: (input: CreatePaymentInput<unknown>) => Promise<CreatePaymentResult>;
      input: Omit<CreatePaymentInput<unknown>, 'description'>;
      /** Written when the prepay is asked for: a new order's number is assigned as its booking commits. */
      describe: () => string;
    };

/** Statuses in which a pay-on-arrival order's cash can be collected (the technician is there or was). */
export const CASH_COLLECTABLE = ['assigned', 'accepted', 'departed', 'arrived', 'in_service', 'completed'];

@Injectable()
export class PaymentsService {
  constructor(
    private readonly repo: PaymentsRepository,
    private readonly registry: PaymentProviderRegistry,
    private readonly merchants: MerchantCredentialsService,
    private readonly ledger: LedgerService,
    private readonly orders: OrdersPort,
    private readonly tenantContext: TenantContext,
    private readonly scheduler: ReconciliationScheduler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Starts paying one's own pending order (pending_payment) or, with `extensionId`, a 加钟
   * supplementary charge. Balance pays at once (the wallet is checked under a per-customer lock);
   * the others return what the browser must do next and finish by callback. A pending payment of
   * the same method and target is reused (same out_trade_no, same expiry), so a double tap or a
   * retry makes one payment. Outside any unit of work: the payment row is committed first, then
   * the provider is asked for the prepay with no transaction open; if that call fails the row stays
   * pending for the next attempt and for reconciliation.
   */
  async pay(
    actor: Actor,
    ability: AppAbility,
    tenant: TenantInfo,
    orderId: string,
    dto: PayOrderDto,
    clientIp: string,
    extensionId: string | null = null,
  ): Promise<PayResultView> {
    assertOutsideUnitOfWork(this.tenantContext, 'PaymentsService.pay');
    const work = () => this.start(actor, ability, tenant, orderId, dto, clientIp, extensionId);
    // A provider payment of an order only writes its pending row: plain SQL. Balance (ledger,
    // order transition) and 加钟 payments keep the Prisma transaction.
    const plain = dto.method !== 'balance' && extensionId === null;
    const plan = await (plain ? this.tenantContext.runSql(tenant.id, work) : this.tenantContext.run(tenant.id, work));
    return this.finish(plan);
  }

  /**
   * 下单即支付: the payment of an order booked in the caller's unit of work — no lock and no
   * lookup of a pending payment to reuse, the order is new. Balance settles here (the caller's
   * unit of work must then be a Prisma one); the others return the plan `finish` completes once
   * that unit of work has committed.
   */
  startForNewOrder(order: PayableOrder, tenant: TenantInfo, dto: PayOrderDto, clientIp: string): Promise<PayPlan> {
    return this.plan(order, order.totalFen, tenant, dto, clientIp, null, false, 'paymentMethod');
  }

  /** What remains of a payment once its row is committed: the provider's prepay, with no transaction open. */
  async finish(plan: PayPlan): Promise<PayResultView> {
    assertOutsideUnitOfWork(this.tenantContext, 'PaymentsService.finish');
    if ('done' in plan) return plan.done;
    let next: CreatePaymentResult;
    try {
      next = await plan.createPayment({ ...plan.input, description: plan.describe() });
    } catch (e) {
      if (!(e instanceof ProviderRequestError)) throw e;
      throw new BadGatewayException({
        code: 'PAYMENT_PROVIDER_ERROR',
        message: `支付渠道暂时不可用，请稍后重试 / the payment provider did not accept the payment: ${e.message}`,
      });
    }
    return { payment: plan.payment, next: { ...next } };
  }

  /** The first unit of work of pay(): checks, the payment row, and — for balance — the whole payment. */
  private async start(
    actor: Actor,
    ability: AppAbility,
    tenant: TenantInfo,
    orderId: string,
    dto: PayOrderDto,
    clientIp: string,
    extensionId: string | null,
  ): Promise<PayPlan> {
    // Only one's own order, and only one the ability lets one see (checked on the locked row).
    const order = await this.repo.lockOrder(orderId, actor.id);
    if (!order || !ability.can('read', subject('Order', order as never))) throw orderNotFound();
    let amountFen = order.totalFen;
    if (extensionId) {
      const ext = await this.repo.findExtension(order.id, extensionId);
      if (!ext) throw new NotFoundException({ code: 'EXTENSION_NOT_FOUND', message: 'extension not found' });
      if (ext.status !== 'pending_payment') {
        throw new ConflictException({
          code: 'EXTENSION_NOT_PAYABLE',
          message: `an extension in status ${ext.status} cannot be paid`,
        });
      }
      amountFen = ext.amountFen;
    } else if (order.status !== 'pending_payment') {
      throw new ConflictException({
        code: 'ORDER_NOT_PAYABLE',
        message: `订单状态 ${order.status} 不能支付 / an order in status ${order.status} cannot be paid`,
      });
    }
    return this.plan(order, amountFen, tenant, dto, clientIp, extensionId, true, 'method');
  }

  /** The payment row (a pending one of the same method reused when `reuse`), and for balance the whole payment. */
  private async plan(
    order: PayableOrder,
    amountFen: number,
    tenant: TenantInfo,
    dto: PayOrderDto,
    clientIp: string,
    extensionId: string | null,
    reuse: boolean,
    methodField: string,
  ): Promise<PayPlan> {
    const provider = this.registry.get(dto.method);
    const merchant = provider ? await this.merchants.forProvider(dto.method) : null;
    if (!provider || !merchant || !merchant.enabled) {
      throw new BadRequestException({
        code: 'PAYMENT_METHOD_UNAVAILABLE',
        message: 'payment method not available in this store',
        fields: [{ field: methodField, messages: [`${dto.method} 暂不可用 / ${dto.method} is not available here`] }],
      });
    }

    if (dto.method === 'balance') {
      await this.repo.lockWallet(order.customerId);
      const balance = await this.ledger.walletBalance(order.customerId);
      if (balance < amountFen) {
        throw new ConflictException({
          code: 'INSUFFICIENT_BALANCE',
          message: `余额不足 / balance ${balance} fen is less than ${amountFen} fen`,
        });
      }
    }

    // reused while it can still be paid for a while; an older one is left to expire at the provider
    const reusableSince = new Date(Date.now() - PAYMENT_TTL_MS + REUSE_MARGIN_MS);
    const existing = reuse ? await this.repo.findPendingFor(order.id, dto.method, extensionId, reusableSince) : null;
    const id = existing?.id ?? randomUUID();
    const plain = dto.method !== 'balance' && extensionId === null;
    const payment =
      existing ??
      (plain
        ? await this.repo.createPending({
            id,
            orderId: order.id,
            kind: 'charge',
            provider: dto.method,
            channel: dto.channel ?? (dto.method === 'alipay' ? 'wap' : 'h5'),
            outTradeNo: outTradeNoOf(id),
            amountFen,
            merchantId: merchant.merchantId,
            customerId: order.customerId,
          })
        : await this.repo.create({
            id,
            orderId: order.id,
            extensionId,
            kind: extensionId ? 'supplement' : 'charge',
            provider: dto.method,
            channel: dto.method === 'balance' ? 'internal' : (dto.channel ?? (dto.method === 'alipay' ? 'wap' : 'h5')),
            outTradeNo: outTradeNoOf(id),
            amountFen,
            currency: 'CNY',
            merchantId: merchant.merchantId,
            customerId: order.customerId,
          }));

    if (dto.method === 'balance') {
      const done = await this.repo.update(payment.id, { status: 'succeeded', paidAt: new Date() });
      await this.ledger.post(
        paymentReceived({
          source: { kind: 'wallet', customerId: order.customerId },
          paymentId: payment.id,
          orderId: order.id,
          amountFen: payment.amountFen,
        }),
      );
      const paid = { paymentId: payment.id, amountFen: payment.amountFen };
      if (extensionId) await this.orders.markExtensionPaid(extensionId, paid);
      else await this.orders.markPaid(order.id, paid);
      return { done: { payment: paymentView(done), next: { kind: 'completed' } } };
    }

    await this.scheduler.ensure(this.tenantContext.tenantId());
    const base = `${this.config.PUBLIC_URL}/t/${tenant.slug}`;
    return {
      payment: paymentView(payment),
      createPayment: provider.createPayment.bind(provider),
      input: {
        credentials: merchant.credentials,
        channel: payment.channel as 'jsapi' | 'h5' | 'wap',
        outTradeNo: payment.outTradeNo,
        amountFen: payment.amountFen,
        currency: 'CNY',
        // from the payment's creation, so a retried prepay asks for exactly the same payment
        expiresAt: new Date(payment.createdAt.getTime() + PAYMENT_TTL_MS),
        notifyUrl: `${base}/api/payments/callbacks/${dto.method}`,
        returnUrl: `${base}/orders/${order.id}`,
        payer: { clientIp, openid: dto.openid },
      },
      describe: () => `${tenant.name} 订单 ${order.orderNo}${extensionId ? ' 加钟' : ''}`.slice(0, 120),
    };
  }

  /**
   * 到付: the assigned technician confirms the cash is collected. Records a succeeded cash payment,
   * books the cash as on the technician's hands and the order's amount as received. Repeating it
   * returns the first confirmation.
   */
  async collectCash(actor: Actor, ability: AppAbility, orderId: string): Promise<PaymentView> {
    const mine = actor.kind === 'technician' ? { technicianId: actor.id } : {};
    if (!(await this.visibleOrder(ability, orderId, mine))) throw orderNotFound();
    const order = await this.repo.lockOrder(orderId);
    if (!order) throw orderNotFound();
    if (order.paymentMethod !== 'on_arrival') {
      throw new ConflictException({
        code: 'NOT_PAY_ON_ARRIVAL',
        message: '该订单不是到付订单 / this order is not paid on arrival',
      });
    }
    if (order.paidAt) {
      const previous = await this.repo.succeededChargeOf(order.id);
      if (previous) return paymentView(previous);
    }
    if (!CASH_COLLECTABLE.includes(order.status) || !order.technicianId) {
      throw new ConflictException({
        code: 'ORDER_NOT_COLLECTABLE',
        message: `an order in status ${order.status} cannot be collected`,
      });
    }
    const id = randomUUID();
    const at = new Date();
    const payment = await this.repo.create({
      id,
      orderId: order.id,
      kind: 'charge',
      provider: 'cash',
      channel: 'internal',
      outTradeNo: outTradeNoOf(id),
      amountFen: order.totalFen,
      currency: 'CNY',
      status: 'succeeded',
      merchantId: 'store',
      customerId: order.customerId,
      paidAt: at,
    });
    await this.ledger.post(
      paymentReceived({
        source: { kind: 'cash', technicianId: order.technicianId },
        paymentId: id,
        orderId: order.id,
        amountFen: order.totalFen,
      }),
    );
    await this.repo.recordCashReceived(order.id, id, order.totalFen, at);
    return paymentView(payment);
  }

  async listForOrder(ability: AppAbility, orderId: string): Promise<PaymentView[]> {
    if (!(await this.visibleOrder(ability, orderId, {}))) throw orderNotFound();
    return (await this.repo.listForOrder(orderId)).map(paymentView);
  }

  async get(ability: AppAbility, paymentId: string): Promise<PaymentView> {
    const p = await this.repo.find(paymentId);
    if (!p || !(await this.visibleOrder(ability, p.orderId, {}))) {
      throw new NotFoundException({ code: 'PAYMENT_NOT_FOUND', message: 'payment not found' });
    }
    return paymentView(p);
  }

  private async visibleOrder(ability: AppAbility, id: string, extra: { customerId?: string; technicianId?: string }) {
    return this.tenantContext.db().order.findFirst({
      where: { AND: [accessibleBy(ability).ofType('Order'), { id, ...extra }] },
      select: { id: true },
    });
  }
}
