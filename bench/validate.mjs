// Benchmark: load + validate a config with 20,000 keep entries (what `chatstate validate` does).
// Prints the median of several runs; the machine is shared and noisy.
import { performance } from 'node:perf_hooks';
import { parseDesired } from '../dist/config/load.js';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 20_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

export function generateConfig(entries, instances = 20) {
  const lines = ['version: 1', 'green-api:', '  main:', '    instances:'];
  const per = Math.ceil(entries / instances);
  let n = 0;
  for (let i = 0; i < instances && n < entries; i++) {
    const id = 1101000001 + i;
    lines.push(`      ${id}:`, `        token: \${T}`, '        contacts:', '          prune: true', '          keep:');
    for (let j = 0; j < per && n < entries; j++, n++)
      lines.push(`            - ${79000000000 + n}@c.us # contact ${n}`);
  }
  return `${lines.join('\n')}\n`;
}

const text = generateConfig(ENTRIES);
const times = [];
for (let r = 0; r < RUNS; r++) {
  const t0 = performance.now();
  const desired = parseDesired('bench.yaml', text, { env: { T: 'token' } });
  times.push(performance.now() - t0);
  if (desired.accounts[0].instances.reduce((s, i) => s + i.contacts.keep.length, 0) !== ENTRIES)
    throw new Error('wrong entry count');
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(
  `validate: ${ENTRIES} entries, ${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB: median ${median.toFixed(0)} ms over ${RUNS} runs (min ${times[0].toFixed(0)}, max ${times.at(-1).toFixed(0)}); ${((ENTRIES / median) * 1000).toFixed(0)} entries/s`,
);
