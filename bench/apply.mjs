// 10,000 deletions over 50 GREEN-API instances against the emulator (20 ms latency, deleteContact
// limited to 20/s per instance on both sides). Prints apply's wall time beside the theoretical
// minimum for those limits and beside a sequential one-request-at-a-time loop over the same
// requests, measured in the same run. Usage: node bench/apply.mjs [runs] [--sequential-sample N]
import { request } from 'undici';

const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;
const { startEmulator } = await import(dist('emulator/server.js'));
const { parseDesired } = await import(dist('config/load.js'));
const { HttpClient } = await import(dist('http/client.js'));
const { makePlan } = await import(dist('engine/make-plan.js'));
const { executeActions } = await import(dist('apply/execute-actions.js'));
const { perSecond } = await import(dist('shared/token-bucket.js'));

const INSTANCES = 50;
const DELETES_PER_INSTANCE = 200;
const KEPT_PER_INSTANCE = 20;
const RATE = 20; // deleteContact per second per instance
const LATENCY_MS = 20;
const args = process.argv.slice(2);
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 3);
const sampleAt = args.indexOf('--sequential-sample');
const sequentialSample = sampleAt >= 0 ? Number(args[sampleAt + 1]) : INSTANCES * DELETES_PER_INSTANCE;

const ids = Array.from({ length: INSTANCES }, (_, i) => 1300000000 + i);
const contactId = (i, j) => `7${String(i).padStart(3, '0')}${String(j).padStart(7, '0')}@c.us`;
const state = {
  'green-api': {
    instances: ids.map((id, i) => ({
      idInstance: id,
      apiTokenInstance: `tok-${id}`,
      name: `bench-${i}`,
      state: 'authorized',
      wid: `7999${String(i).padStart(7, '0')}@c.us`,
      contacts: Array.from({ length: DELETES_PER_INSTANCE + KEPT_PER_INSTANCE }, (_, j) => ({ id: contactId(i, j), name: `c${j}` })),
      groups: [],
    })),
  },
};

const emu = await startEmulator({ state, latencyMs: LATENCY_MS, rateLimits: { deleteContact: perSecond(RATE) } });
const env = Object.fromEntries(ids.map((id) => [`T_${id}`, `tok-${id}`]));
const yaml = ['version: 1', 'green-api:', '  bench:', `    apiUrl: ${emu.url}`, `    rateLimits: { deleteContact: ${RATE}/s }`, '    instances:'];
ids.forEach((id, i) => {
  const keep = Array.from({ length: KEPT_PER_INSTANCE }, (_, j) => `"${contactId(i, DELETES_PER_INSTANCE + j)}"`).join(', ');
  yaml.push(`      ${id}:`, `        token: \${T_${id}}`, `        contacts: { prune: true, keep: [${keep}], safety: { maxDeletePercent: 100 } }`);
});
const desired = parseDesired('bench.yaml', yaml.join('\n') + '\n', { env });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const applyTimes = [];
let lastOutcomes;
for (let run = 0; run < runs; run++) {
  emu.reset();
  const http = new HttpClient({ connections: 64 });
  const { plan, sessions } = await makePlan(desired, { http, now: new Date(), validForMs: 3_600_000, targets: [], allowMassDelete: true, concurrency: 16, toolVersion: 'bench' });
  if (plan.actions.length !== INSTANCES * DELETES_PER_INSTANCE) throw new Error(`expected ${INSTANCES * DELETES_PER_INSTANCE} actions, got ${plan.actions.length}`);
  const t0 = performance.now();
  const result = await executeActions(plan.actions, { sessions, concurrency: 64, onOutcome: () => undefined });
  applyTimes.push((performance.now() - t0) / 1000);
  lastOutcomes = [...result.outcomes.values()].reduce((m, o) => ((m[o.outcome] = (m[o.outcome] ?? 0) + 1), m), {});
  await http.close();
}

// The sequential floor: the same POSTs, one at a time, no limiter needed (it never reaches 20/s per instance).
emu.reset();
const t0 = performance.now();
let sent = 0;
outer: for (let j = 0; j < DELETES_PER_INSTANCE; j++) {
  for (let i = 0; i < INSTANCES; i++) {
    if (sent >= sequentialSample) break outer;
    const res = await request(`${emu.url}/waInstance${ids[i]}/deleteContact/tok-${ids[i]}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chatId: contactId(i, j) }) });
    await res.body.text();
    if (res.statusCode !== 200) throw new Error(`sequential request answered ${res.statusCode}`);
    sent++;
  }
}
const sequentialMeasured = (performance.now() - t0) / 1000;
const sequential = (sequentialMeasured * INSTANCES * DELETES_PER_INSTANCE) / sent;
await emu.stop();

// Per instance: a burst of RATE at once, the rest at RATE/s; instances in parallel; plus one round trip.
const minimum = (DELETES_PER_INSTANCE - RATE) / RATE + LATENCY_MS / 1000;
const applied = median(applyTimes);
console.log(`apply: ${INSTANCES * DELETES_PER_INSTANCE} deletions over ${INSTANCES} instances, ${LATENCY_MS} ms latency, deleteContact ${RATE}/s per instance; ${runs} runs`);
console.log(`  apply (median)         ${applied.toFixed(2).padStart(8)} s   runs: ${applyTimes.map((t) => t.toFixed(2)).join(', ')}   outcomes: ${JSON.stringify(lastOutcomes)}`);
console.log(`  theoretical minimum    ${minimum.toFixed(2).padStart(8)} s`);
console.log(`  sequential loop        ${sequential.toFixed(2).padStart(8)} s${sent < INSTANCES * DELETES_PER_INSTANCE ? `   (measured over ${sent} requests: ${sequentialMeasured.toFixed(2)} s, scaled)` : ''}`);
console.log(`  ratio to minimum: ${(applied / minimum).toFixed(2)}x   speed-up over sequential: ${(sequential / applied).toFixed(1)}x`);
