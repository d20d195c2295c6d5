import { randomBytes } from 'node:crypto';
import { Injectable, NotFoundException } from '@nestjs/common';
import { TenantContext } from '../../platform/database/tenant-context';
import type { TenantInfo } from '../../platform/tenancy/tenant-directory';
import { MerchantCredentialsService } from './merchant-credentials.service';
import { PaymentCallbacksService } from './payment-callbacks.service';
import { PaymentProviderRegistry } from './payment-provider.registry';
import { PaymentsRepository } from './payments.repository';
import type { ProviderReply } from './providers/payment-provider';
import { SANDBOX_HEADERS, sandboxSign } from './providers/internal/sandbox-signature';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The sandbox's side of the counter: a checkout page, and Pay / Fail that record the outcome in
 * the sandbox adapter and deliver a signed notification through the real callback path
 * (PaymentCallbacksService.handle → verifyCallback → the shared idempotent outcome path).
 */
@Injectable()
export class SandboxGatewayService {
  constructor(
    private readonly registry: PaymentProviderRegistry,
    private readonly merchants: MerchantCredentialsService,
    private readonly callbacks: PaymentCallbacksService,
    private readonly repo: PaymentsRepository,
    private readonly tenantContext: TenantContext,
  ) {}

  /** The sandbox payment; with `lock`, its row lock (FOR UPDATE) is held for the rest of the unit of work. */
  private async payment(outTradeNo: string, opts: { lock?: boolean } = {}) {
    const find = (n: string) => (opts.lock ? this.repo.lockByOutTradeNo(n) : this.repo.findByOutTradeNo(n));
    const p = this.registry.sandbox ? await find(outTradeNo) : null;
    if (!p || p.provider !== 'sandbox')
      throw new NotFoundException({ code: 'PAYMENT_NOT_FOUND', message: 'payment not found' });
    return p;
  }

  async checkoutPage(tenant: TenantInfo, outTradeNo: string): Promise<string> {
    const p = await this.payment(outTradeNo);
    const yuan = (p.amountFen / 100).toFixed(2);
    const action = (r: string) => `/t/${tenant.slug}/api/payments/sandbox/checkout/${p.outTradeNo}/${r}`;
    return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>沙箱支付 / Sandbox checkout</title></head><body style="font-family:sans-serif;max-width:420px;margin:40px auto">
<h1>沙箱支付 <small>Sandbox checkout</small></h1>
<p>${escapeHtml(tenant.name)}</p><p>订单支付 / payment <code>${p.outTradeNo}</code></p>
<p style="font-size:2em">¥${yuan}</p><p>状态 / status: <b>${p.status}</b></p>
<form method="post" action="${action('pay')}"><button style="font-size:1.2em;width:100%">支付 / Pay</button></form><br>
<form method="post" action="${action('fail')}"><button style="width:100%">支付失败 / Fail</button></form>
<p><small>仅用于本地测试，不会扣款 / for local testing only, no money moves.</small></p></body></html>`;
  }

  /**
   * Records the outcome and delivers the signed notification through the callback path, in a unit
   * of work of its own: plain SQL for the usual success of an order with its technician chosen;
   * the rarer branches that need Prisma (dispatch on `dispatching`, findings, replays' counters)
   * make it start over in a Prisma transaction. Both steps are idempotent, so starting over is safe.
   */
  complete(tenantId: string, outTradeNo: string, result: 'pay' | 'fail', now = new Date()): Promise<ProviderReply> {
    return this.tenantContext.runSqlElseRun(tenantId, () => this.completeInContext(outTradeNo, result, now));
  }

  private async completeInContext(outTradeNo: string, result: 'pay' | 'fail', now: Date): Promise<ProviderReply> {
    const sandbox = this.registry.sandbox;
    // Locked once, here: the callback path gets this row as a hint instead of locking it again.
    const p = await this.payment(outTradeNo, { lock: true });
    const creds = this.merchants.sandboxCredentials(this.tenantContext.tenantId());
    const n = sandbox!.complete(
      {
        outTradeNo: p.outTradeNo,
        status: result === 'pay' ? 'succeeded' : 'failed',
        amountFen: p.amountFen,
        currency: p.currency,
        merchantId: creds.merchantId,
      },
      now,
    );
    const body = Buffer.from(JSON.stringify(n));
    const ts = String(Math.floor(now.getTime() / 1000));
    const nonce = randomBytes(12).toString('hex');
    const headers = {
      'content-type': 'application/json',
      [SANDBOX_HEADERS.timestamp]: ts,
      [SANDBOX_HEADERS.nonce]: nonce,
      [SANDBOX_HEADERS.signature]: sandboxSign(creds.key, ts, nonce, body),
    };
    return this.callbacks.handle('sandbox', headers, body, now, { lockedPayment: p });
  }
}
