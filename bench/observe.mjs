// End to end: `chatstate plan --format json` of 200 GREEN-API instances × 1,000 contacts, keep
// lists of 500 exact ids each, against the emulator (in this process; the plan runs as its own
// process, as a user runs it). The floor, also a process of its own: parse the same config with the
// yaml package and download the same 200 contact lists (same concurrency as plan's observation,
// 8), parsing each answer. Side by side in one run, medians of several runs.
// Usage: node bench/observe.mjs [runs]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { figure, median } from './lib/report.mjs';

const INSTANCES = 200;
const CONTACTS = 1000;
const KEEP = 500;
const CONCURRENCY = 8;
const contactId = (i, j) => `7${String(i).padStart(4, '0')}${String(j).padStart(6, '0')}@c.us`;
const instanceId = (i) => 1101000001 + i;
const self = fileURLToPath(import.meta.url);
const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

if (process.argv[2] === 'floor') {
  // The floor: what no planner can avoid. argv: floor URL CONFIG
  const { parse } = await import('yaml');
  const { readFileSync } = await import('node:fs');
  const { request, Agent } = await import('undici');
  const [, , , url, config] = process.argv;
  const t0 = performance.now();
  parse(readFileSync(config, 'utf8'));
  const dispatcher = new Agent({ connections: 16 });
  let next = 0;
  let items = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < INSTANCES) {
        const i = next++;
        const res = await request(`${url}/waInstance${instanceId(i)}/getContacts/tok-${i}`, { dispatcher });
        items += JSON.parse(await res.body.text()).length;
      }
    }),
  );
  await dispatcher.close();
  if (items !== INSTANCES * CONTACTS) throw new Error(`floor saw ${items} contacts`);
  process.stdout.write(JSON.stringify({ ms: performance.now() - t0 }));
  process.exit(0);
}

const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;
const { startEmulator } = await import(dist('emulator/server.js'));
const runs = Number(process.argv[2] ?? 3);
const state = {
  'green-api': {
    instances: Array.from({ length: INSTANCES }, (_, i) => ({
      idInstance: instanceId(i),
      apiTokenInstance: `tok-${i}`,
      state: 'authorized',
      wid: `7999${String(i).padStart(7, '0')}@c.us`,
      contacts: Array.from({ length: CONTACTS }, (_, j) => ({ id: contactId(i, j), name: `Contact ${j}` })),
      groups: [],
    })),
  },
};
const emu = await startEmulator({ state, rateLimits: { '*': 'off' }, maxLogEntries: 1000 });
const dir = mkdtempSync(join(tmpdir(), 'chatstate-bench-observe-'));
const config = join(dir, 'chatstate.yaml');
const lines = ['version: 1', 'green-api:', '  main:', `    apiUrl: ${emu.url}`, '    instances:'];
const env = { PATH: process.env.PATH, NO_COLOR: '1' };
for (let i = 0; i < INSTANCES; i++) {
  const keep = Array.from({ length: KEEP }, (_, j) => contactId(i, j)).join(', ');
  lines.push(
    `      ${instanceId(i)}:`,
    `        token: \${T_${i}}`,
    `        contacts: { prune: true, keep: [${keep}], safety: { maxDeletePercent: 100 } }`,
  );
  env[`T_${i}`] = `tok-${i}`;
}
writeFileSync(config, `${lines.join('\n')}\n`);

/** Runs a child; resolves with its wall time (ms) and stdout size. */
function run(args, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let bytes = 0;
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      bytes += d.length;
      if (out.length < 10_000) out += d;
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0 && code !== 2) reject(new Error(`exit ${code}: ${err.slice(0, 2000)}`));
      else resolve({ ms, bytes, out });
    });
  });
}

const plan = [];
const floor = [];
let size = 0;
for (let r = 0; r < runs; r++) {
  floor.push((await run([self, 'floor', emu.url, config])).ms);
  const p = await run([cli, 'plan', '-f', config, '--format', 'json', '--allow-mass-delete']);
  plan.push(p.ms);
  size = p.bytes;
}
await emu.stop();
rmSync(dir, { recursive: true, force: true });
const pm = median(plan);
const fm = median(floor);
console.log(
  `plan end to end: ${INSTANCES} instances × ${CONTACTS} contacts, keep lists of ${KEEP} ids; ${runs} runs, medians`,
);
console.log(
  `  chatstate plan --format json   ${(pm / 1000).toFixed(2).padStart(6)} s   runs: ${plan.map((t) => (t / 1000).toFixed(2)).join(', ')}   (${(size / 1e6).toFixed(1)} MB of JSON)`,
);
console.log(
  `  download + parse config        ${(fm / 1000).toFixed(2).padStart(6)} s   runs: ${floor.map((t) => (t / 1000).toFixed(2)).join(', ')}`,
);
console.log(`  ratio: ${(pm / fm).toFixed(2)}x`);
figure({
  figure: `end-to-end \`plan --format json\`, ${INSTANCES} instances × ${CONTACTS} contacts (keep lists of ${KEEP}), vs downloading the lists and parsing the config`,
  value: pm / 1000,
  floor: fm / 1000,
  unit: 's',
  ratio: pm / fm,
  goal: '≤ 2×',
});
