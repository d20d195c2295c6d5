import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPhone } from '../support/auth-client';
import { orderCustomer, tomorrowAt } from '../support/order-fixtures';
import { bookOrder } from '../support/payment-fixtures';
import { type DemoStore, type WebHarness, eventually, shot, signIn, startWebHarness } from './support/web-harness';

/** Tomorrow's date in the store's zone, as the booking page labels its day buttons. */
const tomorrow = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + 86_400_000));

describe('H5 full flow: a customer books and pays with the sandbox and follows the order live', () => {
  let h: WebHarness;
  let a: DemoStore;
  let customer: BrowserContext;
  let technician: BrowserContext;
  let page: Page;
  let techPage: Page;
  let orderId: string;
  let staffToken: string;

  beforeAll(async () => {
    h = await startWebHarness();
    a = await h.demoStore({ slug: 'flow-store', name: '静安悦享SPA', themeColor: '#b0417a', serviceName: '精油SPA' });
    const staff = await h.f.newStaff(a.tenant, { role: 'tenant_owner' });
    staffToken = await h.f.token({ id: staff.id, role: 'tenant_owner', tenantId: a.tenant.id });
    customer = await h.phone();
    technician = await h.phone();
  });
  afterAll(async () => h?.close());

  it('books: service → duration → any technician → new address with geolocation → time → quote → sandbox pay', async () => {
    page = await customer.newPage();
    await page.goto(`${h.url}/t/${a.tenant.slug}/`);
    await page.getByTestId('service-card').first().click();
    await page.getByTestId('service-name').waitFor();
    await page.getByTestId('book').click();
    await page.waitForURL(/\/login/);
    await signIn(page, h, newPhone());
    await page.waitForURL(/\/book/);

    // No address yet: add one, located by the browser.
    await page.getByText('新增地址').click();
    await page.waitForURL(/\/addresses\/new/);
    await page.getByTestId('addr-contact').locator('input').fill('王女士');
    await page.getByTestId('addr-phone').locator('input').fill(newPhone());
    await page.getByTestId('addr-locate').click();
    await page.getByText('已获取定位').waitFor();
    await page.getByTestId('addr-text').locator('input').fill('上海市黄浦区人民大道200号');
    await page.getByTestId('addr-house').locator('input').fill('3号楼1201室');
    await page.getByTestId('addr-save').click();
    await page.waitForURL(/\/book/);

    await page.getByTestId('address-option').first().waitFor();
    await page.getByTestId('duration-90').click();
    await page.getByTestId(`date-${tomorrow()}`).click();
    await page.getByTestId('slot').first().click();
    await eventually(() => page.getByTestId('quote-total').textContent()).toMatch(/^¥\d+\.\d\d$/);
    await shot(page, 'booking');
    // Only what this store offers (GET /api/payment-methods): no merchant account, so no WeChat/Alipay.
    await page.getByTestId('pay-method-sandbox').waitFor();
    expect(await page.getByTestId('pay-method-on_arrival').count()).toBe(1);
    expect(await page.getByTestId('pay-method-wechat').count()).toBe(0);
    expect(await page.getByTestId('pay-method-alipay').count()).toBe(0);

    await page.getByTestId('submit-order').click();
    await page.getByTestId('sandbox-checkout').waitFor();
    orderId = /\/orders\/([0-9a-f-]{36})\/pay/.exec(page.url())![1]!;
    await page.getByTestId('sandbox-pay').click();
    await page.getByTestId('pay-result').waitFor({ timeout: 10_000 });
    await shot(page, 'payment-result');

    await page.getByTestId('view-order').click();
    // Paid; the store may hand it to dispatch at once.
    await eventually(() => page.getByTestId('order-status').getAttribute('data-status')).toMatch(
      /^(paid|dispatching)$/,
    );
    const paid = await h.f.query<{ status: string; paid_fen: number; total_fen: number }>(
      `SELECT status, paid_fen, total_fen FROM orders WHERE tenant_id = $1 AND id = $2`,
      [a.tenant.id, orderId],
    );
    expect(paid.rows[0]!.status).toMatch(/^(paid|dispatching)$/);
    expect(paid.rows[0]!.paid_fen).toBe(paid.rows[0]!.total_fen);
  });

  const move = async (event: string, extra: Record<string, string> = {}) => {
    const r = await h.t.app.inject({
      method: 'POST',
      url: `/t/${a.tenant.slug}/api/orders/${orderId}/transitions`,
      headers: { authorization: `Bearer ${staffToken}` },
      payload: { event, ...extra },
    });
    expect(r.statusCode, r.body).toBe(200);
    return (r.json() as { status: string }).status;
  };
  const customerSees = (status: string) =>
    eventually(() => page.getByTestId('order-status').getAttribute('data-status')).toBe(status);

  it('the technician signs in on a second phone, goes online, and grabs the order in the live grab hall', async () => {
    await page.evaluate('window.__sameDocument = true');
    techPage = await technician.newPage();
    await techPage.goto(`${h.url}/t/${a.tenant.slug}/tech`);
    await techPage.waitForURL(/\/tech\/login/);
    await signIn(techPage, h, a.technician.phone);
    await techPage.waitForURL(/\/tech$/);
    await eventually(() => techPage.getByTestId('tech-status').textContent()).toContain('已通过');
    await techPage.getByTestId('online-switch').click();
    await eventually(
      async () => (await h.f.query(`SELECT online FROM technicians WHERE id = $1`, [a.technician.id])).rows[0],
    ).toEqual({ online: true });
    expect(await techPage.getByTestId('sos').isVisible()).toBe(true);

    await techPage.goto(`${h.url}/t/${a.tenant.slug}/tech/grab`);
    await techPage.getByTestId('grab-empty').or(techPage.getByTestId('grab-offer')).waitFor();
    // Unless dispatch already put the paid order into the grab hall, the store does, and it appears live.
    if (await techPage.getByTestId('grab-empty').isVisible()) {
      const status = await h.f.query<{ status: string }>(`SELECT status FROM orders WHERE id = $1`, [orderId]);
      if (status.rows[0]!.status === 'paid') await move('dispatch');
      const open = await h.t.app.inject({
        method: 'POST',
        url: `/t/${a.tenant.slug}/api/grab/orders/${orderId}/open`,
        headers: { authorization: `Bearer ${staffToken}` },
      });
      expect(open.statusCode, open.body).toBe(200);
    }
    await techPage.getByTestId('grab-offer').waitFor({ timeout: 8_000 });
    await shot(techPage, 'grab-hall');
    await techPage.getByTestId('grab').click();
    await techPage.waitForURL(/\/tech\/orders/);
    // the claim is the acceptance (src/modules/dispatch/README.md)
    await techPage.getByText('技师已接单').first().waitFor();
    await customerSees('accepted');
  });

  it('the technician works the order with the workflow buttons; the customer sees each step live, without reloading', async () => {
    // The page is on the event stream (its fallback poll is 30 s while connected, longer than each wait below).
    await page.getByTestId('live').waitFor();
    await techPage.goto(`${h.url}/t/${a.tenant.slug}/tech/orders`);
    for (const [button, status] of [
      ['tech-depart', 'departed'],
      ['tech-arrive', 'arrived'],
      ['tech-start', 'in_service'],
      ['tech-complete', 'completed'],
    ] as const) {
      await techPage.getByTestId(button).click();
      await customerSees(status);
    }
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    await page.getByTestId('review').waitFor();
    await shot(page, 'order-timeline');
    await techPage.getByText('已完成').first().waitFor();
    await shot(techPage, 'tech-orders');
  });

  it('the income page charts the earning from the ledger; a withdrawal above the balance is refused beside the field', async () => {
    const sent: string[] = [];
    techPage.on('request', (r) => {
      if (r.method() === 'POST') sent.push(new URL(r.url()).pathname);
    });
    await techPage.goto(`${h.url}/t/${a.tenant.slug}/tech/income`);
    await techPage.getByTestId('income-chart').waitFor();
    await eventually(() => techPage.getByTestId('income-total').textContent()).toMatch(/^¥[1-9]/);
    await shot(techPage, 'income');
    await techPage.getByTestId('withdraw-amount').locator('input').fill('999999');
    await techPage.getByTestId('withdraw').click();
    await eventually(() => techPage.getByTestId('withdraw-error').textContent()).toContain('请输入不超过');
    expect(sent).toEqual([]);
    await techPage.getByTestId('withdraw-amount').locator('input').fill('1');
    await techPage.getByTestId('withdraw').click();
    await eventually(() => techPage.getByTestId('withdrawal').first().textContent()).toContain('待审核');
    expect(sent).toEqual([`/t/${a.tenant.slug}/api/technician/withdrawals`]);
  });

  it('到付: at the door the technician confirms the cash with one tap; the order is paid and the button goes', async () => {
    const c = await orderCustomer(h.f, h.t.app, a.tenant);
    // the day after tomorrow, clear of the order above
    const startAt = new Date(Date.parse(tomorrowAt(15)) + 86_400_000).toISOString();
    const cash = await bookOrder(h.t.app, a, c, {
      paymentMethod: 'on_arrival',
      technicianId: a.technician.id,
      startAt,
    });
    for (const event of ['accept', 'depart', 'arrive']) {
      const r = await h.t.app.inject({
        method: 'POST',
        url: `/t/${a.tenant.slug}/api/orders/${cash.id}/transitions`,
        headers: { authorization: `Bearer ${staffToken}` },
        payload: { event },
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    await techPage.goto(`${h.url}/t/${a.tenant.slug}/tech/orders`);
    const button = techPage.getByTestId('tech-cash');
    await eventually(() => button.textContent()).toContain(`¥${(cash.totalFen / 100).toFixed(2)}`);
    expect(await button.count()).toBe(1); // the sandbox-paid order above owes nothing
    await button.click();
    await eventually(() => button.count()).toBe(0);
    const row = await h.f.query<{ paid_fen: number }>(`SELECT paid_fen FROM orders WHERE id = $1`, [cash.id]);
    expect(row.rows[0]!.paid_fen).toBe(cash.totalFen);
  });

  it('the customer leaves a review; the order becomes reviewed and the review shows on the technician profile', async () => {
    await page.getByTestId('review').click();
    await page.getByTestId('rate-overall').locator('.van-rate__item').nth(3).click();
    await page.locator('textarea').fill('手法专业，准时到达');
    await page.getByTestId('submit-review').click();
    await page.getByTestId('review-done').waitFor();
    const r = await h.f.query<{ stars: number; text: string }>(`SELECT stars, text FROM reviews WHERE order_id = $1`, [
      orderId,
    ]);
    expect(r.rows[0]).toMatchObject({ stars: 4, text: '手法专业，准时到达' });
    await page.goto(`${h.url}/t/${a.tenant.slug}/technicians/${a.technician.id}`);
    await eventually(() => page.getByTestId('review-item').first().textContent()).toContain('手法专业');
  });
});
