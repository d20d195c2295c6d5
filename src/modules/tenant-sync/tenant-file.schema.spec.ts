import { mkdtemp, mkdir, readFile, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTenantFiles, TenantFileError } from './load-tenant-files';
import { tenantJsonSchema } from './tenant-json-schema';

const TENANTS = join(__dirname, '..', '..', '..', 'tenants');

async function copyWith(edit: (yaml: string) => string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tenants-'));
  await cp(join(TENANTS, 'jingan-spa'), join(dir, 'jingan-spa'), { recursive: true });
  const file = join(dir, 'jingan-spa', 'tenant.yaml');
  await writeFile(file, edit(await readFile(file, 'utf8')));
  return dir;
}

async function problemsOf(dir: string): Promise<string[]> {
  try {
    await loadTenantFiles(dir);
  } catch (e) {
    if (e instanceof TenantFileError) return e.problems;
    throw e;
  }
  return [];
}

describe('tenants/ files', () => {
  it('the shipped demo stores and platform file all validate', async () => {
    const sut = await loadTenantFiles(TENANTS);
    expect(sut.tenants.map((t) => t.spec.slug)).toEqual(['chaoyang-yuzu', 'jingan-spa', 'tianhe-kangshu']);
    expect(new Set(sut.tenants.map((t) => t.spec.city)).size).toBe(3);
    expect(new Set(sut.tenants.map((t) => t.spec.branding.themeColor)).size).toBe(3);
    expect(sut.tenants.every((t) => t.spec.demo && t.spec.staff.some((s) => s.role === 'tenant_owner'))).toBe(true);
    expect(sut.platform?.operators.length).toBeGreaterThan(0);
  });

  it('names the file and field of a bad theme colour', async () => {
    const dir = await copyWith((y) => y.replace("themeColor: '#b0417a'", 'themeColor: red'));
    const problems = await problemsOf(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/jingan-spa\/tenant\.yaml: branding\.themeColor must be #rrggbb/);
  });

  it('reports every problem with its path: coordinates, radius, role', async () => {
    const dir = await copyWith((y) =>
      y
        .replace('location: { lat: 31.2231', 'location: { lat: 200')
        .replace('radiusKm: 8', 'radiusKm: -1')
        .replace('role: tenant_owner', 'role: boss'),
    );
    const problems = await problemsOf(dir);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/tenant\.yaml: location\.lat must be between -90 and 90/),
        expect.stringMatching(/tenant\.yaml: serviceArea\.radiusKm must be greater than 0/),
        expect.stringMatching(/tenant\.yaml: staff\.0\.role must be one of/),
      ]),
    );
  });

  it('needs an owner account', async () => {
    const dir = await copyWith((y) => y.replace('role: tenant_owner', 'role: store_manager'));
    expect(await problemsOf(dir)).toEqual([expect.stringMatching(/tenant\.yaml: staff needs a tenant_owner account/)]);
  });

  it('refuses literal passwords outside demo files, and a slug that is not the folder name', async () => {
    const real = await copyWith((y) => y.replace('demo: true', 'demo: false'));
    expect(await problemsOf(real)).toContainEqual(
      expect.stringMatching(/staff\.0\.password is only allowed in demo files/),
    );
    const renamed = await copyWith((y) => y.replace('slug: jingan-spa', 'slug: other'));
    expect(await problemsOf(renamed)).toEqual([expect.stringMatching(/slug must equal the folder name/)]);
  });

  it('allows technicians (phone logins) only in demo files; a catalog is fine in a real store', async () => {
    const real = await copyWith((y) =>
      y.replace('demo: true', 'demo: false').replace(/password: (demo-\w+-2026)/g, 'passwordEnv: PW'),
    );
    expect(await problemsOf(real)).toEqual([
      expect.stringMatching(/tenant\.yaml: technicians are only allowed in demo files/),
    ]);
    const noTeam = await copyWith((y) =>
      y
        .replace('demo: true', 'demo: false')
        .replace(/password: (demo-\w+-2026)/g, 'passwordEnv: PW')
        .replace(/\ntechnicians:\n[\s\S]*$/, '\n'),
    );
    const [store] = (await loadTenantFiles(noTeam)).tenants;
    expect(store!.spec.catalog?.categories).toHaveLength(3);
    expect(store!.spec.technicians).toEqual([]);
  });

  it('checks the catalog and team: unknown tier, a service nobody can do, an extension without minutes, twice-used keys', async () => {
    const dir = await copyWith((y) =>
      y
        .replace('tier: gold', 'tier: platinum')
        .replace('requiredSkills: [foot]', 'requiredSkills: [foot, hot_stone]')
        .replace('      minutes: 30\n', '')
        .replace('key: jingan-aroma-back', 'key: jingan-aroma-full'),
    );
    expect(await problemsOf(dir)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/technicians\.0\.tier must be the code of a tier in tiers/),
        expect.stringMatching(
          /catalog\.categories\.2\.services\.0\.requiredSkills no technician in this file has all of these skills/,
        ),
        expect.stringMatching(/catalog\.addons\.0\.minutes is required for an extension/),
        expect.stringMatching(/catalog\.categories\.0\.services\.1\.key is listed twice/),
      ]),
    );
  });

  it('reports YAML syntax errors with the file name', async () => {
    const dir = await copyWith((y) => `${y}\nbranding: [unclosed\n`);
    expect((await problemsOf(dir))[0]).toMatch(/jingan-spa\/tenant\.yaml: YAML/);
  });

  it('a missing tenant.yaml in a store folder is an error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tenants-'));
    await mkdir(join(dir, 'empty-store'));
    expect(await problemsOf(dir)).toEqual([expect.stringMatching(/empty-store\/tenant\.yaml: missing/)]);
  });

  it('tenants/tenant.schema.json is current (UPDATE_SCHEMA=1 rewrites it)', async () => {
    const file = join(TENANTS, 'tenant.schema.json');
    const want = tenantJsonSchema();
    if (process.env.UPDATE_SCHEMA === '1') await writeFile(file, `${JSON.stringify(want, null, 2)}\n`);
    // Compared as data, so Prettier may format the file as it likes.
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(want);
  });
});
