import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { expect } from 'vitest';
import { captureSms } from '../../support/auth-client';
import { Factory, type TestTenant } from '../../support/factories';
import { CENTRE, orderStore, type OrderStore } from '../../support/order-fixtures';
import { createTestApp, type TestApp } from '../../support/test-app';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

export const SCREENSHOTS = resolve('test-results/screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** Builds the H5 site into a private directory, so a test never races a developer's `npm run build`. */
export async function buildWeb(): Promise<{ dir: string; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'massage-web-'));
  await build({ configFile: resolve('web/vite.config.mts'), logLevel: 'silent', build: { outDir: dir } });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface DemoStore extends OrderStore {
  technician: { id: string; phone: string };
  themeColor: string;
}

export interface WebHarness {
  db: TestDatabase;
  t: TestApp;
  f: Factory;
  url: string;
  /** The private build of the site this app serves. */
  webDir: string;
  browser: Browser;
  sms: ReturnType<typeof captureSms>;
  /** A phone-sized context (360×640, touch, zh-CN, geolocation at the store centre). */
  phone(): Promise<BrowserContext>;
  demoStore(over: { slug: string; name: string; themeColor: string; serviceName?: string }): Promise<DemoStore>;
  close(): Promise<void>;
}

/** The real app (port 0, its own database) serving a fresh build of the site, plus headless Chromium. */
export async function startWebHarness(): Promise<WebHarness> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const [web, db] = await Promise.all([buildWeb(), createTestDatabase()]);
  const t = await createTestApp(db, { WEB_DIST_DIR: web.dir });
  await t.app.listen(0, '127.0.0.1');
  const port = (t.app.getHttpServer().address() as AddressInfo).port;
  const f = await Factory.create(db, t.app);
  const sms = captureSms(t.app);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const url = `http://127.0.0.1:${port}`;
  return {
    db,
    t,
    f,
    url,
    webDir: web.dir,
    browser,
    sms,
    phone: async () => {
      const ctx = await browser.newContext({
        viewport: { width: 360, height: 640 },
        deviceScaleFactor: 1,
        isMobile: true,
        hasTouch: true,
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        geolocation: { latitude: CENTRE.lat + 0.001, longitude: CENTRE.lng + 0.001 },
        permissions: ['geolocation'],
      });
      // Shorter than the test timeout, so a failure names the element it waited for.
      ctx.setDefaultTimeout(10_000);
      return ctx;
    },
    async demoStore(over) {
      const tenant: TestTenant = await f.newTenant({ slug: over.slug, name: over.name, themeColor: over.themeColor });
      const s = await orderStore(f, tenant);
      if (over.serviceName)
        await f.query(`UPDATE services SET name_zh = $2 WHERE tenant_id = $1`, [tenant.id, over.serviceName]);
      const tech = await f.newTechnician(tenant, {
        status: 'approved',
        name: '李小芳',
        displayName: `${over.name}技师`,
      });
      await f.query(`UPDATE technicians SET home_lat = $3, home_lng = $4 WHERE tenant_id = $1 AND id = $2`, [
        tenant.id,
        tech.id,
        CENTRE.lat + 0.02,
        CENTRE.lng,
      ]);
      // Works every day from 08:00 to 22:00 store time, so tomorrow always has free slots.
      await f.query(
        `INSERT INTO shift_templates (tenant_id, technician_id, weekday, start_time, end_time)
         SELECT $1, $2, d, '08:00', '22:00' FROM generate_series(1, 7) d`,
        [tenant.id, tech.id],
      );
      return { ...s, technician: { id: tech.id, phone: tech.phone }, themeColor: over.themeColor };
    },
    async close() {
      await browser.close().catch(() => undefined);
      await f.close();
      await t.close();
      await db.drop();
      web.remove();
    },
  };
}

/** Signs in on the page's store with phone + SMS code, reading the code the app "sent". */
export async function signIn(page: Page, h: WebHarness, phone: string): Promise<void> {
  await page.getByTestId('phone').locator('input').fill(phone);
  await page.getByTestId('send-code').click();
  await page.getByText(/验证码已发送/).waitFor();
  const code = h.sms.last(phone);
  if (!code) throw new Error(`no SMS code captured for ${phone}`);
  await page.getByTestId('code').locator('input').fill(code);
  await page.getByTestId('login').click();
}

export const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });

/** expect.poll with a budget that survives a busy machine (the default second is too tight for a browser). */
export const eventually = <T>(fn: () => T | Promise<T>, timeout = 10_000) =>
  expect.poll(fn, { timeout, interval: 100 });
