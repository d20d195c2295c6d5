import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vi, type MockInstance } from 'vitest';
import { idNumberCheckChar } from '../src/modules/technicians/id-number';
import { TechnicianNoticeJob } from '../src/modules/technicians/technician-notice.job';
import { TenantContext } from '../src/platform/database/tenant-context';
import { SMS_PROVIDER, type SmsProvider } from '../src/platform/sms/sms-provider';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { createTestApp, type TestApp } from './support/test-app';
import { Factory, type TestTenant } from './support/factories';

let seq = 100;
async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A fresh valid resident ID number (region 110101, born 1990-03-07). */
function newIdNumber(): string {
  const first17 = `11010119900307${String(++seq).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

describe('technicians: application, review, staff management, public profiles', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let A: TestTenant;
  let B: TestTenant;
  const tok: Record<string, string> = {};
  let ownerA: string;
  let managerA: string;
  let sms: MockInstance<SmsProvider['send']>;

  const call = (method: string, url: string, token?: string, payload?: object) =>
    t.app.inject({
      method: method as 'GET',
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload ? { payload } : {}),
    });
  const inA = (path: string) => `/t/${A.slug}/api${path}`;
  const inB = (path: string) => `/t/${B.slug}/api${path}`;

  async function technicianOf(tenant: TestTenant, status = 'applicant', over: { skills?: string[] } = {}) {
    const tech = await f.newTechnician(tenant, { status, skills: over.skills ?? [] });
    const token = await f.token({ id: tech.id, role: 'technician', tenantId: tenant.id });
    return { ...tech, token };
  }

  async function application(tenant: TestTenant, techId: string, over: Record<string, unknown> = {}) {
    const photo = await f.newFile(tenant, { type: 'technician', id: techId }, 'image');
    const cert = await f.newFile(tenant, { type: 'technician', id: techId }, 'certificate');
    return {
      name: '李小芳',
      gender: 'female',
      photoFileId: photo,
      idNumber: newIdNumber(),
      certificates: [{ fileId: cert, kind: 'massage_license' }],
      skills: ['tuina', 'spa_oil'],
      experienceYears: 6,
      introduction: '中医推拿六年',
      ...over,
    };
  }

  /** An approved technician of A through the real flow: apply, then a manager approves. */
  async function approvedTechnician(skills = ['tuina']) {
    const tech = await technicianOf(A);
    const body = await application(A, tech.id, { skills });
    expect((await call('PUT', inA('/technician/application'), tech.token, body)).statusCode).toBe(200);
    expect((await call('POST', inA(`/technicians/${tech.id}/approve`), tok.managerA)).statusCode).toBe(200);
    return { ...tech, idNumber: body.idNumber as string };
  }

  const publicIds = async (query = '') => {
    const res = await call('GET', inA(`/technicians/public${query}`));
    expect(res.statusCode).toBe(200);
    return (res.json().items as { id: string }[]).map((i) => i.id);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db, { QUEUE_BACKOFF_MS: '200' });
    f = await Factory.create(db, t.app);
    sms = vi.spyOn(t.app.get<SmsProvider>(SMS_PROVIDER), 'send');
    A = await f.newTenant();
    B = await f.newTenant();
    ownerA = (await f.newStaff(A, { role: 'tenant_owner' })).id;
    managerA = (await f.newStaff(A, { role: 'store_manager' })).id;
    const staffA = (await f.newStaff(A, { role: 'store_staff' })).id;
    const ownerB = (await f.newStaff(B, { role: 'tenant_owner' })).id;
    tok.ownerA = await f.token({ id: ownerA, role: 'tenant_owner', tenantId: A.id });
    tok.managerA = await f.token({ id: managerA, role: 'store_manager', tenantId: A.id });
    tok.staffA = await f.token({ id: staffA, role: 'store_staff', tenantId: A.id });
    tok.ownerB = await f.token({ id: ownerB, role: 'tenant_owner', tenantId: B.id });
    const customer = await f.query<{ id: string }>(
      `INSERT INTO customers (tenant_id, phone_enc, phone_hash, phone_masked) VALUES ($1, '\\x00', '\\x01', '138****0000') RETURNING id`,
      [A.id],
    );
    tok.customerA = await f.token({ id: customer.rows[0]!.id, role: 'customer', tenantId: A.id });
  });
  afterAll(async () => {
    await f?.close();
    await t?.close();
    await db?.drop();
  });

  describe('review flow', () => {
    it('applicant applies → pending (not public) → approved → public, audited and noticed', async () => {
      const tech = await technicianOf(A);
      const body = await application(A, tech.id);
      const applied = await call('PUT', inA('/technician/application'), tech.token, body);
      expect(applied.statusCode).toBe(200);
      expect(applied.json()).toMatchObject({
        status: 'pending_review',
        skills: ['tuina', 'spa_oil'],
        gender: 'female',
      });
      expect(applied.json().certificates).toHaveLength(1);
      expect(applied.json().idNumber).toBeUndefined();
      expect(applied.json().idNumberMasked).toBe(`110***********${(body.idNumber as string).slice(14)}`);
      expect(await publicIds()).not.toContain(tech.id);
      // Under review the application is locked.
      expect((await call('PUT', inA('/technician/application'), tech.token, body)).statusCode).toBe(409);

      const approved = await call('POST', inA(`/technicians/${tech.id}/approve`), tok.managerA);
      expect(approved.statusCode).toBe(200);
      expect(approved.json()).toMatchObject({ status: 'approved' });
      expect(await publicIds()).toContain(tech.id);

      const profile = await call('GET', inA(`/technicians/public/${tech.id}`));
      expect(profile.statusCode).toBe(200);
      expect(profile.json()).toMatchObject({
        id: tech.id,
        displayName: '李技师',
        skills: ['tuina', 'spa_oil'],
        experienceYears: 6,
        photoUrl: `/api/files/${body.photoFileId as string}`,
      });

      const audit = await f.query<{ action: string; actor_id: string | null }>(
        `SELECT action, actor_id FROM audit_events
          WHERE tenant_id = $1 AND target_id = $2 AND actor_type <> 'system' ORDER BY created_at`,
        [A.id, tech.id],
      );
      expect(audit.rows.map((r) => r.action)).toEqual(['technician.application_submitted', 'technician.approved']);
      expect(audit.rows[1]!.actor_id).toBe(managerA);
      // the technician is told by SMS, through the queued review-notice job
      await waitFor(() => sms.mock.calls.some((c) => c[0] === tech.phone));
      const [, template, params] = sms.mock.calls.find((c) => c[0] === tech.phone)!;
      expect(template).toBe('technician_review');
      expect(params.result).toContain('已通过');
      await waitFor(async () => {
        const sent = await f.query(
          `SELECT 1 FROM audit_events WHERE target_id = $1 AND action = 'technician.notice_sent'`,
          [tech.id],
        );
        return sent.rowCount === 1;
      });
      // approving twice: the second one finds it no longer pending
      expect((await call('POST', inA(`/technicians/${tech.id}/approve`), tok.managerA)).statusCode).toBe(409);
    });

    it('a rejection needs a reason, reaches the technician, and the rejected never become public', async () => {
      const tech = await technicianOf(A);
      await call('PUT', inA('/technician/application'), tech.token, await application(A, tech.id));
      const noReason = await call('POST', inA(`/technicians/${tech.id}/reject`), tok.managerA, {});
      expect(noReason.statusCode).toBe(400);
      expect(noReason.json().fields.map((x: { field: string }) => x.field)).toContain('reason');
      const blank = await call('POST', inA(`/technicians/${tech.id}/reject`), tok.managerA, { reason: '   ' });
      expect(blank.statusCode).toBe(400);

      const rejected = await call('POST', inA(`/technicians/${tech.id}/reject`), tok.managerA, {
        reason: '证件照片不清晰',
      });
      expect(rejected.statusCode).toBe(200);
      const me = await call('GET', inA('/technician/me'), tech.token);
      expect(me.json()).toMatchObject({ status: 'rejected', rejectionReason: '证件照片不清晰' });
      await waitFor(() =>
        sms.mock.calls.some((c) => c[0] === tech.phone && (c[2].result ?? '').includes('证件照片不清晰')),
      );
      expect(await publicIds()).not.toContain(tech.id);
      expect((await call('GET', inA(`/technicians/public/${tech.id}`))).statusCode).toBe(404);
      expect((await call('POST', inA('/technician/online'), tech.token)).statusCode).toBe(409);

      // fix and resubmit: back under review, still not public
      const again = await call('PUT', inA('/technician/application'), tech.token, await application(A, tech.id));
      expect(again.statusCode).toBe(200);
      expect(again.json().status).toBe('pending_review');
      expect(await publicIds()).not.toContain(tech.id);
      const audit = await f.query(`SELECT details FROM audit_events WHERE target_id = $1 AND action = $2`, [
        tech.id,
        'technician.rejected',
      ]);
      expect(audit.rows[0]!.details).toEqual({ reason: '证件照片不清晰' });
    });

    it('a disabled technician disappears from the public site and cannot go online; re-enabling restores', async () => {
      const tech = await approvedTechnician();
      expect((await call('POST', inA('/technician/online'), tech.token)).statusCode).toBe(200);
      const disabled = await call('POST', inA(`/technicians/${tech.id}/disable`), tok.ownerA);
      expect(disabled.statusCode).toBe(200);
      expect(disabled.json()).toMatchObject({ status: 'disabled', online: false });
      expect(disabled.json().disabledAt).not.toBeNull();
      expect(await publicIds()).not.toContain(tech.id);
      expect((await call('GET', inA(`/technicians/public/${tech.id}`))).statusCode).toBe(404);
      expect((await call('POST', inA('/technician/online'), tech.token)).statusCode).toBe(409);
      expect((await call('POST', inA(`/technicians/${tech.id}/disable`), tok.ownerA)).statusCode).toBe(409);
      const audit = await f.query(
        `SELECT 1 FROM audit_events WHERE target_id = $1 AND action = 'technician.disabled'`,
        [tech.id],
      );
      expect(audit.rowCount).toBe(1);

      expect((await call('POST', inA(`/technicians/${tech.id}/enable`), tok.managerA)).statusCode).toBe(200);
      expect(await publicIds()).toContain(tech.id);
    });

    it('a queued notice sends only for the decision in force: retried while not visible, dropped when superseded', async () => {
      const tech = await technicianOf(A, 'pending_review');
      const job = t.app.get(TechnicianNoticeJob);
      const run = (outcome: 'approved' | 'rejected' | 'disabled') =>
        t.app.get(TenantContext).run(A.id, () => job.run({ tenantId: A.id, technicianId: tech.id, outcome }));
      // still pending: the approval has not committed (or rolled back) → the job fails and is retried
      await expect(run('approved')).rejects.toThrow(/not visible yet/);
      await f.query(`UPDATE technicians SET status = 'disabled' WHERE id = $1`, [tech.id]);
      await run('approved'); // superseded: silently dropped
      expect(sms.mock.calls.filter((c) => c[0] === tech.phone)).toEqual([]);
      await run('disabled');
      expect(sms.mock.calls.filter((c) => c[0] === tech.phone)).toHaveLength(1);
    });

    it('two reviewers acting at once: exactly one decision wins', async () => {
      const tech = await technicianOf(A);
      await call('PUT', inA('/technician/application'), tech.token, await application(A, tech.id));
      const results = await Promise.all([
        call('POST', inA(`/technicians/${tech.id}/approve`), tok.managerA),
        call('POST', inA(`/technicians/${tech.id}/reject`), tok.ownerA, { reason: '资质不符' }),
        call('POST', inA(`/technicians/${tech.id}/approve`), tok.ownerA),
      ]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    });
  });

  describe('input checks', () => {
    it('an invalid ID number checksum is a 400 naming idNumber', async () => {
      const tech = await technicianOf(A);
      const good = newIdNumber();
      const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
      const res = await call(
        'PUT',
        inA('/technician/application'),
        tech.token,
        await application(A, tech.id, { idNumber: bad }),
      );
      expect(res.statusCode).toBe(400);
      expect(res.json().fields.map((x: { field: string }) => x.field)).toEqual(['idNumber']);
    });

    it('names each bad field, refuses files that are not the applicant’s, and one ID number per store', async () => {
      const tech = await technicianOf(A);
      const res = await call('PUT', inA('/technician/application'), tech.token, {
        ...(await application(A, tech.id)),
        gender: 'x',
        skills: ['Bad Skill'],
        experienceYears: 99,
      });
      expect(res.statusCode).toBe(400);
      expect(
        res
          .json()
          .fields.map((x: { field: string }) => x.field)
          .sort(),
      ).toEqual(['experienceYears', 'gender', 'skills']);

      const other = await technicianOf(A);
      const foreignPhoto = await f.newFile(A, { type: 'technician', id: other.id }, 'image');
      const foreign = await call('PUT', inA('/technician/application'), tech.token, {
        ...(await application(A, tech.id)),
        photoFileId: foreignPhoto,
      });
      expect(foreign.statusCode).toBe(400);
      expect(foreign.json().fields[0].field).toBe('photoFileId');

      const bFile = await f.newFile(B, { type: 'technician', id: tech.id }, 'certificate');
      const crossStore = await call('PUT', inA('/technician/application'), tech.token, {
        ...(await application(A, tech.id)),
        certificates: [{ fileId: bFile, kind: 'other' }],
      });
      expect(crossStore.statusCode).toBe(400);
      expect(crossStore.json().fields[0].field).toBe('certificates.0.fileId');

      const first = await application(A, tech.id);
      expect((await call('PUT', inA('/technician/application'), tech.token, first)).statusCode).toBe(200);
      const dup = await call('PUT', inA('/technician/application'), other.token, {
        ...(await application(A, other.id)),
        idNumber: first.idNumber,
      });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().code).toBe('ID_NUMBER_TAKEN');
      // the same person may work for another store
      const inOtherStore = await technicianOf(B);
      const elsewhere = await call('PUT', inB('/technician/application'), inOtherStore.token, {
        ...(await application(B, inOtherStore.id)),
        idNumber: first.idNumber,
      });
      expect(elsewhere.statusCode).toBe(200);
    });
  });

  describe('personal data', () => {
    it('stores the ID number only encrypted (checked in the database bytes)', async () => {
      const tech = await approvedTechnician();
      const rows = await f.query<{ enc: Buffer; hash: Buffer; masked: string; whole: string }>(
        `SELECT id_number_enc AS enc, id_number_hash AS hash, id_number_masked AS masked, t::text AS whole
           FROM technicians t WHERE tenant_id = $1 AND id = $2`,
        [A.id, tech.id],
      );
      const row = rows.rows[0]!;
      const plain = Buffer.from(tech.idNumber);
      expect(row.enc.length).toBeGreaterThan(18);
      expect(row.enc.includes(plain)).toBe(false);
      expect(row.hash.includes(plain)).toBe(false);
      expect(row.whole).not.toContain(tech.idNumber);
      expect(row.whole).not.toContain(plain.toString('hex'));
      expect(row.masked).toBe(`110***********${tech.idNumber.slice(14)}`);
      const audit = await f.query(`SELECT details::text AS d FROM audit_events WHERE tenant_id = $1`, [A.id]);
      for (const a of audit.rows) expect(a.d).not.toContain(tech.idNumber);
    });

    it('shows the full ID number and certificates to owner and manager only', async () => {
      const tech = await approvedTechnician();
      for (const who of ['ownerA', 'managerA']) {
        const res = await call('GET', inA(`/technicians/${tech.id}`), tok[who]);
        expect(res.statusCode).toBe(200);
        expect(res.json().idNumber).toBe(tech.idNumber);
        expect(res.json().certificates).toHaveLength(1);
      }
      const staff = await call('GET', inA(`/technicians/${tech.id}`), tok.staffA);
      expect(staff.statusCode).toBe(200);
      expect(staff.json()).not.toHaveProperty('idNumber');
      expect(staff.json()).not.toHaveProperty('certificates');
      expect(staff.json().idNumberMasked).toBe(`110***********${tech.idNumber.slice(14)}`);
      expect(staff.body).not.toContain(tech.idNumber);
      const self = await call('GET', inA(`/technicians/${tech.id}`), tech.token);
      expect(self.statusCode).toBe(200);
      expect(self.body).not.toContain(tech.idNumber);
      expect((await call('GET', inA('/technician/me'), tech.token)).body).not.toContain(tech.idNumber);
    });

    it('customers and anonymous visitors never see a phone, ID number, location or certificates', async () => {
      const tech = await approvedTechnician(['foot']);
      await call('POST', inA('/technician/online'), tech.token);
      await call('POST', inA('/technician/location'), tech.token, { lat: 31.2304, lng: 121.4737 });
      const forbiddenKeys = /phone|idNumber|id_number|lat|lng|locat|certificate|reviewedBy|rejection/i;
      for (const token of [undefined, tok.customerA]) {
        for (const url of [inA('/technicians/public?skill=foot'), inA(`/technicians/public/${tech.id}`)]) {
          const res = await call('GET', url, token);
          expect(res.statusCode).toBe(200);
          const keys = JSON.stringify(res.json()).match(/"([^"]+)":/g) ?? [];
          expect(keys.filter((k) => forbiddenKeys.test(k))).toEqual([]);
          expect(res.body).not.toContain(tech.idNumber);
          expect(res.body).not.toContain(`139****${tech.phoneTail}`);
          expect(res.body).not.toContain(tech.phone);
          expect(res.body).not.toContain('李小芳'); // the legal name stays with the store
        }
      }
      // a customer cannot use the staff routes at all
      expect((await call('GET', inA('/technicians'), tok.customerA)).statusCode).toBe(403);
      expect((await call('GET', inA(`/technicians/${tech.id}`), tok.customerA)).statusCode).toBe(403);
      expect((await call('GET', inA(`/technicians/${tech.id}`))).statusCode).toBe(401);
    });
  });

  describe('certificate verification', () => {
    const certificatesOf = async (techId: string) => {
      const res = await call('GET', inA(`/technicians/${techId}`), tok.managerA);
      expect(res.statusCode).toBe(200);
      return res.json().certificates as { id: string; fileId: string; kind: string; status: string }[];
    };
    const decide = (techId: string, certId: string, what: 'verify' | 'reject', token?: string, body?: object) =>
      call('POST', inA(`/technicians/${techId}/certificates/${certId}/${what}`), token, body);
    const auditCount = async (action: string, certId: string) =>
      (
        await f.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM audit_events WHERE action = $1 AND target_id = $2`,
          [action, certId],
        )
      ).rows[0]!.n;
    const noticesOf = async (techId: string) =>
      (
        await f.query<{ template: string; body: string }>(
          `SELECT template, body FROM notifications WHERE recipient_type = 'technician' AND recipient_id = $1
            ORDER BY created_at`,
          [techId],
        )
      ).rows.filter((n) => n.template.startsWith('technician.certificate_'));

    it('a manager verifies: who and when recorded, audited, the technician told; the public profile shows only a badge', async () => {
      const tech = await approvedTechnician();
      const [cert] = await certificatesOf(tech.id);
      expect(cert).toMatchObject({ kind: 'massage_license', status: 'pending' });
      expect((await call('GET', inA(`/technicians/public/${tech.id}`))).json().verifiedBadges).toEqual([]);

      const res = await decide(tech.id, cert!.id, 'verify', tok.managerA);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id: cert!.id, status: 'verified', verified: true, reviewedBy: managerA });
      const row = await f.query(
        `SELECT status, verified, reviewed_by, reviewed_at FROM technician_certificates WHERE id = $1`,
        [cert!.id],
      );
      expect(row.rows[0]).toMatchObject({ status: 'verified', verified: true, reviewed_by: managerA });
      expect(row.rows[0]!.reviewed_at).toBeInstanceOf(Date);
      const audit = await f.query(
        `SELECT actor_type, actor_id, details FROM audit_events WHERE action = 'technician.certificate_verified' AND target_id = $1`,
        [cert!.id],
      );
      expect(audit.rows).toEqual([
        expect.objectContaining({
          actor_type: 'staff',
          actor_id: managerA,
          details: expect.objectContaining({ technicianId: tech.id, kind: 'massage_license', from: 'pending' }),
        }),
      ]);
      const notices = await noticesOf(tech.id);
      expect(notices.map((n) => n.template)).toEqual(['technician.certificate_verified']);
      expect(notices[0]!.body).toContain('按摩师证');

      const profile = await call('GET', inA(`/technicians/public/${tech.id}`));
      expect(profile.json().verifiedBadges).toEqual(['massage_license']);
      const listed = (await call('GET', inA('/technicians/public')))
        .json()
        .items.find((i: { id: string }) => i.id === tech.id);
      expect(listed.verifiedBadges).toEqual(['massage_license']);
      for (const secret of [cert!.id, cert!.fileId, tech.idNumber, managerA])
        expect(profile.body).not.toContain(secret);

      // A retried request changes nothing: no second audit entry, no second notice.
      const again = await decide(tech.id, cert!.id, 'verify', tok.managerA);
      expect(again.statusCode).toBe(200);
      expect(again.json().status).toBe('verified');
      expect(await auditCount('technician.certificate_verified', cert!.id)).toBe(1);
      expect(await noticesOf(tech.id)).toHaveLength(1);
    });

    it('a rejection needs a reason, overturns a verification, reaches the technician (in app and SMS) and drops the badge', async () => {
      const tech = await approvedTechnician();
      const [cert] = await certificatesOf(tech.id);
      expect((await decide(tech.id, cert!.id, 'verify', tok.ownerA)).statusCode).toBe(200);

      const blank = await decide(tech.id, cert!.id, 'reject', tok.ownerA, { reason: '   ' });
      expect(blank.statusCode).toBe(400);
      expect(blank.json().fields[0].field).toBe('reason');
      const none = await decide(tech.id, cert!.id, 'reject', tok.ownerA, {});
      expect(none.statusCode).toBe(400);
      expect(none.json().fields[0].field).toBe('reason');

      sms.mockClear();
      const res = await decide(tech.id, cert!.id, 'reject', tok.ownerA, { reason: '证书已过期' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        status: 'rejected',
        verified: false,
        rejectionReason: '证书已过期',
        reviewedBy: ownerA,
      });
      expect(await auditCount('technician.certificate_rejected', cert!.id)).toBe(1);
      expect((await call('GET', inA(`/technicians/public/${tech.id}`))).json().verifiedBadges).toEqual([]);
      const me = await call('GET', inA('/technician/me'), tech.token);
      expect(me.json().certificates).toEqual([
        expect.objectContaining({ id: cert!.id, status: 'rejected', rejectionReason: '证书已过期' }),
      ]);
      expect((await noticesOf(tech.id)).map((n) => n.template)).toEqual([
        'technician.certificate_verified',
        'technician.certificate_rejected',
      ]);
      await waitFor(() => sms.mock.calls.some(([phone, tpl]) => phone === tech.phone && tpl === 'notification'));
      const text = sms.mock.calls.find(([phone]) => phone === tech.phone)![2];
      expect(JSON.stringify(text)).toContain('证书已过期');
    });

    it('a verified document given again as another kind goes back to review; kept as the same kind it stays verified', async () => {
      const tech = await technicianOf(A);
      const body = await application(A, tech.id);
      expect((await call('PUT', inA('/technician/application'), tech.token, body)).statusCode).toBe(200);
      const [cert] = await certificatesOf(tech.id);
      expect((await decide(tech.id, cert!.id, 'verify', tok.managerA)).statusCode).toBe(200);
      const rejectApp = () =>
        call('POST', inA(`/technicians/${tech.id}/reject`), tok.managerA, { reason: '照片不清晰' });

      expect((await rejectApp()).statusCode).toBe(200);
      expect((await call('PUT', inA('/technician/application'), tech.token, body)).statusCode).toBe(200);
      expect(await certificatesOf(tech.id)).toEqual([expect.objectContaining({ id: cert!.id, status: 'verified' })]);

      expect((await rejectApp()).statusCode).toBe(200);
      const relabelled = { ...body, certificates: [{ fileId: cert!.fileId, kind: 'training' }] };
      expect((await call('PUT', inA('/technician/application'), tech.token, relabelled)).statusCode).toBe(200);
      expect(await certificatesOf(tech.id)).toEqual([
        expect.objectContaining({
          id: cert!.id,
          kind: 'training',
          status: 'pending',
          verified: false,
          reviewedBy: null,
        }),
      ]);
    });

    it('only the owner and managers decide: staff, technicians and customers get 403 and change nothing', async () => {
      const tech = await approvedTechnician();
      const [cert] = await certificatesOf(tech.id);
      for (const token of [tok.staffA, tech.token, tok.customerA]) {
        expect((await decide(tech.id, cert!.id, 'verify', token)).statusCode).toBe(403);
        expect((await decide(tech.id, cert!.id, 'reject', token, { reason: '不清晰' })).statusCode).toBe(403);
      }
      expect((await decide(tech.id, cert!.id, 'verify')).statusCode).toBe(401);
      expect((await certificatesOf(tech.id))[0]!.status).toBe('pending');
      expect((await decide(tech.id, cert!.id, 'verify', tok.managerA)).statusCode).toBe(200);
    });

    const withoutRequestId = ({ requestId: _id, ...rest }: Record<string, unknown>) => rest;

    it("another store's certificate, or one of another technician, answers 404 like an id that never existed", async () => {
      const tech = await approvedTechnician();
      const [cert] = await certificatesOf(tech.id);
      const other = await approvedTechnician();
      const missing = await call(
        'POST',
        inB(`/technicians/${tech.id}/certificates/${crypto.randomUUID()}/verify`),
        tok.ownerB,
      );
      expect(missing.statusCode).toBe(404);
      for (const [method, path, body] of [
        ['POST', inB(`/technicians/${tech.id}/certificates/${cert!.id}/verify`)],
        ['POST', inB(`/technicians/${tech.id}/certificates/${cert!.id}/reject`), { reason: '跨店' }],
      ] as const) {
        const res = await call(method, path, tok.ownerB, body);
        expect(res.statusCode, path).toBe(404);
        expect(withoutRequestId(res.json())).toEqual(withoutRequestId(missing.json()));
      }
      const mismatched = await decide(other.id, cert!.id, 'verify', tok.managerA);
      expect(mismatched.statusCode).toBe(404);
      expect(withoutRequestId(mismatched.json())).toEqual(withoutRequestId(missing.json()));
      // A's manager token at B's address is refused outright.
      expect(
        (await call('POST', inB(`/technicians/${tech.id}/certificates/${cert!.id}/verify`), tok.managerA)).statusCode,
      ).toBe(403);
      expect((await certificatesOf(tech.id))[0]!.status).toBe('pending');
      expect((await decide(tech.id, 'not-a-uuid', 'verify', tok.managerA)).statusCode).toBe(400);
    });
  });

  describe('roles', () => {
    it('store staff read but cannot approve, reject, disable, create, edit or manage tiers', async () => {
      const tech = await technicianOf(A);
      await call('PUT', inA('/technician/application'), tech.token, await application(A, tech.id));
      expect((await call('GET', inA('/technicians'), tok.staffA)).statusCode).toBe(200);
      expect((await call('POST', inA(`/technicians/${tech.id}/approve`), tok.staffA)).statusCode).toBe(403);
      expect(
        (await call('POST', inA(`/technicians/${tech.id}/reject`), tok.staffA, { reason: '不行' })).statusCode,
      ).toBe(403);
      expect((await call('POST', inA(`/technicians/${tech.id}/disable`), tok.staffA)).statusCode).toBe(403);
      expect((await call('PATCH', inA(`/technicians/${tech.id}`), tok.staffA, { skills: ['foot'] })).statusCode).toBe(
        403,
      );
      expect(
        (
          await call('POST', inA('/technicians'), tok.staffA, {
            phone: '13900001111',
            name: '王',
            gender: 'male',
            skills: [],
            experienceYears: 1,
          })
        ).statusCode,
      ).toBe(403);
      expect((await call('GET', inA('/technician-tiers'), tok.staffA)).statusCode).toBe(200);
      expect(
        (await call('POST', inA('/technician-tiers'), tok.staffA, { code: 'x1', name: 'x', commissionBps: 1 }))
          .statusCode,
      ).toBe(403);
      const me = await call('GET', inA('/technician/me'), tok.staffA);
      expect(me.statusCode).toBe(403);
    });

    it('a technician sees only themself and cannot review or re-tier themself', async () => {
      const me = await approvedTechnician();
      const other = await approvedTechnician();
      expect((await call('GET', inA(`/technicians/${other.id}`), me.token)).statusCode).toBe(404);
      const list = await call('GET', inA('/technicians'), me.token);
      expect(list.json().items.map((i: { id: string }) => i.id)).toEqual([me.id]);
      expect((await call('PATCH', inA(`/technicians/${me.id}`), me.token, { experienceYears: 30 })).statusCode).toBe(
        403,
      );
      expect((await call('PATCH', inA(`/technicians/${other.id}`), me.token, { experienceYears: 30 })).statusCode).toBe(
        404,
      );
      expect((await call('POST', inA(`/technicians/${me.id}/disable`), me.token)).statusCode).toBe(403);
      expect((await call('POST', inA(`/technicians/${other.id}/approve`), me.token)).statusCode).toBe(403);
      // the approved profile is the store's now
      expect(
        (await call('PUT', inA('/technician/application'), me.token, await application(A, me.id))).statusCode,
      ).toBe(409);
    });
  });

  describe('staff management and tiers', () => {
    it('staff add a technician directly (approved, public), edit it and set a tier with its commission', async () => {
      const photo = await f.newFile(A, { type: 'staff', id: ownerA }, 'image');
      const created = await call('POST', inA('/technicians'), tok.ownerA, {
        phone: '+86 139-1234-5678',
        name: '王大力',
        gender: 'male',
        photoFileId: photo,
        skills: ['tuina'],
        experienceYears: 10,
        homeLat: 31.2,
        homeLng: 121.5,
      });
      expect(created.statusCode).toBe(201);
      const tech = created.json();
      expect(tech).toMatchObject({
        status: 'approved',
        phoneMasked: '139****5678',
        displayName: '王技师',
        homeLat: 31.2,
      });
      expect(await publicIds()).toContain(tech.id);
      const dup = await call('POST', inA('/technicians'), tok.ownerA, {
        phone: '13912345678',
        name: '又一个',
        gender: 'male',
        skills: [],
        experienceYears: 0,
      });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().code).toBe('PHONE_TAKEN');
      const halfHome = await call('PATCH', inA(`/technicians/${tech.id}`), tok.ownerA, { homeLat: 30 });
      expect(halfHome.statusCode).toBe(400);

      const tier = await call('POST', inA('/technician-tiers'), tok.managerA, {
        code: 'gold',
        name: '金牌',
        commissionBps: 6000,
        sort: 40,
      });
      expect(tier.statusCode).toBe(201);
      expect(
        (await call('POST', inA('/technician-tiers'), tok.managerA, { code: 'gold', name: '金', commissionBps: 1 }))
          .statusCode,
      ).toBe(409);
      expect(
        (
          await call('POST', inA('/technician-tiers'), tok.managerA, { code: 'over', name: '超', commissionBps: 10001 })
        ).json().fields[0].field,
      ).toBe('commissionBps');

      const tiered = await call('PATCH', inA(`/technicians/${tech.id}`), tok.managerA, {
        tierId: tier.json().id,
        skills: ['tuina', 'foot'],
      });
      expect(tiered.statusCode).toBe(200);
      expect(tiered.json().tier).toMatchObject({ code: 'gold', commissionBps: 6000 });
      expect(tiered.json().skills).toEqual(['tuina', 'foot']);
      const byTier = await call('GET', inA(`/technicians?tierId=${tier.json().id as string}`), tok.staffA);
      expect(byTier.json().items.map((i: { id: string }) => i.id)).toEqual([tech.id]);
      const pub = await call('GET', inA(`/technicians/public/${tech.id}`));
      expect(pub.json()).toMatchObject({ tierName: '金牌', ratingAvg: null, ratingCount: 0 });

      const changed = await call('PATCH', inA(`/technician-tiers/${tier.json().id}`), tok.ownerA, {
        commissionBps: 6500,
      });
      expect(changed.json().commissionBps).toBe(6500);
      expect((await call('DELETE', inA(`/technician-tiers/${tier.json().id}`), tok.ownerA)).statusCode).toBe(409);
      await call('PATCH', inA(`/technicians/${tech.id}`), tok.managerA, { tierId: null });
      expect((await call('DELETE', inA(`/technician-tiers/${tier.json().id}`), tok.ownerA)).statusCode).toBe(204);
    });

    it('filters the staff list by status, tier, skill and text; pages with a cursor', async () => {
      const a = await technicianOf(A, 'pending_review', { skills: ['rare_skill'] });
      await f.query(`UPDATE technicians SET name = '独特名字' WHERE id = $1`, [a.id]);
      const ids = async (q: string) =>
        ((await call('GET', inA(`/technicians${q}`), tok.staffA)).json().items as { id: string }[]).map((i) => i.id);
      expect(await ids('?skill=rare_skill')).toEqual([a.id]);
      expect(await ids('?q=独特')).toEqual([a.id]);
      expect(await ids(`?q=${a.phoneTail}`)).toContain(a.id);
      expect(await ids('?status=pending_review&skill=rare_skill')).toEqual([a.id]);
      expect(await ids('?status=approved&skill=rare_skill')).toEqual([]);
      const bad = await call('GET', inA('/technicians?status=nope&limit=0'), tok.staffA);
      expect(bad.statusCode).toBe(400);
      expect(
        bad
          .json()
          .fields.map((x: { field: string }) => x.field)
          .sort(),
      ).toEqual(['limit', 'status']);
      const page1 = (await call('GET', inA('/technicians?limit=2'), tok.staffA)).json();
      expect(page1.items).toHaveLength(2);
      const page2 = (await call('GET', inA(`/technicians?limit=2&cursor=${page1.nextCursor}`), tok.staffA)).json();
      expect(page2.items[0].id).not.toBe(page1.items[1].id);
    });

    it('the public list offers for a service only technicians with all its required skills', async () => {
      const both = await approvedTechnician(['spa_oil', 'foot']);
      const one = await approvedTechnician(['spa_oil']);
      const cat = await f.query<{ id: string }>(
        `INSERT INTO service_categories (tenant_id, name_zh) VALUES ($1, '精油SPA') RETURNING id`,
        [A.id],
      );
      const svc = async (skills: string[], active = true) =>
        (
          await f.query<{ id: string }>(
            `INSERT INTO services (tenant_id, category_id, name_zh, required_skills, active)
             VALUES ($1, $2, $3, $4, $5) RETURNING id`,
            [A.id, cat.rows[0]!.id, `服务${skills.join('+')}${String(active)}`, skills, active],
          )
        ).rows[0]!.id;
      const ids = await publicIds(`?serviceId=${await svc(['spa_oil', 'foot'])}`);
      expect(ids).toContain(both.id);
      expect(ids).not.toContain(one.id);
      expect(await publicIds(`?serviceId=${await svc(['spa_oil', 'foot'], false)}`)).toEqual([]);
      // a service of store B, named through store A: nobody, and no error that says it exists
      const serviceOfB = await f.query<{ id: string }>(
        `WITH c AS (INSERT INTO service_categories (tenant_id, name_zh) VALUES ($1, 'B') RETURNING id)
         INSERT INTO services (tenant_id, category_id, name_zh) SELECT $1, c.id, 'B' FROM c RETURNING id`,
        [B.id],
      );
      expect(await publicIds(`?serviceId=${serviceOfB.rows[0]!.id}`)).toEqual([]);
    });

    it('the public list filters by skill', async () => {
      const foot = await approvedTechnician(['foot', 'spa_oil']);
      const tuina = await approvedTechnician(['tuina']);
      const ids = await publicIds('?skill=foot');
      expect(ids).toContain(foot.id);
      expect(ids).not.toContain(tuina.id);
      expect((await call('GET', inA('/technicians/public?skill=BAD'))).statusCode).toBe(400);
    });
  });

  describe('cross-tenant', () => {
    it("store B's technician and tier ids through store A → 404 that reveals nothing", async () => {
      const techB = await technicianOf(B, 'pending_review');
      const tierB = await f.query<{ id: string }>(
        `INSERT INTO technician_tiers (tenant_id, code, name, commission_bps) VALUES ($1, 'b', 'B', 1) RETURNING id`,
        [B.id],
      );
      const tierId = tierB.rows[0]!.id;
      const routes: [string, string, object?][] = [
        ['GET', `/technicians/${techB.id}`],
        ['PATCH', `/technicians/${techB.id}`, { experienceYears: 1 }],
        ['POST', `/technicians/${techB.id}/approve`],
        ['POST', `/technicians/${techB.id}/reject`, { reason: '跨店' }],
        ['POST', `/technicians/${techB.id}/disable`],
        ['POST', `/technicians/${techB.id}/enable`],
        ['GET', `/technicians/public/${techB.id}`],
        ['PATCH', `/technician-tiers/${tierId}`, { name: 'x' }],
        ['DELETE', `/technician-tiers/${tierId}`],
      ];
      for (const [method, path, body] of routes) {
        const res = await call(method, inA(path), tok.ownerA, body);
        expect(res.statusCode, `${method} ${path}`).toBe(404);
        expect(res.body).not.toContain(B.id);
      }
      const state = await f.query(`SELECT status FROM technicians WHERE id = $1`, [techB.id]);
      expect(state.rows[0]!.status).toBe('pending_review');
      // B's tier cannot be given to A's technician
      const mine = await approvedTechnician();
      const res = await call('PATCH', inA(`/technicians/${mine.id}`), tok.ownerA, { tierId });
      expect(res.statusCode).toBe(400);
      expect(res.json().fields[0].field).toBe('tierId');
      // nor B's technician id used by A's staff list
      expect((await call('GET', inA('/technicians'), tok.ownerA)).body).not.toContain(techB.id);
    });

    it("store A's tokens at store B's address → 403 on every route", async () => {
      const techA = await technicianOf(A);
      const someId = '00000000-0000-4000-8000-000000000000';
      const staffRoutes: [string, string, object?][] = [
        ['GET', '/technicians'],
        ['GET', `/technicians/${someId}`],
        ['POST', '/technicians', { phone: '13900002222', name: '王', gender: 'male', skills: [], experienceYears: 1 }],
        ['PATCH', `/technicians/${someId}`, { experienceYears: 1 }],
        ['POST', `/technicians/${someId}/approve`],
        ['POST', `/technicians/${someId}/reject`, { reason: '跨店' }],
        ['POST', `/technicians/${someId}/disable`],
        ['POST', `/technicians/${someId}/enable`],
        ['GET', '/technician-tiers'],
        ['POST', '/technician-tiers', { code: 'x', name: 'x', commissionBps: 1 }],
        ['PATCH', `/technician-tiers/${someId}`, { name: 'x' }],
        ['DELETE', `/technician-tiers/${someId}`],
        ['GET', '/technicians/public'],
        ['GET', `/technicians/public/${someId}`],
      ];
      for (const [method, path, body] of staffRoutes) {
        expect((await call(method, inB(path), tok.ownerA, body)).statusCode, `${method} ${path}`).toBe(403);
      }
      const selfRoutes: [string, string, object?][] = [
        ['GET', '/technician/me'],
        ['PUT', '/technician/application', await application(A, techA.id)],
        ['POST', '/technician/online'],
        ['POST', '/technician/offline'],
        ['POST', '/technician/location', { lat: 31, lng: 121 }],
      ];
      for (const [method, path, body] of selfRoutes) {
        expect((await call(method, inB(path), techA.token, body)).statusCode, `${method} ${path}`).toBe(403);
      }
    });
  });

  it('documents every route in OpenAPI', async () => {
    const doc = (await call('GET', '/api/docs-json')).json();
    for (const p of [
      '/api/technician/me',
      '/api/technician/application',
      '/api/technician/location',
      '/api/technicians',
      '/api/technicians/{id}/approve',
      '/api/technicians/public/{id}',
      '/api/technician-tiers/{id}',
      '/api/technicians/{technicianId}/certificates/{certificateId}/verify',
      '/api/technicians/{technicianId}/certificates/{certificateId}/reject',
    ]) {
      expect(doc.paths[p], p).toBeDefined();
    }
  });
});
