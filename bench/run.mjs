// Runs every benchmark in bench/ (npm run bench; one of them: npm run bench -- apply). Each prints
// its own figures; the figures of the issue's table are gathered into one summary at the end.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv[2];
const figures = [];
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs')
  .sort()) {
  if (only && !file.includes(only)) continue;
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', `${dir}/${file}`, ...process.argv.slice(3)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let rest = '';
    child.stdout.on('data', (d) => {
      const lines = (rest + d).split('\n');
      rest = lines.pop();
      for (const line of lines) {
        if (line.startsWith('BENCH-FIGURE ')) figures.push({ file, ...JSON.parse(line.slice(13)) });
        else process.stdout.write(`${line}\n`);
      }
    });
    child.on('close', resolve);
  });
  if (code !== 0) process.exitCode = 1;
}
if (figures.length > 0) {
  const fmt = (v, unit) => (v === undefined ? '' : unit === 's' ? `${v.toFixed(2)} s` : `${v.toFixed(1)} ${unit}`);
  console.log('\nsummary (medians, this machine)\n');
  console.log('| figure | measured | floor | ratio | goal |');
  console.log('|---|--:|--:|--:|---|');
  for (const f of figures)
    console.log(
      `| ${f.figure}${f.note ? ` (${f.note})` : ''} | ${fmt(f.value, f.unit)} | ${fmt(f.floor, f.unit)} | ${f.ratio === undefined ? '' : `${f.ratio.toFixed(2)}×`} | ${f.goal} |`,
    );
}
