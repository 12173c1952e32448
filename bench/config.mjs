// Loading a config of 1,000 GREEN-API instances × 400 kept ids (about 7.3 MB, flow style; the file was 7.7 MB) the way
// `chatstate validate`/`plan` do (parse with positions, schema, ${VAR}, model), beside the floor:
// parsing the same YAML with the yaml package alone. Side by side in one run, medians of several
// runs. Usage: node bench/config.mjs [runs] [instances] [kept]
import { parse } from 'yaml';
import { bigConfig } from './lib/config-gen.mjs';
import { figure, median } from './lib/report.mjs';

const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;
const { parseDesired } = await import(dist('config/load.js'));

const [runs = 3, instances = 1000, kept = 400] = process.argv.slice(2).map(Number);
const text = bigConfig(instances, kept);
const mb = Buffer.byteLength(text) / 1e6;
const load = [];
const floor = [];
for (let r = 0; r < runs; r++) {
  globalThis.gc?.();
  let t0 = performance.now();
  parse(text);
  floor.push(performance.now() - t0);
  globalThis.gc?.();
  t0 = performance.now();
  const desired = parseDesired('bench.yaml', text, { env: { T: 'token' } });
  load.push(performance.now() - t0);
  const n = desired.accounts[0].instances.reduce((s, i) => s + i.contacts.keep.length, 0);
  if (n !== instances * kept) throw new Error(`expected ${instances * kept} entries, got ${n}`);
}
const l = median(load);
const f = median(floor);
console.log(`config: ${instances} instances × ${kept} kept ids, ${mb.toFixed(1)} MB; ${runs} runs, medians`);
console.log(
  `  load (parseDesired)   ${(l / 1000).toFixed(2).padStart(7)} s   runs: ${load.map((t) => (t / 1000).toFixed(2)).join(', ')}`,
);
console.log(
  `  YAML parse alone      ${(f / 1000).toFixed(2).padStart(7)} s   runs: ${floor.map((t) => (t / 1000).toFixed(2)).join(', ')}`,
);
console.log(`  ratio: ${(l / f).toFixed(2)}x`);
figure({
  figure: `loading a config of ${instances} instances × ${kept} kept ids (${mb.toFixed(1)} MB) vs parsing its YAML`,
  value: l / 1000,
  floor: f / 1000,
  unit: 's',
  ratio: l / f,
  goal: '≤ 2×',
});
