import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';

// Helm cannot be installed here, so the chart is checked the way `helm lint` would: Chart.yaml,
// values.yaml against values.schema.json (Helm enforces that schema on install), and the templates'
// references to values and helpers.
const ROOT = join(__dirname, '..');
const CHART = join(ROOT, 'helm', 'massage-saas');
const TEMPLATES = join(CHART, 'templates');

type Values = Record<string, unknown>;
const readYaml = (path: string): Values => parseYaml(readFileSync(path, 'utf8')) as Values;
const values = (): Values => structuredClone(readYaml(join(CHART, 'values.yaml')));
const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
const templates = readdirSync(TEMPLATES)
  .filter((f) => /\.(ya?ml|tpl|txt)$/.test(f))
  .map((f) => ({ file: f, text: readFileSync(join(TEMPLATES, f), 'utf8') }));
const template = (file: string): string => templates.find((t) => t.file === file)!.text;

function errorsOf(v: Values): string[] {
  return validate(v) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

function set(obj: Values, path: string, value: unknown): Values {
  const keys = path.split('.');
  let cur = obj;
  for (const k of keys.slice(0, -1)) cur = cur[k] as Values;
  if (value === undefined) delete cur[keys.at(-1)!];
  else cur[keys.at(-1)!] = value;
  return obj;
}

describe('Chart.yaml', () => {
  const chart = readYaml(join(CHART, 'Chart.yaml'));

  it('is a valid Helm v2 application chart named after its folder', () => {
    expect(chart.apiVersion).toBe('v2');
    expect(chart.name).toBe('massage-saas');
    expect(chart.type).toBe('application');
    expect(chart.version).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/);
    expect(typeof chart.appVersion).toBe('string');
    expect(String(chart.description).length).toBeGreaterThan(10);
  });
});

describe('values.yaml and values.schema.json', () => {
  it('the defaults satisfy the schema', () => {
    expect(errorsOf(values())).toEqual([]);
  });

  it.each([
    ['api.replicas', -1, /api\/replicas must be >= 0/],
    ['image.repository', undefined, /image must have required property 'repository'/],
    ['image.repository', '', /image\/repository must NOT have fewer than 1 characters/],
    ['image.pullPolicy', 'Sometimes', /image\/pullPolicy must be equal to one of the allowed values/],
    ['config.logLevel', 'verbose', /config\/logLevel must be equal to one of the allowed values/],
    ['config.dbPoolMax', '10', /config\/dbPoolMax must be integer/],
    ['baseDomain', 'Not A Domain', /baseDomain must match pattern/],
    ['api.resources', undefined, /api must have required property 'resources'/],
    ['ingress.tls.secretName', 'Bad_Name', /ingress\/tls\/secretName must match pattern/],
    ['service.type', 'ExternalName', /service\/type must be equal to one of the allowed values/],
    ['replicaCount', 3, /must NOT have additional properties/],
    ['api.replica', 3, /api must NOT have additional properties/],
  ])('rejects %s = %j', (path, value, message) => {
    const errors = errorsOf(set(values(), path, value));
    expect(errors.join('\n')).toMatch(message);
  });

  it('requires every secret value when the chart creates the Secret, and checks their shape', () => {
    const v = set(values(), 'secrets.create', true);
    expect(errorsOf(v).join('\n')).toMatch(/JWT_SECRET must NOT have fewer than 32 characters/);
    set(v, 'secrets.values', {
      JWT_SECRET: 'x'.repeat(40),
      DATA_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      LOOKUP_HASH_KEY: Buffer.alloc(32, 2).toString('base64'),
      APP_DATABASE_URL: 'postgres://massage_app:pw@db:5432/massage',
      DATABASE_URL: 'postgres://postgres:pw@db:5432/massage',
      APP_DB_PASSWORD: 'pw',
      SMTP_URL: 'smtp://mail:587',
    });
    expect(errorsOf(v)).toEqual([]);
    set(v, 'secrets.values.DATA_ENCRYPTION_KEY', 'too-short');
    expect(errorsOf(v).join('\n')).toMatch(/DATA_ENCRYPTION_KEY must match pattern/);
  });

  it('leaves room for a voluntary eviction under the default disruption budgets (a node can drain)', () => {
    const v = values() as Record<string, { replicas: number; podDisruptionBudget: { minAvailable: number } }>;
    for (const part of ['api', 'worker']) {
      expect(v[part]!.podDisruptionBudget.minAvailable, part).toBeLessThan(v[part]!.replicas);
    }
  });

  it('requires an existing Secret name when the chart does not create one', () => {
    expect(errorsOf(set(values(), 'secrets.existingSecret', '')).join('\n')).toMatch(
      /existingSecret must NOT have fewer than 1 characters/,
    );
  });
});

describe('templates', () => {
  it('reference only values that exist in values.yaml', () => {
    const defaults = values();
    const missing: string[] = [];
    for (const { file, text } of templates) {
      for (const m of text.matchAll(/\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)) {
        const path = m[1]!.slice(1).split('.');
        let cur: unknown = defaults;
        for (const key of path) {
          cur = cur !== null && typeof cur === 'object' && key in cur ? (cur as Values)[key] : undefined;
        }
        if (cur === undefined) missing.push(`${file}: .Values.${path.join('.')}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('have balanced actions and blocks, and include only defined helpers', () => {
    const defined = new Set([...template('_helpers.tpl').matchAll(/define "([^"]+)"/g)].map((m) => m[1]!));
    for (const { file, text } of templates) {
      expect(text.split('{{').length, `${file}: {{ vs }}`).toBe(text.split('}}').length);
      const actions = [...text.matchAll(/\{\{-?\s*(if|range|with|define|end|else)\b/g)].map((m) => m[1]!);
      let depth = 0;
      for (const a of actions) {
        if (a === 'end') depth--;
        else if (a !== 'else') depth++;
        expect(depth, `${file}: an {{ end }} without a block`).toBeGreaterThanOrEqual(0);
      }
      expect(depth, `${file}: unclosed block`).toBe(0);
      for (const m of text.matchAll(/include "([^"]+)"/g)) expect(defined, file).toContain(m[1]);
    }
  });

  it('run the API with RUN_WORKERS=false and the workers with RUN_WORKERS=true, both probed on /health', () => {
    const api = template('api-deployment.yaml');
    const worker = template('worker-deployment.yaml');
    expect(api).toMatch(/name: RUN_WORKERS\s+value: "false"/);
    expect(worker).toMatch(/name: RUN_WORKERS\s+value: "true"/);
    for (const t of [api, worker]) expect(t).toContain('include "massage-saas.probes"');
    const helpers = template('_helpers.tpl');
    expect(helpers).toMatch(/readinessProbe:\s+httpGet:\s+path: \/health/);
    expect(helpers).toMatch(/livenessProbe:\s+httpGet:\s+path: \/health/);
    for (const key of ['JWT_SECRET', 'DATA_ENCRYPTION_KEY', 'LOOKUP_HASH_KEY', 'APP_DATABASE_URL']) {
      expect(helpers).toContain(`"${key}"`);
    }
    expect(helpers).toMatch(/secretKeyRef:/);
  });

  it('migrate in a pre-install/pre-upgrade hook with the admin DATABASE_URL, using the real CLI', () => {
    const job = template('migration-job.yaml');
    expect(job).toContain('helm.sh/hook: pre-install,pre-upgrade');
    expect(job).toContain('command: ["node", "dist/src/cli/migrate.js"]');
    expect(job).toMatch(/name: DATABASE_URL\s+valueFrom:\s+secretKeyRef:/);
    expect(existsSync(join(ROOT, 'src', 'cli', 'migrate.ts'))).toBe(true);
    expect(existsSync(join(ROOT, 'src', 'main.ts'))).toBe(true);
  });

  it('route the base domain and the wildcard store subdomains', () => {
    const ingress = template('ingress.yaml');
    expect(ingress).toContain('printf "*.%s" .Values.baseDomain');
    expect(ingress).toMatch(/list \.Values\.baseDomain \(printf "\*\.%s" \.Values\.baseDomain\)/);
  });

  it('cover the workload objects the chart promises', () => {
    const kinds = templates.flatMap(({ text }) => [...text.matchAll(/^kind: (\w+)/gm)].map((m) => m[1]));
    for (const kind of [
      'Deployment',
      'Service',
      'Ingress',
      'Job',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
      'ServiceAccount',
      'ConfigMap',
      'Secret',
    ]) {
      expect(kinds).toContain(kind);
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

  it('is a multi-stage node:20-slim build that installs production dependencies after the build and runs as non-root', () => {
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const f of froms) expect(f).toBe('node:20-slim');
    const build = dockerfile.indexOf('npm run build');
    const prodDeps = dockerfile.indexOf('npm ci --omit=dev');
    expect(build).toBeGreaterThan(0);
    expect(prodDeps).toBeGreaterThan(build);
    const user = /^USER (\S+)/m.exec(dockerfile)?.[1];
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(dockerfile).toMatch(/CMD \["node", ("--[a-z-]+(=\d+)?", )*"dist\/src\/main.js"\]/);
  });

  it('runs the API with the node flags of `npm run start:prod`, as the chart does', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const prodFlags = pkg.scripts['start:prod']!.split(' ').filter((a) => a.startsWith('--'));
    expect(prodFlags).toContain('--max-old-space-size=256');
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
    expect(cmd).toEqual(['node', ...prodFlags, 'dist/src/main.js']);
    const api = readFileSync(join(ROOT, 'helm/massage-saas/templates/api-deployment.yaml'), 'utf8');
    const command = JSON.parse(/command: (\[.*\])/.exec(api)![1]!) as string[];
    expect(command).toEqual(cmd);
  });
});
