// apply against the emulator at a provider's limit: deletions spread over GREEN-API instances,
// deleteContact limited to RATE/s per instance on both sides (client and emulator), with a given
// latency. The floor is the minimum: deletions per instance / rate (every instance in
// parallel, nothing else in the way). Two scenarios (20 ms and 100 ms), medians of several runs.
// Usage: node bench/apply.mjs [runs] [scenario-filter]
import { figure, median } from './lib/report.mjs';

const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;
const { startEmulator } = await import(dist('emulator/server.js'));
const { parseDesired } = await import(dist('config/load.js'));
const { HttpClient } = await import(dist('http/client.js'));
const { makePlan } = await import(dist('engine/make-plan.js'));
const { executeActions } = await import(dist('apply/execute-actions.js'));
const { perSecond } = await import(dist('shared/token-bucket.js'));

const SCENARIOS = [
  { name: '20ms', deletions: 10_000, instances: 20, rate: 50, latencyMs: 20, goal: '≤ 1.1×' },
  { name: '100ms', deletions: 5_000, instances: 10, rate: 50, latencyMs: 100, goal: '≤ 1.15×' },
];
const args = process.argv.slice(2);
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 3);
const filter = args.find((a) => !/^\d+$/.test(a));
const KEPT_PER_INSTANCE = 20;
const contactId = (i, j) => `7${String(i).padStart(3, '0')}${String(j).padStart(7, '0')}@c.us`;

for (const s of SCENARIOS) {
  if (filter && !s.name.includes(filter)) continue;
  const per = s.deletions / s.instances;
  const ids = Array.from({ length: s.instances }, (_, i) => 1300000000 + i);
  const state = {
    'green-api': {
      instances: ids.map((id, i) => ({
        idInstance: id,
        apiTokenInstance: `tok-${id}`,
        name: `bench-${i}`,
        state: 'authorized',
        wid: `7999${String(i).padStart(7, '0')}@c.us`,
        contacts: Array.from({ length: per + KEPT_PER_INSTANCE }, (_, j) => ({ id: contactId(i, j), name: `c${j}` })),
        groups: [],
      })),
    },
  };
  const emu = await startEmulator({ state, latencyMs: s.latencyMs, rateLimits: { deleteContact: perSecond(s.rate) } });
  const env = Object.fromEntries(ids.map((id) => [`T_${id}`, `tok-${id}`]));
  const yaml = [
    'version: 1',
    'green-api:',
    '  bench:',
    `    apiUrl: ${emu.url}`,
    `    rateLimits: { deleteContact: ${s.rate}/s }`,
    '    instances:',
  ];
  ids.forEach((id, i) => {
    const keep = Array.from({ length: KEPT_PER_INSTANCE }, (_, j) => `"${contactId(i, per + j)}"`).join(', ');
    yaml.push(
      `      ${id}:`,
      `        token: \${T_${id}}`,
      `        contacts: { prune: true, keep: [${keep}], safety: { maxDeletePercent: 100 } }`,
    );
  });
  const desired = parseDesired('bench.yaml', `${yaml.join('\n')}\n`, { env });
  const times = [];
  let outcomes;
  let throttled = 0;
  for (let run = 0; run < runs; run++) {
    emu.reset();
    const http = new HttpClient({ connections: 128 });
    const { plan, sessions } = await makePlan(desired, {
      http,
      now: new Date(),
      validForMs: 3_600_000,
      targets: [],
      allowMassDelete: true,
      concurrency: 16,
      toolVersion: 'bench',
    });
    if (plan.actions.length !== s.deletions)
      throw new Error(`expected ${s.deletions} actions, got ${plan.actions.length}`);
    const t0 = performance.now();
    const result = await executeActions(plan.actions, { sessions, concurrency: 32, onOutcome: () => undefined });
    times.push((performance.now() - t0) / 1000);
    outcomes = [...result.outcomes.values()].reduce((m, o) => ((m[o.outcome] = (m[o.outcome] ?? 0) + 1), m), {});
    throttled = emu.requests().filter((q) => q.status === 429).length;
    await http.close();
  }
  await emu.stop();
  const minimum = per / s.rate;
  const applied = median(times);
  console.log(
    `apply: ${s.deletions} deletions over ${s.instances} instances, ${s.latencyMs} ms latency, deleteContact ${s.rate}/s per instance; ${runs} runs`,
  );
  console.log(
    `  apply (median)     ${applied.toFixed(2).padStart(7)} s   runs: ${times.map((t) => t.toFixed(2)).join(', ')}   outcomes: ${JSON.stringify(outcomes)}; 429s at the emulator (last run): ${throttled}`,
  );
  console.log(
    `  minimum            ${minimum.toFixed(2).padStart(7)} s   (${per} deletions per instance at ${s.rate}/s)`,
  );
  console.log(`  ratio: ${(applied / minimum).toFixed(2)}x`);
  figure({
    figure: `apply ${s.deletions.toLocaleString('en')} deletions, ${s.instances} instances, ${s.rate}/s per instance, ${s.latencyMs} ms latency, vs the ${minimum} s minimum`,
    value: applied,
    floor: minimum,
    unit: 's',
    ratio: applied / minimum,
    goal: s.goal,
  });
}
