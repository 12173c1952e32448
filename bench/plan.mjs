// Plans 1,000,000 observed contacts over 1,000 instances in memory (no HTTP), beside the floor: a
// bare Set difference of the same ids. Each side runs in its own process (so peak RSS is its own),
// several times; medians are printed. Usage: node bench/plan.mjs [runs]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { figure } from './lib/report.mjs';

const INSTANCES = 1000;
const PER_INSTANCE = 1000;
const KEEP_PER_INSTANCE = 600; // exact ids; the other 400 go (plus a name glob that keeps a few)

const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;

function world() {
  const instances = [];
  const observed = [];
  for (let i = 0; i < INSTANCES; i++) {
    const id = 1100000000 + i;
    // Flat strings, as ids parsed from a provider's answer are (join makes one; a template of this
    // length makes a rope, and flattening a million ropes would be charged to whichever side reads
    // them first).
    const ids = Array.from({ length: PER_INSTANCE }, (_, j) =>
      ['7', String(i).padStart(4, '0'), String(j).padStart(6, '0'), '@c.us'].join(''),
    );
    instances.push({ id, ids });
    observed.push(ids);
  }
  return { instances, observed };
}

/**
 * A full collection, then a pause: V8 sweeps the garbage of building the world on helper threads
 * after a collection, and on this 2-core machine that sweeping ran beside whichever side was timed
 * first (25-30 ms of the planner's figure, less of the floor's smaller heap). Both sides settle alike.
 */
async function settle() {
  globalThis.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 500));
}

/** The planner's input: the desired state and the observed collections, as a real run has them. */
async function plannerWorld() {
  // Entries as the config loader makes them (config/entry.ts: a regex only when one is read).
  const { entryIndex, exactIdsMatch, makeEntry } = await import(dist('config/entry.js'));
  const { CHAT_ID } = await import(dist('shared/ids.js'));
  const { instances } = world();
  const at = { line: 1, col: 1 };
  const exact = (id) => makeEntry({ text: id, field: 'id', pattern: id, exact: true, at });
  const team = makeEntry({ text: '{name: Team *}', field: 'name', pattern: 'Team *', exact: false, at });
  const desired = {
    file: 'bench.yaml',
    digest: `sha256:${'0'.repeat(64)}`,
    version: 1,
    safety: { maxDeletePercent: 100, minItems: 10 },
    accounts: [
      {
        provider: 'green-api',
        name: 'bench',
        apiUrl: 'http://127.0.0.1:9',
        rateLimits: {},
        instances: instances.map(({ id, ids }) => ({
          id,
          apiUrl: 'http://127.0.0.1:9',
          at,
          contacts: {
            prune: true,
            keep: [...ids.slice(0, KEEP_PER_INSTANCE).map(exact), team],
            remove: [],
            protect: [],
            safety: { maxDeletePercent: 100, minItems: 10 },
            at,
          },
        })),
      },
    ],
  };
  // Facts as the GREEN-API observer makes them (these contacts have no contact name and no phone).
  const { contactFacts } = await import(dist('providers/green-api/facts.js'));
  const observed = instances.map(({ id, ids }) => {
    const parent = `green-api.bench/instance.${id}`;
    return {
      ref: { address: `${parent}/contacts`, kind: 'contacts', scope: String(id) },
      items: ids.map((cid, j) => ({
        id: cid,
        address: `${parent}/contact.${cid}`,
        name: j % 50 === 0 ? `Team ${j}` : `Contact ${j}`,
        facts: contactFacts(undefined, undefined),
      })),
      // As observed in a real run: the instance's own number (getSettings wid), never removed.
      ownIds: [`7${String(id).slice(-10)}@c.us`],
      notes: [],
    };
  });
  // As in a real run, every instance's token is registered (config/build.ts makes each a Secret):
  // the planner checks every observed name for an echoed secret (GREEN-API tokens: 50 hex digits).
  const { registerSecret } = await import(dist('shared/redact.js'));
  for (const { id } of instances) registerSecret(`${'0123456789abcdef'.repeat(3)}${id}`.slice(-50));
  // The loader indexes each entry list once when it checks contradictions (config/build.ts); the
  // planner decides with that index, as the floor's Set difference uses Sets made beforehand.
  for (const i of desired.accounts[0].instances)
    for (const list of [i.contacts.keep, i.contacts.remove, i.contacts.protect]) {
      entryIndex(list);
      // The loader normalises every contact id to a chat id, and records that it did (config/build.ts).
      exactIdsMatch(list, CHAT_ID);
    }
  return { instances, desired, observed };
}

async function makeWorldPlan() {
  const { planActions } = await import(dist('plan/plan.js'));
  const { desired, observed } = await plannerWorld();
  await settle();
  const worldRssMiB = process.resourceUsage().maxRSS / 1024;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const plan = planActions(desired, observed, {
    now: new Date('2026-11-25T12:00:00Z'),
    validForMs: 86_400_000,
    targets: [],
    allowMassDelete: false,
    toolVersion: 'bench',
  });
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000, worldRssMiB, plan };
}

/**
 * The planner's time and peak RSS; then, apart, what reading the plan's actions costs the first time
 * (they are made when first read: apply, a renderer and the plan file read them).
 */
async function runPlanner() {
  const { ms, cpuMs, worldRssMiB, plan } = await makeWorldPlan();
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  const removals = plan.collections.reduce((n, c) => n + c.counts.removed, 0);
  const t0 = performance.now();
  const actions = plan.actions.length;
  const actionsMs = performance.now() - t0;
  return {
    ms,
    cpuMs,
    worldRssMiB,
    removals,
    maxRssMiB,
    actions,
    actionsMs,
    actionsRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

/** What is done with a plan: the Markdown comment, and the plan file (its size). */
async function runRender() {
  const { renderMarkdown } = await import(dist('render/markdown.js'));
  const { readPlanFile, writePlanFile } = await import(dist('engine/plan-file.js'));
  const { mkdtempSync, rmSync, statSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { plan } = await makeWorldPlan();
  const out = { removals: plan.actions.length };
  try {
    const t0 = performance.now();
    const md = renderMarkdown(plan);
    out.markdownMs = performance.now() - t0;
    out.markdownBytes = Buffer.byteLength(md);
  } catch (err) {
    out.markdownError = String(err);
  }
  const dir = mkdtempSync(join(tmpdir(), 'chatstate-bench-plan-'));
  try {
    const t0 = performance.now();
    writePlanFile(join(dir, 'plan.json'), plan);
    out.planFileMs = performance.now() - t0;
    out.planFileBytes = statSync(join(dir, 'plan.json')).size;
    const t1 = performance.now();
    const back = readPlanFile(join(dir, 'plan.json'));
    out.planFileReadMs = performance.now() - t1;
    out.planFileReadActions = back.actions.length;
  } catch (err) {
    out.planFileError = String(err);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

async function runFloor() {
  const { instances } = world();
  const keep = instances.map(({ ids }) => new Set(ids.slice(0, KEEP_PER_INSTANCE)));
  await settle();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let removals = 0;
  instances.forEach(({ ids }, i) => {
    for (const id of ids) if (!keep[i].has(id)) removals++;
  });
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000, removals };
}

/**
 * The same Set difference over the planner's own input: each id read from its observed item object,
 * in a heap that holds the planner's world (the floor above reads a flat array of ids in a heap of
 * nothing else). Not the goal's reference: it shows how much of the ratio is the input's shape.
 */
async function runInputFloor() {
  const { instances, observed } = await plannerWorld();
  const keep = instances.map(({ ids }) => new Set(ids.slice(0, KEEP_PER_INSTANCE)));
  await settle();
  const t0 = performance.now();
  let removals = 0;
  observed.forEach(({ items }, i) => {
    for (const item of items) if (!keep[i].has(item.id)) removals++;
  });
  return { ms: performance.now() - t0, removals };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const side = process.argv[2];
const SIDES = { planner: runPlanner, floor: runFloor, 'input-floor': runInputFloor, render: runRender };
if (side in SIDES) {
  const r = await SIDES[side]();
  process.stdout.write(JSON.stringify({ maxRssMiB: process.resourceUsage().maxRSS / 1024, ...r }));
} else {
  const runs = Number(process.argv[2] ?? 5);
  const self = fileURLToPath(import.meta.url);
  const results = { planner: [], floor: [], 'input-floor': [] };
  for (let i = 0; i < runs; i++) {
    for (const s of ['floor', 'planner', 'input-floor']) {
      const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', self, s], {
        encoding: 'utf8',
      });
      if (r.status !== 0) throw new Error(r.stderr);
      results[s].push(JSON.parse(r.stdout));
    }
  }
  const p = results.planner;
  const f = results.floor;
  const pm = median(p.map((r) => r.ms));
  const fm = median(f.map((r) => r.ms));
  const pRss = median(p.map((r) => r.maxRssMiB));
  const fRss = median(f.map((r) => r.maxRssMiB));
  const worldRss = median(p.map((r) => r.worldRssMiB));
  console.log(
    `plan: ${INSTANCES * PER_INSTANCE} observed contacts over ${INSTANCES} instances, ${p[0].removals} removals; ${runs} runs each, medians`,
  );
  console.log(
    `  planner   ${pm.toFixed(0).padStart(7)} ms (CPU ${median(p.map((r) => r.cpuMs)).toFixed(0)} ms)   peak RSS ${pRss.toFixed(0)} MiB (world included; the world alone ${worldRss.toFixed(0)} MiB)`,
  );
  console.log(
    `  Set floor ${fm.toFixed(0).padStart(7)} ms (CPU ${median(f.map((r) => r.cpuMs)).toFixed(0)} ms)   peak RSS ${fRss.toFixed(0)} MiB (world included)`,
  );
  console.log(`  ratio planner/floor: ${(pm / fm).toFixed(1)}x time`);
  const im = median(results['input-floor'].map((r) => r.ms));
  console.log(
    `  the same Set difference over the planner's input (ids read from its item objects, in its heap): ${im.toFixed(0)} ms; planner/that: ${(pm / im).toFixed(1)}x`,
  );
  console.log(
    `  the plan's actions, made when first read (apply, renderers, the plan file): ${median(p.map((r) => r.actionsMs)).toFixed(0)} ms, peak RSS then ${median(p.map((r) => r.actionsRssMiB)).toFixed(0)} MiB`,
  );
  figure({
    figure: `planner, ${INSTANCES * PER_INSTANCE} contacts over ${INSTANCES} instances, vs a bare Set difference`,
    value: pm / 1000,
    floor: fm / 1000,
    unit: 's',
    ratio: pm / fm,
    goal: '≤ 3×, < 400 MiB',
    note: `peak RSS ${pRss.toFixed(0)} MiB (floor ${fRss.toFixed(0)} MiB), world included (the world alone ${worldRss.toFixed(0)} MiB); the Set difference over the planner's own input takes ${im.toFixed(0)} ms (${(pm / im).toFixed(1)}×)`,
  });
  // Rendering and saving (a plan of this size is what they are for), as many runs.
  const x = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', self, 'render'], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(r.stderr);
    x.push(JSON.parse(r.stdout));
  }
  const xm = (k) => (x.every((r) => r[k] !== undefined) ? median(x.map((r) => r[k])) : undefined);
  const markdownMs = xm('markdownMs');
  const planFileBytes = xm('planFileBytes');
  console.log(
    `  Markdown plan: ${markdownMs === undefined ? x.find((r) => r.markdownError)?.markdownError : `${(markdownMs / 1000).toFixed(2)} s, ${(xm('markdownBytes') / 1e6).toFixed(1)} MB`}`,
  );
  console.log(
    `  plan file: ${planFileBytes === undefined ? x.find((r) => r.planFileError)?.planFileError : `${(planFileBytes / 1e6).toFixed(1)} MB written in ${(xm('planFileMs') / 1000).toFixed(2)} s, read back (${x[0].planFileReadActions} actions) in ${(xm('planFileReadMs') / 1000).toFixed(2)} s`}`,
  );
  if (markdownMs !== undefined)
    figure({
      figure: `Markdown plan, ${INSTANCES.toLocaleString('en')} × ${PER_INSTANCE.toLocaleString('en')} contacts (${p[0].removals.toLocaleString('en')} removals)`,
      value: markdownMs / 1000,
      unit: 's',
      goal: 'linear, ≤ 2 s',
    });
  if (planFileBytes !== undefined)
    figure({
      figure: `plan file at ${(INSTANCES * PER_INSTANCE).toLocaleString('en')} contacts`,
      value: planFileBytes / 1e6,
      unit: 'MB',
      goal: 'compact, streamed, no ceiling',
      note: `written in ${(xm('planFileMs') / 1000).toFixed(2)} s, read back in ${(xm('planFileReadMs') / 1000).toFixed(2)} s`,
    });
}
