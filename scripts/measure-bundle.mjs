// Gzipped size of the JavaScript a customer's browser loads before the first screen: the entry
// module of web/index.html plus everything it imports statically (lazy route chunks excluded).
// Reads Vite's manifest, so run `vite build --config web/vite.config.mts` first.
// Usage: node scripts/measure-bundle.mjs [distDir] [--max-kb=200]
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const args = process.argv.slice(2);
const dist = resolve(args.find((a) => !a.startsWith('--')) ?? 'web/dist');
const maxKb = Number(args.find((a) => a.startsWith('--max-kb='))?.split('=')[1] ?? 200);

/** @returns {{ files: string[], jsBytes: number, jsGzip: number, cssGzip: number }} */
export function measure(distDir) {
  const manifest = JSON.parse(readFileSync(join(distDir, '.vite', 'manifest.json'), 'utf8'));
  const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry && k.endsWith('index.html'));
  if (!entryKey) throw new Error('no index.html entry in the manifest');
  const seen = new Set();
  const css = new Set();
  const walk = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const c of manifest[key].css ?? []) css.add(c);
    for (const dep of manifest[key].imports ?? []) walk(dep);
  };
  walk(entryKey);
  const files = [...seen].map((k) => manifest[k].file);
  const sizes = (list) => list.map((f) => readFileSync(join(distDir, f)));
  const js = sizes(files);
  return {
    files,
    jsBytes: js.reduce((s, b) => s + b.length, 0),
    jsGzip: js.reduce((s, b) => s + gzipSync(b, { level: 9 }).length, 0),
    cssGzip: sizes([...css]).reduce((s, b) => s + gzipSync(b, { level: 9 }).length, 0),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = measure(dist);
  const kb = (n) => (n / 1024).toFixed(1);
  console.log(
    `customer entry: ${r.files.length} JS files, ${kb(r.jsBytes)} KB raw, ${kb(r.jsGzip)} KB gzipped (CSS ${kb(r.cssGzip)} KB gzipped)`,
  );
  for (const f of r.files) console.log(`  ${f}`);
  if (r.jsGzip > maxKb * 1024) {
    console.error(`initial JS ${kb(r.jsGzip)} KB gzipped exceeds the ${maxKb} KB budget`);
    process.exit(1);
  }
}
