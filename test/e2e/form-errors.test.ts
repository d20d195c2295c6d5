import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPhone } from '../support/auth-client';
import { orderCustomer, tomorrowAt } from '../support/order-fixtures';
import { type DemoStore, type WebHarness, eventually, signIn, startWebHarness } from './support/web-harness';

/** Every API request the page sends, with its parsed JSON body. */
function recordApi(page: Page): Array<{ method: string; path: string; body: unknown }> {
  const sent: Array<{ method: string; path: string; body: unknown }> = [];
  page.on('request', (r: Request) => {
    const url = new URL(r.url());
    if (!url.pathname.includes('/api/')) return;
    let body: unknown;
    try {
      body = r.postDataJSON();
    } catch {
      body = r.postData();
    }
    sent.push({ method: r.method(), path: url.pathname.replace(/^\/t\/[^/]+/, ''), body });
  });
  return sent;
}

describe('H5 forms: bad input gets a message next to the field and nothing broken is sent', () => {
  let h: WebHarness;
  let a: DemoStore;

  beforeAll(async () => {
    h = await startWebHarness();
    a = await h.demoStore({ slug: 'forms-store', name: '表单测试店', themeColor: '#07c160' });
  });
  afterAll(async () => h?.close());

  it('a wrong phone number is refused in the browser; a wrong code is refused by the server next to the code field', async () => {
    const ctx = await h.phone();
    const page = await ctx.newPage();
    await page.goto(`${h.url}/t/${a.tenant.slug}/login`);
    const sent = recordApi(page);

    await page.getByTestId('phone').locator('input').fill('12345');
    await page.getByTestId('send-code').click();
    await eventually(() => page.getByTestId('phone-error').textContent()).toContain('正确的11位手机号');
    await page.getByTestId('login').click();
    await eventually(() => page.getByTestId('code-error').textContent()).toContain('6位数字验证码');
    expect(sent.filter((s) => s.path.startsWith('/api/auth'))).toEqual([]);

    const phone = newPhone();
    await page
      .getByTestId('phone')
      .locator('input')
      .fill(`+86 ${phone.slice(0, 3)} ${phone.slice(3)}`);
    await page.getByTestId('send-code').click();
    await page.getByText('验证码已发送').waitFor();
    expect(await page.getByTestId('phone-error').textContent()).toBe('');
    const real = h.sms.last(phone)!;
    const wrong = real === '000000' ? '111111' : '000000';
    await page.getByTestId('code').locator('input').fill('12a');
    await page.getByTestId('login').click();
    await eventually(() => page.getByTestId('code-error').textContent()).toContain('6位数字验证码');
    await page.getByTestId('code').locator('input').fill(wrong);
    await page.getByTestId('login').click();
    await eventually(() => page.getByTestId('code-error').textContent()).toContain('验证码错误');

    // Exactly two calls left the browser, both well-formed: the normalised number and a 6-digit code.
    expect(sent.filter((s) => s.path.startsWith('/api/auth'))).toEqual([
      { method: 'POST', path: '/api/auth/sms/send', body: { phone, purpose: 'customer' } },
      { method: 'POST', path: '/api/auth/customer/login', body: { phone, code: wrong } },
    ]);
    expect(page.url()).toContain('/login');
    await ctx.close();
  });

  it('booking without an address says so next to the address; no quote or order is sent', async () => {
    const ctx = await h.phone();
    const page = await ctx.newPage();
    await page.goto(`${h.url}/t/${a.tenant.slug}/book?serviceId=${a.serviceId}`);
    await page.waitForURL(/\/login/);
    await signIn(page, h, newPhone());
    await page.waitForURL(/\/book/);
    const sent = recordApi(page);
    await page.getByTestId('submit-order').click();
    await eventually(() => page.getByTestId('address-error').textContent()).toContain('请选择或添加服务地址');
    expect(await page.getByTestId('time-error').textContent()).toContain('请选择上门时间');
    expect(sent.filter((s) => s.method !== 'GET')).toEqual([]);

    // The address form: empty fields and no location are flagged beside each field, nothing is posted.
    await page.goto(`${h.url}/t/${a.tenant.slug}/addresses/new`);
    await page.getByTestId('addr-phone').locator('input').fill('999');
    await page.getByTestId('addr-save').click();
    await eventually(() => page.getByTestId('addr-phone-error').textContent()).toContain('正确的11位手机号');
    expect(await page.getByTestId('addr-location-error').textContent()).toContain('请先获取定位');
    expect(await page.locator('.field-error').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('请填写联系人'), expect.stringContaining('请填写地址')]),
    );
    expect(sent.filter((s) => s.method !== 'GET')).toEqual([]);
    await ctx.close();
  });

  it('cancelling asks for a reason beside the field, then cancels by the policy and shows the refund owed', async () => {
    const c = await orderCustomer(h.f, h.t.app, a.tenant);
    const call = async (method: 'POST', url: string, payload?: object, headers: Record<string, string> = {}) => {
      const r = await h.t.app.inject({
        method,
        url: `/t/${a.tenant.slug}${url}`,
        headers: { authorization: `Bearer ${c.token}`, ...headers },
        payload,
      });
      expect(r.statusCode, `${url}: ${r.body}`).toBeLessThan(300);
      return r.json() as Record<string, unknown>;
    };
    const quote = await call('POST', '/api/quotes', {
      serviceId: a.serviceId,
      durationMinutes: 60,
      addressId: c.addressId,
      startAt: tomorrowAt(3),
    });
    const order = await call(
      'POST',
      '/api/orders',
      { quoteId: quote.id, paymentMethod: 'sandbox' },
      { 'idempotency-key': `cancel-${Date.now()}` },
    );
    const pay = (await call('POST', `/api/orders/${String(order.id)}/pay`, { method: 'sandbox' })) as {
      payment: { outTradeNo: string };
    };
    await call('POST', `/api/payments/sandbox/checkout/${pay.payment.outTradeNo}/pay`);

    const ctx = await h.phone();
    // Signed in as that customer: the tokens the site keeps for this store.
    await ctx.addInitScript(
      `localStorage.setItem('massage:${a.tenant.slug}:customer', ${JSON.stringify(
        JSON.stringify({ accessToken: c.token, refreshToken: 'none', principalId: c.id }),
      )})`,
    );
    const page = await ctx.newPage();
    await page.goto(`${h.url}/t/${a.tenant.slug}/orders/${String(order.id)}`);
    await eventually(() => page.getByTestId('order-status').getAttribute('data-status')).toMatch(
      /^(paid|dispatching)$/,
    );
    const sent = recordApi(page);
    await page.getByTestId('cancel').click();
    await page.getByTestId('confirm-cancel').click();
    await eventually(() => page.locator('.van-popup .field-error').textContent()).toContain('请填写取消原因');
    expect(sent.filter((s) => s.method !== 'GET')).toEqual([]);

    await page.getByTestId('cancel-reason').locator('input').fill('临时有事');
    await page.getByTestId('confirm-cancel').click();
    await eventually(() => page.getByTestId('refund-note').textContent()).toContain('退款 ¥');
    await eventually(() => page.getByTestId('order-status').getAttribute('data-status')).toMatch(
      /^(cancelled|refunded)$/,
    );
    expect(sent.filter((s) => s.method !== 'GET')).toEqual([
      { method: 'POST', path: `/api/orders/${String(order.id)}/cancel`, body: { reason: '临时有事' } },
    ]);
    await ctx.close();
  });
});
