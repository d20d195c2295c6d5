import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncTenants } from '../../src/modules/tenant-sync/sync-tenants';
import { openSse } from '../support/sse-client';
import { type WebHarness, eventually, shot, signIn, startWebHarness } from './support/web-harness';

/** 林小雅 (jingan-lin) in tenants/jingan-spa/tenant.yaml: an approved demo technician, on duty. */
const TECHNICIAN = { phone: '19900210001', name: '林小雅' };
/** Where the technician's phone says she is: a flat near 静安寺. */
const HERE = { lat: 31.2261, lng: 121.4432 };

describe('H5 technician SOS: the store hears it at once, with where the technician was last seen', () => {
  let h: WebHarness;
  let phone: BrowserContext;
  let page: Page;

  const staffToken = async (slug: string) => {
    const res = await h.t.app.inject({
      method: 'POST',
      url: `/t/${slug}/api/auth/staff/login`,
      payload: { email: `owner@${slug}.demo`, password: 'demo-Owner-2026' },
    });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { accessToken: string }).accessToken;
  };

  beforeAll(async () => {
    h = await startWebHarness();
    // The shipped demo stores, synced with the API's own keys (the SMS sign-in looks phones up by them).
    await syncTenants({
      appDatabaseUrl: h.db.appUrl,
      adminDatabaseUrl: h.db.adminUrl,
      dir: join(__dirname, '..', '..', 'tenants'),
      dataEncryptionKey: h.t.config.DATA_ENCRYPTION_KEY,
      lookupHashKey: h.t.config.LOOKUP_HASH_KEY,
      production: false,
    });
    phone = await h.phone();
    await phone.setGeolocation({ latitude: HERE.lat, longitude: HERE.lng });
  });
  afterAll(async () => h?.close());

  it('a demo technician signs in and, being on duty, shares her position', async () => {
    page = await phone.newPage();
    await page.goto(`${h.url}/t/jingan-spa/tech`);
    await page.waitForURL(/\/tech\/login/);
    await signIn(page, h, TECHNICIAN.phone);
    await page.waitForURL(/\/tech$/);
    await eventually(() => page.getByTestId('tech-status').textContent()).toContain('已通过');
    await eventually(
      async () => (await h.f.query(`SELECT last_lat, last_lng FROM technicians WHERE sync_key = 'jingan-lin'`)).rows[0],
    ).toEqual({ last_lat: HERE.lat, last_lng: HERE.lng });
  });

  it('SOS with location access gone: staff connected to the live feed get the alert with her last position', async () => {
    const [jingan, chaoyang] = await Promise.all([staffToken('jingan-spa'), staffToken('chaoyang-yuzu')]);
    const store = await openSse(`${h.url}/t/jingan-spa/api/events`, jingan);
    const otherStore = await openSse(`${h.url}/t/chaoyang-yuzu/api/events`, chaoyang);
    try {
      // In danger there may be no GPS fix: the alert must still say where she was.
      await phone.clearPermissions();
      // A tap asks first; cancelling sends nothing.
      await page.getByTestId('sos').click();
      await page.getByRole('dialog').getByRole('button', { name: '取消' }).click();
      const none = await h.t.app.inject({
        method: 'GET',
        url: '/t/jingan-spa/api/sos',
        headers: { authorization: `Bearer ${jingan}` },
      });
      expect(none.json()).toEqual([]);

      await page.getByTestId('sos').click();
      await page.getByRole('dialog').getByRole('button', { name: '立即求助' }).click();

      const alert = await store.next('sos', 10_000);
      expect(alert.data).toMatchObject({
        technicianName: TECHNICIAN.name,
        lat: HERE.lat,
        lng: HERE.lng,
        locationSource: 'last_known',
        status: 'open',
        orderNo: null,
      });
      await page.getByRole('status').filter({ hasText: '已通知门店' }).waitFor();
      await shot(page, 'tech-sos');

      // Stored for the store's staff list, and nothing reaches another store.
      const list = await h.t.app.inject({
        method: 'GET',
        url: '/t/jingan-spa/api/sos',
        headers: { authorization: `Bearer ${jingan}` },
      });
      expect(list.statusCode, list.body).toBe(200);
      expect(list.json()).toEqual([
        expect.objectContaining({ id: (alert.data as { id: string }).id, locationSource: 'last_known' }),
      ]);
      const other = await h.t.app.inject({
        method: 'GET',
        url: '/t/chaoyang-yuzu/api/sos',
        headers: { authorization: `Bearer ${chaoyang}` },
      });
      expect(other.json()).toEqual([]);
      expect(otherStore.events.filter((e) => e.event === 'sos')).toEqual([]);
    } finally {
      store.close();
      otherStore.close();
    }
  });
});
