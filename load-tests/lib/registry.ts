import { readdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { Scenario } from './scenario';

export const SCENARIOS_DIR = join(__dirname, '..', 'scenarios');

/**
 * Every file in load-tests/scenarios/ is one scenario (its default export). Works from the
 * TypeScript sources (tests) and from the compiled dist/load-tests/scenarios/*.js (the bench).
 */
export async function loadScenarios(dir: string = SCENARIOS_DIR): Promise<Map<string, Scenario>> {
  const ext = extname(__filename) === '.ts' ? '.ts' : '.js';
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(ext) && !f.endsWith(`.d${ext}`) && !f.endsWith(`.spec${ext}`))
    .sort();
  const out = new Map<string, Scenario>();
  for (const file of files) {
    const mod = (await import(join(dir, file))) as { default?: Scenario | { default?: Scenario } };
    // A CommonJS build imported with import() wraps the default export once more.
    const raw = mod.default;
    const scenario = raw && 'default' in raw && raw.default ? raw.default : (raw as Scenario | undefined);
    const name = basename(file, ext);
    if (!scenario || typeof scenario.seed !== 'function' || typeof scenario.requests !== 'function') {
      throw new Error(`load-tests/scenarios/${file}: the default export is not a scenario`);
    }
    if (scenario.name !== name) {
      throw new Error(`load-tests/scenarios/${file}: scenario name "${scenario.name}" must equal the file name`);
    }
    out.set(name, scenario);
  }
  return out;
}

export async function pickScenarios(names: string[]): Promise<Scenario[]> {
  const all = await loadScenarios();
  if (names.length === 0) return [...all.values()];
  return names.map((n) => {
    const s = all.get(n);
    if (!s) throw new Error(`unknown scenario "${n}"; known: ${[...all.keys()].join(', ')}`);
    return s;
  });
}
