import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILE_REFERENCES } from '../src/platform/files/file-references';
import { JobQueue } from '../src/platform/queue/job-queue';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { createTestApp, type TestApp } from './support/test-app';
import { Factory, type TestTenant } from './support/factories';

// A real 1×1 PNG, a minimal PDF, a Windows executable header, and text pretending to be a PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from('PE\0\0'), Buffer.alloc(200)]);
const FAKE_PNG = Buffer.from('just some text, not an image at all\n'.repeat(4));

function multipart(bytes: Buffer, filename: string, field = 'file') {
  const boundary = `----test${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\n` +
        `Content-Type: application/octet-stream\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('files: upload and read', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let dir: string;
  let a: TestTenant;
  let b: TestTenant;
  const tok: Record<string, string> = {};
  const ids = {
    tech: crypto.randomUUID(),
    tech2: crypto.randomUUID(),
    customer: crypto.randomUUID(),
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'files-test-'));
    t = await createTestApp(db, { FILES_DIR: dir, FILES_MAX_IMAGE_BYTES: '2048', FILES_MAX_CERTIFICATE_BYTES: '4096' });
    f = await Factory.create(db, t.app);
    a = await f.newTenant();
    b = await f.newTenant();
    for (const [name, tenant, role] of [
      ['ownerA', a, 'tenant_owner'],
      ['managerA', a, 'store_manager'],
      ['staffA', a, 'store_staff'],
      ['managerB', b, 'store_manager'],
    ] as const) {
      const s = await f.newStaff(tenant, { role });
      tok[name] = await f.token({ id: s.id, role, tenantId: tenant.id });
    }
    tok.techA = await f.token({ id: ids.tech, role: 'technician', tenantId: a.id });
    tok.tech2A = await f.token({ id: ids.tech2, role: 'technician', tenantId: a.id });
    tok.customerA = await f.token({ id: ids.customer, role: 'customer', tenantId: a.id });
  });
  afterAll(async () => {
    await f?.close();
    await t?.close();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const upload = (tenant: TestTenant, token: string | undefined, bytes: Buffer, name: string, kind?: string) => {
    const form = multipart(bytes, name);
    return t.app.inject({
      method: 'POST',
      url: `/t/${tenant.slug}/api/files${kind ? `?kind=${kind}` : ''}`,
      payload: form.payload,
      headers: { ...form.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
  };
  const get = (tenant: TestTenant, token: string | undefined, id: string) =>
    t.app.inject({
      method: 'GET',
      url: `/t/${tenant.slug}/api/files/${id}`,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });

  it('stores an image under a key of its own store and serves it publicly', async () => {
    const res = await upload(a, tok.staffA, PNG, 'photo.png');
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ kind: 'image', contentType: 'image/png', size: PNG.length, sensitive: false });
    const { rows } = await f.query('SELECT tenant_id, storage_key, sha256 FROM files WHERE id = $1', [body.id]);
    expect(rows[0]!.tenant_id).toBe(a.id);
    expect(rows[0]!.storage_key).toMatch(new RegExp(`^tenants/${a.id}/image/\\d{4}/\\d{2}/${body.id}\\.png$`));
    expect(await readFile(join(dir, rows[0]!.storage_key))).toEqual(PNG);

    const anon = await get(a, undefined, body.id);
    expect(anon.statusCode).toBe(200);
    expect(anon.headers['content-type']).toBe('image/png');
    expect(anon.rawPayload).toEqual(PNG);
  });

  it('refuses a key that names another store (database check)', async () => {
    const key = `tenants/${b.id}/image/2026/11/${crypto.randomUUID()}.png`;
    await expect(
      f.query(
        `INSERT INTO files (tenant_id, kind, content_type, size_bytes, storage_key, sha256, uploader_type, uploaded_by)
         VALUES ($1, 'image', 'image/png', 1, $2, repeat('a', 64), 'staff', gen_random_uuid())`,
        [a.id, key],
      ),
    ).rejects.toThrow(/check constraint/);
  });

  it('answers 415 for an executable or text named .png, judged by the bytes', async () => {
    for (const [bytes, name] of [
      [EXE, 'setup.exe'],
      [FAKE_PNG, 'photo.png'],
      [PDF, 'doc.pdf'], // a PDF is fine for a certificate, not for an image
    ] as const) {
      const res = await upload(a, tok.staffA, bytes, name);
      expect(res.statusCode).toBe(415);
      expect(res.json().code).toBe('UNSUPPORTED_FILE_TYPE');
    }
    const { rows } = await f.query(`SELECT count(*)::int AS n FROM files WHERE content_type NOT LIKE 'image/%'`);
    expect(rows[0]!.n).toBe(0);
  });

  it('answers 413 for an image over its limit and for anything over the largest limit', async () => {
    const big = Buffer.concat([PNG, Buffer.alloc(3000)]); // > 2048 image limit, < 4096 certificate limit
    const res = await upload(a, tok.staffA, big, 'big.png');
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'FILE_TOO_LARGE', maxBytes: 2048 });
    const huge = await upload(a, tok.techA, Buffer.concat([PDF, Buffer.alloc(5000)]), 'c.pdf', 'certificate');
    expect(huge.statusCode).toBe(413);
    expect(huge.json().code).toBe('FILE_TOO_LARGE');
  });

  it('answers 400 naming the field when there is no file or the kind is unknown', async () => {
    const none = await t.app.inject({
      method: 'POST',
      url: `/t/${a.slug}/api/files`,
      headers: { authorization: `Bearer ${tok.staffA}`, 'content-type': 'application/json' },
      payload: {},
    });
    expect(none.statusCode).toBe(400);
    expect(none.json().fields).toEqual([expect.objectContaining({ field: 'file' })]);
    const form = multipart(PNG, 'a.png', 'photo');
    const wrongField = await t.app.inject({
      method: 'POST',
      url: `/t/${a.slug}/api/files`,
      payload: form.payload,
      headers: { ...form.headers, authorization: `Bearer ${tok.staffA}` },
    });
    expect(wrongField.statusCode).toBe(400);
    const kind = await upload(a, tok.staffA, PNG, 'a.png', 'passport');
    expect(kind.statusCode).toBe(400);
    expect(kind.json().fields[0].field).toBe('kind');
  });

  it('needs sign-in to upload, and customers may upload images only', async () => {
    expect((await upload(a, undefined, PNG, 'a.png')).statusCode).toBe(401);
    expect((await upload(a, tok.customerA, PNG, 'a.png')).statusCode).toBe(201);
    const cert = await upload(a, tok.customerA, PDF, 'c.pdf', 'certificate');
    expect(cert.statusCode).toBe(403);
  });

  it('encrypts certificates at rest and shows them only to managers, the owner and the uploader', async () => {
    const res = await upload(a, tok.techA, PDF, 'cert.pdf', 'certificate');
    expect(res.statusCode).toBe(201);
    const { id } = res.json();
    expect(res.json()).toMatchObject({ kind: 'certificate', contentType: 'application/pdf', sensitive: true });

    const { rows } = await f.query('SELECT storage_key, encrypted FROM files WHERE id = $1', [id]);
    expect(rows[0]!.storage_key.startsWith(`tenants/${a.id}/certificate/`)).toBe(true);
    expect(rows[0]!.encrypted).toBe(true);
    const raw = await readFile(join(dir, rows[0]!.storage_key));
    expect(raw.includes(Buffer.from('%PDF'))).toBe(false);

    for (const who of ['techA', 'managerA', 'ownerA']) {
      const r = await get(a, tok[who], id);
      expect(r.statusCode, who).toBe(200);
      expect(r.rawPayload).toEqual(PDF);
      expect(r.headers['cache-control']).toContain('no-store');
    }
    for (const who of [undefined, 'customerA', 'staffA', 'tech2A']) {
      const r = await get(a, who ? tok[who] : undefined, id);
      expect(r.statusCode, String(who)).toBe(404);
      expect(r.json().code).toBe('FILE_NOT_FOUND');
    }
    const audit = await f.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'file.uploaded' AND target_id = $1`,
      [id],
    );
    expect(audit.rows[0]!.n).toBe(1);
  });

  it('keeps stores apart: B cannot read A’s files, A’s token at B is refused', async () => {
    const img = (await upload(a, tok.staffA, PNG, 'a.png')).json().id as string;
    const cert = (await upload(a, tok.techA, PDF, 'c.pdf', 'certificate')).json().id as string;
    const missing = await get(b, tok.managerB, crypto.randomUUID());
    for (const id of [img, cert]) {
      const viaB = await get(b, tok.managerB, id);
      expect(viaB.statusCode).toBe(404);
      expect(viaB.json()).toMatchObject({ code: missing.json().code, message: missing.json().message });
      expect((await get(b, undefined, id)).statusCode).toBe(404);
    }
    expect((await get(b, tok.managerA, img)).statusCode).toBe(403);
    expect((await upload(b, tok.staffA, PNG, 'a.png')).statusCode).toBe(403);
  });

  it('answers 400 for a malformed id', async () => {
    const r = await get(a, tok.staffA, 'not-a-uuid');
    expect(r.statusCode).toBe(400);
    expect(r.json().fields[0].field).toBe('id');
  });
});

describe('files: upload rate limits', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let dir: string;
  let store: TestTenant;
  const technician = async () => {
    const id = crypto.randomUUID();
    return { id, token: await f.token({ id, role: 'technician', tenantId: store.id }) };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'files-limits-'));
    t = await createTestApp(db, {
      FILES_DIR: dir,
      FILES_UPLOADS_PER_USER: '3',
      FILES_UPLOADS_PER_IP: '5',
      FILES_UPLOAD_WINDOW_SECONDS: '600',
    });
    f = await Factory.create(db, t.app);
    store = await f.newTenant();
  });
  afterAll(async () => {
    await f?.close();
    await t?.close();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const upload = (token: string, ip: string, bytes = PNG) => {
    const form = multipart(bytes, 'a.png');
    return t.app.inject({
      method: 'POST',
      url: `/t/${store.slug}/api/files`,
      payload: form.payload,
      headers: { ...form.headers, authorization: `Bearer ${token}` },
      remoteAddress: ip,
    });
  };
  const filesOf = async (uploader: string) =>
    (await f.query<{ n: number }>(`SELECT count(*)::int AS n FROM files WHERE uploaded_by = $1`, [uploader])).rows[0]!
      .n;

  it('refuses a user past their allowance with 429, Retry-After and the standard error body; others carry on', async () => {
    const x = await technician();
    const y = await technician();
    // A refused type counts as an attempt as well: the allowance is for tries, not successes.
    expect((await upload(x.token, '10.0.0.1', FAKE_PNG)).statusCode).toBe(415);
    for (let i = 0; i < 2; i++) expect((await upload(x.token, '10.0.0.1')).statusCode).toBe(201);
    const refused = await upload(x.token, '10.0.0.2'); // another address does not reset the user's count
    expect(refused.statusCode).toBe(429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(refused.json()).toMatchObject({
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'RATE_LIMITED',
      message: 'too many uploads, try again later',
      retryAfterSeconds: retryAfter,
      requestId: expect.any(String),
    });
    expect(await filesOf(x.id)).toBe(2);

    expect((await upload(y.token, '10.0.0.3')).statusCode).toBe(201);
    expect(await filesOf(y.id)).toBe(1);
  });

  it('caps one address across users; other addresses are not affected', async () => {
    const [a, b, c] = [await technician(), await technician(), await technician()];
    for (const who of [a, a, a, b, b]) expect((await upload(who.token, '10.0.1.1')).statusCode).toBe(201);
    const sameAddress = await upload(c.token, '10.0.1.1');
    expect(sameAddress.statusCode).toBe(429);
    expect(sameAddress.json().code).toBe('RATE_LIMITED');
    expect(sameAddress.headers['retry-after']).toBeDefined();
    expect((await upload(c.token, '10.0.1.2')).statusCode).toBe(201);
    expect(await filesOf(c.id)).toBe(1);
  });
});

describe('files: unreferenced-file cleanup', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let dir: string;
  let events: QueueEvents;
  let a: TestTenant;
  let b: TestTenant;
  const tok = { ownerA: '', ownerB: '', techA: '' };
  let techA: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'files-cleanup-'));
    t = await createTestApp(db, { FILES_DIR: dir, FILES_ORPHAN_GRACE_SECONDS: '60' });
    f = await Factory.create(db, t.app);
    a = await f.newTenant();
    b = await f.newTenant();
    tok.ownerA = await f.token({ id: (await f.newStaff(a)).id, role: 'tenant_owner', tenantId: a.id });
    tok.ownerB = await f.token({ id: (await f.newStaff(b)).id, role: 'tenant_owner', tenantId: b.id });
    techA = (await f.newTechnician(a, { status: 'approved' })).id;
    tok.techA = await f.token({ id: techA, role: 'technician', tenantId: a.id });
    events = new QueueEvents('maintenance', {
      connection: { url: t.config.REDIS_URL },
      prefix: t.config.REDIS_PREFIX,
    });
    await events.waitUntilReady();
  });
  afterAll(async () => {
    await events?.close();
    await f?.close();
    await t?.close();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const upload = async (tenant: TestTenant, token: string, kind: 'image' | 'certificate' = 'image') => {
    const form = multipart(kind === 'image' ? PNG : PDF, kind === 'image' ? 'a.png' : 'c.pdf');
    const res = await t.app.inject({
      method: 'POST',
      url: `/t/${tenant.slug}/api/files?kind=${kind}`,
      payload: form.payload,
      headers: { ...form.headers, authorization: `Bearer ${token}` },
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    const key = (await f.query<{ k: string }>(`SELECT storage_key AS k FROM files WHERE id = $1`, [id])).rows[0]!.k;
    return { id, key };
  };
  /** Runs the store's sweep through the queue and the worker (tenant context) and waits for it. */
  const sweep = async (tenant: TestTenant) => {
    const jobs = t.app.get(JobQueue);
    const jobId = await jobs.enqueue('files.cleanup', { tenantId: tenant.id });
    const job = await jobs.queue('maintenance').getJob(jobId);
    await job!.waitUntilFinished(events, 15_000);
  };
  const rowExists = async (id: string) => (await f.query(`SELECT 1 FROM files WHERE id = $1`, [id])).rowCount === 1;
  const blobExists = (key: string) =>
    stat(join(dir, key)).then(
      () => true,
      () => false,
    );
  const firstSweepsDone = async (tenants: TestTenant[]) => {
    const queue = t.app.get(JobQueue).queue('maintenance');
    for (let i = 0; i < 300; i++) {
      const done = await queue.getJobs(['completed', 'failed']);
      const swept = (x: TestTenant) =>
        done.some((j) => j.name === 'files.cleanup' && (j.data as { tenantId?: string }).tenantId === x.id);
      if (tenants.every(swept)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the stores’ first sweeps did not run');
  };
  const backdate = (ids: string[]) =>
    f.query(`UPDATE files SET created_at = now() - interval '2 hours' WHERE id = ANY($1::uuid[])`, [ids]);

  it('deletes old unreferenced files (row and blob) of its own store only; keeps referenced and fresh ones', async () => {
    const orphan = await upload(a, tok.ownerA);
    const orphanCert = await upload(a, tok.techA, 'certificate');
    const photo = await upload(a, tok.ownerA);
    const cert = await upload(a, tok.techA, 'certificate');
    const serviceImage = await upload(a, tok.ownerA);
    const storePhoto = await upload(a, tok.ownerA);
    const logo = await upload(a, tok.ownerA);
    const fresh = await upload(a, tok.ownerA);
    const orphanB = await upload(b, tok.ownerB);

    await f.query(`UPDATE technicians SET photo_file_id = $1 WHERE id = $2`, [photo.id, techA]);
    await f.query(
      `INSERT INTO technician_certificates (tenant_id, technician_id, file_id, kind) VALUES ($1, $2, $3, 'massage_license')`,
      [a.id, techA, cert.id],
    );
    const cat = await f.query<{ id: string }>(
      `INSERT INTO service_categories (tenant_id, name_zh) VALUES ($1, '推拿') RETURNING id`,
      [a.id],
    );
    await f.query(`INSERT INTO services (tenant_id, category_id, name_zh, images) VALUES ($1, $2, '推拿', $3)`, [
      a.id,
      cat.rows[0]!.id,
      ['https://cdn.example.com/banner.jpg', serviceImage.id.toUpperCase()],
    ]);
    await f.query(`INSERT INTO store_profiles (tenant_id, photo_urls) VALUES ($1, $2)`, [
      a.id,
      [`https://${a.slug}.massage.test/api/files/${storePhoto.id}`],
    ]);
    await f.query(`UPDATE tenants SET logo_url = $1 WHERE id = $2`, [`/api/files/${logo.id}`, a.id]);
    const old = [orphan, orphanCert, photo, cert, serviceImage, storePhoto, logo, orphanB];
    // Each store's scheduler (made by its first upload) sweeps once at once — BullMQ runs an
    // `every` schedule immediately. Let those first sweeps finish before backdating, or store B's
    // could come after it and rightly delete orphanB, which this test expects untouched by A's.
    await firstSweepsDone([a, b]);
    await backdate(old.map((x) => x.id));

    // one repeatable job per store, created by its uploads
    const schedulers = await t.app.get(JobQueue).queue('maintenance').getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toEqual(
      expect.arrayContaining([`files-cleanup-${a.id}`, `files-cleanup-${b.id}`]),
    );

    await sweep(a);
    for (const gone of [orphan, orphanCert]) {
      expect(await rowExists(gone.id)).toBe(false);
      expect(await blobExists(gone.key)).toBe(false);
    }
    for (const kept of [photo, cert, serviceImage, storePhoto, logo, fresh, orphanB]) {
      expect(await rowExists(kept.id)).toBe(true);
      expect(await blobExists(kept.key)).toBe(true);
    }
    const download = await t.app.inject({ method: 'GET', url: `/t/${a.slug}/api/files/${photo.id}` });
    expect(download.rawPayload).toEqual(PNG);
    const audit = await f.query<{ details: { count: number; fileIds: string[] } }>(
      `SELECT details FROM audit_events WHERE tenant_id = $1 AND action = 'file.orphans_deleted'`,
      [a.id],
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]!.details.count).toBe(2);
    expect([...audit.rows[0]!.details.fileIds].sort()).toEqual([orphan.id, orphanCert.id].sort());

    // Running again changes nothing and records nothing.
    await sweep(a);
    expect(await rowExists(fresh.id)).toBe(true);
    expect(
      (await f.query(`SELECT 1 FROM audit_events WHERE tenant_id = $1 AND action = 'file.orphans_deleted'`, [a.id]))
        .rowCount,
    ).toBe(1);

    // B's own sweep takes B's orphan.
    await sweep(b);
    expect(await rowExists(orphanB.id)).toBe(false);
    expect(await blobExists(orphanB.key)).toBe(false);
  });

  it('knows every column that can point at a file (a new one must be added to FILE_REFERENCES)', async () => {
    const known = new Set(FILE_REFERENCES.map((r) => `${r.table}.${r.column}`));
    const fks = await f.query<{ col: string }>(
      `SELECT c.conrelid::regclass::text || '.' || a.attname AS col
         FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
        WHERE c.contype = 'f' AND c.confrelid = 'files'::regclass AND a.attname <> 'tenant_id'`,
    );
    expect(fks.rows.length).toBeGreaterThan(0);
    const named = await f.query<{ col: string }>(
      `SELECT table_name || '.' || column_name AS col FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name <> 'files'
          AND column_name ~ '(file|image|photo|logo|picture|avatar|attachment|evidence)'`,
    );
    const missing = [...fks.rows, ...named.rows].map((r) => r.col).filter((c) => !known.has(c));
    expect(missing).toEqual([]);
  });
});
