import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse, type Node } from 'acorn';
import Fastify from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fieldCipher from '../src/platform/crypto/field-cipher';
import * as password from '../src/platform/crypto/password';
import * as phone from '../src/platform/crypto/phone';
import * as migrator from '../src/platform/database/migrator';
import { BaselineKit } from '../load-tests/baseline/baseline-kit';
import { AppKit, TOKEN_ISSUER } from '../load-tests/lib/app-kit';
import { loadScenarios } from '../load-tests/lib/registry';
import { judge, type Measured } from '../load-tests/lib/report';
import type { Scenario } from '../load-tests/lib/scenario';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const K6_DIR = join(__dirname, '..', 'load-tests', 'k6');
const k6Files = readdirSync(K6_DIR).filter((f) => f.endsWith('.js'));

/** A k6 script parsed as the ES module k6 loads, with its `options` literal evaluated. */
interface K6Script {
  imports: { source: string; defaultName?: string }[];
  options: K6Options;
  hasDefaultFunction: boolean;
}
interface K6Options {
  scenarios?: Record<string, Record<string, unknown>>;
  thresholds?: Record<string, string[]>;
}

type AnyNode = Node & Record<string, unknown>;

/** Evaluates a literal-only expression (objects, arrays, strings, numbers, booleans). */
function literal(node: AnyNode): unknown {
  switch (node.type) {
    case 'Literal':
      return node.value;
    case 'TemplateLiteral': {
      const quasis = node.quasis as AnyNode[];
      if ((node.expressions as unknown[]).length > 0) throw new Error('options must not interpolate');
      return (quasis[0]!.value as { cooked: string }).cooked;
    }
    case 'UnaryExpression':
      if (node.operator === '-') return -(literal(node.argument as AnyNode) as number);
      break;
    case 'ArrayExpression':
      return (node.elements as AnyNode[]).map(literal);
    case 'ObjectExpression': {
      const out: Record<string, unknown> = {};
      for (const p of node.properties as AnyNode[]) {
        if (p.type !== 'Property' || p.computed) throw new Error('options must be a plain object literal');
        const key = p.key as AnyNode;
        out[key.type === 'Identifier' ? (key.name as string) : String(key.value)] = literal(p.value as AnyNode);
      }
      return out;
    }
  }
  throw new Error(`options must be a static literal (found ${node.type})`);
}

function readK6(file: string): K6Script {
  const source = readFileSync(join(K6_DIR, file), 'utf8');
  const program = parse(source, { ecmaVersion: 'latest', sourceType: 'module' }) as unknown as { body: AnyNode[] };
  const script: K6Script = { imports: [], options: {}, hasDefaultFunction: false };
  for (const node of program.body) {
    if (node.type === 'ImportDeclaration') {
      const specifiers = node.specifiers as AnyNode[];
      const def = specifiers.find((s) => s.type === 'ImportDefaultSpecifier');
      script.imports.push({
        source: (node.source as AnyNode).value as string,
        ...(def ? { defaultName: (def.local as AnyNode).name as string } : {}),
      });
    }
    if (
      node.type === 'ExportNamedDeclaration' &&
      (node.declaration as AnyNode | null)?.type === 'VariableDeclaration'
    ) {
      for (const d of (node.declaration as AnyNode).declarations as AnyNode[]) {
        if ((d.id as AnyNode).name === 'options') script.options = literal(d.init as AnyNode) as K6Options;
      }
    }
    if (node.type === 'ExportDefaultDeclaration') {
      const decl = node.declaration as AnyNode;
      script.hasDefaultFunction = ['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression'].includes(
        decl.type,
      );
    }
  }
  return script;
}

/** `p(99)<=15` → 15 */
function bound(thresholds: string[] | undefined, metric: string): number | undefined {
  for (const t of thresholds ?? []) {
    const m = /^\s*(\S+)\s*(<=|<)\s*([\d.]+)\s*$/.exec(t);
    if (m && m[1] === metric) return Number(m[3]);
  }
  return undefined;
}

let scenarios: Map<string, Scenario>;
beforeAll(async () => {
  scenarios = await loadScenarios();
});

describe('scenario registry and k6 scripts', () => {
  it('has a k6 script for every runner scenario and a runner scenario for every k6 script', () => {
    expect(scenarios.size).toBeGreaterThan(0);
    expect(k6Files.map((f) => basename(f, '.js')).sort()).toEqual([...scenarios.keys()].sort());
  });

  it('refuses a scenario whose name is not its file name', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const dir = mkdtempSync(join(__dirname, '..', 'load-tests', '.tmp-registry-'));
    try {
      writeFileSync(
        join(dir, 'one-name.ts'),
        "export default { name: 'another-name', seed: async () => ({}), requests: () => [] };\n",
      );
      await expect(loadScenarios(dir)).rejects.toThrow(/must equal the file name/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe.each(k6Files)('%s', (file) => {
    const name = basename(file, '.js');
    const script = readK6(file);

    it('is an ES module that imports only k6 modules, http from k6/http, and exports a default function', () => {
      expect(script.imports.find((i) => i.source === 'k6/http')?.defaultName).toBe('http');
      for (const i of script.imports) expect(i.source === 'k6' || i.source.startsWith('k6/')).toBe(true);
      expect(script.hasDefaultFunction).toBe(true);
    });

    it('exports options with a saturation scenario, a constant-arrival-rate scenario and thresholds', () => {
      const runner = scenarios.get(name)!;
      const executors = Object.values(script.options.scenarios ?? {});
      const fixed = executors.find((e) => e.executor === 'constant-arrival-rate');
      expect(fixed, 'a constant-arrival-rate scenario').toBeDefined();
      expect(fixed!.rate).toBe(runner.offeredRate);
      expect(fixed!.timeUnit).toBe('1s');
      expect(executors.some((e) => e.executor === 'constant-vus' && e.vus === 100)).toBe(true);
      expect(Object.keys(script.options.thresholds ?? {}).length).toBeGreaterThan(0);
    });

    it('mirrors the runner targets in its thresholds', () => {
      const { targets } = scenarios.get(name)!;
      const th = script.options.thresholds ?? {};
      const latencyKey = Object.keys(th).find((k) => k.startsWith('http_req_duration'));
      if (targets.p99_ms_max !== undefined) {
        expect(bound(th[latencyKey ?? ''], 'p(99)')).toBe(targets.p99_ms_max);
      }
      if (targets.p95_ms_max !== undefined) {
        expect(bound(th[latencyKey ?? ''], 'p(95)')).toBe(targets.p95_ms_max);
      }
      if (targets.errors_max === 0) expect(th.http_req_failed).toContain('rate==0');
    });
  });
});

describe('judge', () => {
  const measured: Measured = {
    rps: 1000,
    baseline_rps: 1500,
    ratio: 0.67,
    p50_ms: 3,
    p99_ms: 12,
    p95_ms: 8,
    baseline_p50_ms: 2,
    baseline_p99_ms: 6,
    driver_lag_ms: 1,
    baseline_driver_lag_ms: 1,
    errors: 0,
    rss_mb: 150,
    rss_idle_mb: 120,
    offered_rps: 500,
    cpu_ms_per_req: 1.5,
    baseline_cpu_ms_per_req: 0.5,
  };
  const target = { ratio_min: 0.5, p99_ms_max: 15, errors_max: 0, rss_mb_max: 300 };

  it('passes when every target and check holds', () => {
    expect(judge(measured, target, [{ name: 'one winner', ok: true }])).toMatchObject({ pass: true, failures: [] });
  });

  it('fails on each missed target and on a failed post-run check, naming them', () => {
    const r = judge({ ...measured, ratio: 0.4, p99_ms: 16, errors: 1, rss_mb: 301 }, target, [
      { name: 'ledger balanced', ok: false, detail: 'off by 100 fen' },
    ]);
    expect(r.pass).toBe(false);
    expect(r.failures).toHaveLength(5);
    expect(r.failures.join('\n')).toMatch(/ratio.*p99.*errors.*rss.*ledger balanced.*off by 100 fen/s);
  });

  it('fails a ratio target when no baseline was measured', () => {
    expect(judge({ ...measured, ratio: null, baseline_rps: null }, { ratio_min: 0.5 }, []).pass).toBe(false);
  });
});

describe('tenant-read baseline answers exactly what the API answers', () => {
  let db: TestDatabase;
  let t: TestApp;
  let admin: pg.Pool;
  let appPool: pg.Pool;
  let kit: AppKit;
  const baseline = Fastify();

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db);
    admin = new pg.Pool({ connectionString: db.adminUrl, max: 2 });
    appPool = new pg.Pool({ connectionString: db.appUrl, max: 2 });
    kit = new AppKit({ crypto: fieldCipher, phone, password, migrator }, t.config);
  });

  afterAll(async () => {
    await baseline.close();
    await appPool?.end();
    await admin?.end();
    await t?.close();
    await db?.drop();
  });

  it('returns the same page, and refuses a token of another store alike', async () => {
    const scenario = scenarios.get('tenant-read')!;
    const state = await scenario.seed({ admin, app: kit });
    scenario.baseline!.register(baseline, new BaselineKit(appPool, t.config.JWT_SECRET, TOKEN_ISSUER), state);
    const [req] = scenario.requests(state);
    const call = { method: 'GET' as const, url: req!.path!, headers: req!.headers! };

    const fromApi = await t.app.inject(call);
    const fromBaseline = await baseline.inject(call);
    expect(fromApi.statusCode).toBe(200);
    expect(fromBaseline.statusCode).toBe(200);
    expect(() => scenario.checkResponse!(200, fromApi.json(), state)).not.toThrow();
    expect(fromBaseline.json()).toEqual(fromApi.json());

    // Seeded rows decrypt with the app's key under the same AAD the seed used.
    const { rows } = await admin.query<{ tenant_id: string; phone_enc: Buffer; phone_masked: string }>(
      'SELECT tenant_id, phone_enc, phone_masked FROM customers LIMIT 1',
    );
    const plain = new fieldCipher.FieldCipher(t.config.DATA_ENCRYPTION_KEY).decrypt(
      rows[0]!.phone_enc,
      `customers.phone:${rows[0]!.tenant_id}`,
    );
    expect(phone.maskPhone(plain)).toBe(rows[0]!.phone_masked);

    const { rows: other } = await admin.query<{ id: string }>("SELECT id FROM tenants WHERE slug <> 'bench-a'");
    const foreign = await kit.accessToken({
      id: '00000000-0000-4000-8000-000000000001',
      role: 'store_manager',
      tenantId: other[0]!.id,
      kind: 'staff',
    });
    const foreignCall = { ...call, headers: { authorization: `Bearer ${foreign}` } };
    expect((await t.app.inject(foreignCall)).statusCode).toBe(403);
    expect((await baseline.inject(foreignCall)).statusCode).toBe(403);
  });
});
