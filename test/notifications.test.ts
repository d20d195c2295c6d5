import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { OrdersPaymentPort } from '../src/modules/orders/orders-payment.port';
import { NotificationService } from '../src/modules/notifications/notification.service';
import { NotificationsRepository } from '../src/modules/notifications/notifications.repository';
import { FieldCipher } from '../src/platform/crypto/field-cipher';
import { TenantContext } from '../src/platform/database/tenant-context';
import { RealtimeHub } from '../src/platform/realtime/realtime-hub';
import { SMS_PROVIDER, type SmsProvider } from '../src/platform/sms/sms-provider';
import { Factory, type TestTenant } from './support/factories';
import { orderCustomer, orderStore, orderTechnician, tomorrowAt, type OrderStore } from './support/order-fixtures';
import { SmtpCapture } from './support/smtp-capture';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { waitForJobsToFinish } from './support/wait-for-jobs';

describe('notification centre and delivery', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let a: TestTenant;
  let b: TestTenant;
  let storeA: OrderStore;
  const smtp = new SmtpCapture();
  let sms: MockInstance<SmsProvider['send']>;
  const staff: Record<string, { id: string; email: string; token: string }> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    const smtpUrl = await smtp.start();
    t = await createTestApp(db, { SMTP_URL: smtpUrl, QUEUE_BACKOFF_MS: '100', DB_POOL_MAX: '8' });
    f = await Factory.create(db, t.app);
    a = await f.newTenant();
    b = await f.newTenant();
    storeA = await orderStore(f, a);
    for (const [name, tenant, role] of [
      ['ownerA', a, 'tenant_owner'],
      ['staffA', a, 'store_staff'],
      ['ownerB', b, 'tenant_owner'],
    ] as const) {
      const s = await f.newStaff(tenant, { role });
      staff[name] = { ...s, token: await f.token({ id: s.id, role, tenantId: tenant.id }) };
    }
    sms = vi.spyOn(t.app.get<SmsProvider>(SMS_PROVIDER), 'send');
  });
  afterAll(async () => {
    await f?.close();
    await t?.close();
    await smtp.stop();
    await db?.drop();
  });

  const call = (method: 'GET' | 'POST', tenant: TestTenant, path: string, token?: string) =>
    t.app.inject({
      method,
      url: `/t/${tenant.slug}/api/${path}`,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });

  const inStore = <T>(tenant: TestTenant, work: () => Promise<T>) => t.app.get(TenantContext).run(tenant.id, work);
  const notifications = () => t.app.get(NotificationService);

  async function customerWithPhone(tenant: TestTenant) {
    const c = await orderCustomer(f, t.app, tenant);
    const phone = `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const sealed = t.app.get(FieldCipher).encrypt(phone, `${tenant.id}:customers.phone`);
    await f.query(`UPDATE customers SET phone_enc = $2 WHERE id = $1`, [c.id, sealed]);
    return { ...c, phone };
  }

  it('e-mails staff through a real SMTP server and texts customers through the provider, from workers', async () => {
    const c = await customerWithPhone(a);
    await inStore(a, async () => {
      await notifications().notify({
        recipient: { type: 'customer', id: c.id },
        template: 'order.cancelled',
        params: { orderNo: 'A0001', refundFen: 15840 },
        channels: ['in_app', 'email', 'sms'],
      });
      await notifications().notify({
        recipient: { type: 'staff', id: staff.ownerA!.id },
        template: 'staff.sos',
        params: { orderNo: 'A0001', technicianName: '李技师' },
        channels: ['in_app', 'email', 'sms'],
      });
    });
    const mail = await smtp.waitFor(staff.ownerA!.email, (m) => m.subject.includes('紧急'));
    expect(mail.subject).toContain(a.name);
    expect(mail.text).toContain('李技师 触发了紧急求助（订单 A0001）');
    expect(mail.html).toContain('李技师');
    await waitForJobsToFinish(t.app);
    const toCustomer = sms.mock.calls.filter(([phone]) => phone === c.phone);
    expect(toCustomer).toHaveLength(1);
    expect(toCustomer[0]![1]).toBe('notification');
    expect(toCustomer[0]![2].body).toContain('¥158.40');
    // customers have no e-mail; the staff member has no phone: each went only where it can
    const rows = await f.query<{ recipient_type: string; channels: string[] }>(
      `SELECT recipient_type, channels FROM notifications WHERE tenant_id = $1 AND template IN ('order.cancelled', 'staff.sos')`,
      [a.id],
    );
    expect(rows.rows.map((r) => [r.recipient_type, r.channels]).sort()).toEqual([
      ['customer', ['in_app', 'sms']],
      ['staff', ['in_app', 'email']],
    ]);
  });

  it('sends nothing and keeps nothing when the unit of work rolls back', async () => {
    const c = await customerWithPhone(a);
    const before = smtp.messages.length;
    await expect(
      inStore(a, async () => {
        await notifications().notifyStaff({
          template: 'staff.overrun',
          params: { orderNo: 'ROLLBACK1', technicianName: null, minutes: 20 },
          channels: ['in_app', 'email'],
        });
        await notifications().notify({
          recipient: { type: 'customer', id: c.id },
          template: 'order.refunded',
          params: { orderNo: 'ROLLBACK1', amountFen: 100 },
          channels: ['in_app', 'sms'],
        });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await new Promise((r) => setTimeout(r, 500));
    await waitForJobsToFinish(t.app);
    expect(smtp.messages.length).toBe(before);
    expect(sms.mock.calls.filter(([phone]) => phone === c.phone)).toHaveLength(0);
    const n = await f.query(`SELECT count(*)::int AS n FROM notifications WHERE params->>'orderNo' = 'ROLLBACK1'`);
    expect(n.rows[0]!.n).toBe(0);
  });

  it('order transitions notify the customer, the technician and every staff member', async () => {
    const c = await customerWithPhone(a);
    const techId = await orderTechnician(f, a);
    const q = await t.app.inject({
      method: 'POST',
      url: `/t/${a.slug}/api/quotes`,
      headers: { authorization: `Bearer ${c.token}` },
      payload: {
        serviceId: storeA.serviceId,
        durationMinutes: 60,
        addons: [],
        addressId: c.addressId,
        startAt: tomorrowAt(3),
        technicianId: techId,
      },
    });
    expect(q.statusCode, q.body).toBe(201);
    const o = await t.app.inject({
      method: 'POST',
      url: `/t/${a.slug}/api/orders`,
      headers: { authorization: `Bearer ${c.token}`, 'idempotency-key': randomUUID() },
      payload: { quoteId: q.json().id, paymentMethod: 'sandbox' },
    });
    expect(o.statusCode, o.body).toBe(201);
    const order = o.json<{ id: string; orderNo: string; totalFen: number }>();
    // Both changes (paid, then assigned) notify as one batch: one lookup, one insert, one pipeline.
    const repo = t.app.get(NotificationsRepository);
    const lookups = vi.spyOn(repo, 'contacts');
    const inserts = vi.spyOn(repo, 'insertMany');
    const publishAll = vi.spyOn(t.app.get(RealtimeHub), 'publishAll');
    try {
      await inStore(a, async () => {
        await t.app.get(OrdersPaymentPort).markPaid(order.id, { paymentId: 'n1', amountFen: order.totalFen });
        expect(inserts).not.toHaveBeenCalled(); // written at the end of the unit of work
      });
      expect(lookups).toHaveBeenCalledTimes(1);
      expect(inserts).toHaveBeenCalledTimes(1);
      const ours = publishAll.mock.calls.filter(([tenantId]) => tenantId === a.id);
      expect(ours).toHaveLength(1);
      const pushed = ours[0]![1].map(({ topic, event }) => {
        const data = event.data as { event?: string; template?: string };
        return `${topic.split(':')[0]} ${event.type} ${data.event ?? data.template}`;
      });
      const staffNewOrder = ['staff', 'staff'].map((s) => `${s} notification staff.new_order`);
      expect(pushed).toEqual([
        ...['customer', 'order', 'staff', 'technician'].map((s) => `${s} order.status pay`),
        'customer notification order.paid',
        ...staffNewOrder,
        ...['customer', 'order', 'staff', 'technician'].map((s) => `${s} order.status assign`),
        'customer notification order.assigned',
        'technician notification order.new_assignment',
      ]);
    } finally {
      lookups.mockRestore();
      inserts.mockRestore();
      publishAll.mockRestore();
    }

    const list = await call('GET', a, 'notifications', c.token);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items.map((n: { template: string }) => n.template)).toEqual(['order.assigned', 'order.paid']);
    expect(list.json().unreadCount).toBe(2);
    expect(list.json().items[0].body).toContain(order.orderNo);
    const tech = await f.token({ id: techId, role: 'technician', tenantId: a.id });
    const techList = (await call('GET', a, 'notifications', tech)).json();
    expect(techList.items.map((n: { template: string }) => n.template)).toEqual(['order.new_assignment']);
    for (const who of ['ownerA', 'staffA'] as const) {
      const mine = (await call('GET', a, 'notifications', staff[who]!.token)).json();
      expect(mine.items.filter((n: { orderId: string }) => n.orderId === order.id)).toEqual([
        expect.objectContaining({ template: 'staff.new_order', channels: ['in_app', 'email'] }),
      ]);
      await smtp.waitFor(staff[who]!.email, (m) => m.text.includes(order.orderNo));
    }
    // order timers stay delayed in the queue, so wait for the text itself
    await vi.waitFor(() => expect(sms.mock.calls.some(([phone]) => phone === c.phone)).toBe(true), { timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 300));
    expect(sms.mock.calls.filter(([phone]) => phone === c.phone).map(([, , p]) => p.title)).toEqual(['技师已接单']);
  });

  it('reads one, reads all, filters unread; paginates with an unread count', async () => {
    const c = await customerWithPhone(a);
    await inStore(a, async () => {
      for (let i = 1; i <= 3; i++) {
        await notifications().notify({
          recipient: { type: 'customer', id: c.id },
          template: 'order.paid',
          params: { orderNo: `P${i}`, serviceName: '推拿' },
          channels: ['in_app'],
        });
      }
    });
    const page = (await call('GET', a, 'notifications?pageSize=2', c.token)).json();
    expect(page).toMatchObject({ total: 3, unreadCount: 3, page: 1, pageSize: 2 });
    expect(page.items.map((n: { body: string }) => n.body.slice(0, 6))).toEqual(['订单 P3（', '订单 P2（']);
    const first = page.items[0].id as string;
    const read = await call('POST', a, `notifications/${first}/read`, c.token);
    expect(read.statusCode, read.body).toBe(200);
    const readAt = read.json().readAt as string;
    expect(readAt).not.toBeNull();
    expect((await call('POST', a, `notifications/${first}/read`, c.token)).json().readAt).toBe(readAt);
    const unread = (await call('GET', a, 'notifications?unread=true', c.token)).json();
    expect(unread).toMatchObject({ total: 2, unreadCount: 2 });
    expect(unread.items.map((n: { id: string }) => n.id)).not.toContain(first);
    const all = await call('POST', a, 'notifications/read-all', c.token);
    expect(all.json()).toEqual({ updated: 2 });
    expect((await call('GET', a, 'notifications', c.token)).json().unreadCount).toBe(0);
    for (const bad of ['pageSize=0', 'pageSize=101', 'page=x', 'unread=maybe']) {
      const res = await call('GET', a, `notifications?${bad}`, c.token);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().fields[0].field).toBe(bad.split('=')[0]);
    }
  });

  it("someone else's notification → 404, even for the store owner; another store's → 404; its path → 403", async () => {
    const c = await customerWithPhone(a);
    const other = await customerWithPhone(a);
    const n = await inStore(a, () =>
      notifications().notify({
        recipient: { type: 'customer', id: c.id },
        template: 'order.paid',
        params: { orderNo: 'X1', serviceName: '推拿' },
        channels: ['in_app'],
      }),
    );
    const id = n!.id;
    for (const token of [other.token, staff.ownerA!.token, staff.staffA!.token]) {
      const res = await call('POST', a, `notifications/${id}/read`, token);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'NOTIFICATION_NOT_FOUND' });
      const list = (await call('GET', a, 'notifications', token)).json();
      expect(list.items.map((x: { id: string }) => x.id)).not.toContain(id);
    }
    // the owner's read-all does not touch anyone else's inbox
    await call('POST', a, 'notifications/read-all', staff.ownerA!.token);
    const res = await call('POST', b, `notifications/${id}/read`, staff.ownerB!.token);
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain(a.id);
    expect((await call('GET', b, 'notifications', c.token)).statusCode).toBe(403);
    expect((await call('POST', b, `notifications/${id}/read`, c.token)).statusCode).toBe(403);
    expect((await call('POST', b, 'notifications/read-all', c.token)).statusCode).toBe(403);
    expect((await call('GET', a, 'notifications')).statusCode).toBe(401);
    expect((await call('POST', a, `notifications/not-a-uuid/read`, c.token)).statusCode).toBe(400);
    const row = await f.query(`SELECT read_at FROM notifications WHERE id = $1`, [id]);
    expect(row.rows[0]!.read_at).toBeNull();
  });
});
