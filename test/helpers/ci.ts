import { PassThrough } from 'node:stream';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/run.js';

type Doc = Record<string, unknown>;

/** Steps that use chatstate's own action (`OWNER/chatstate@REF` or `./`), as `chatstate ARGS` lines. */
function actionLines(node: unknown, out: string[]): void {
  if (Array.isArray(node)) for (const n of node) actionLines(n, out);
  else if (node && typeof node === 'object') {
    const step = node as Doc;
    const uses = step['uses'];
    const args = (step['with'] as Doc | undefined)?.['args'];
    if (typeof uses === 'string' && /(^|\/)chatstate@|^\.\/?$/.test(uses) && typeof args === 'string')
      out.push(`chatstate ${args}`);
    for (const v of Object.values(step)) actionLines(v, out);
  }
}

/** Every shell line of a workflow: GitHub `run:` steps and chatstate action `args`, GitLab `script:` entries. */
function shellLines(doc: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown, key?: string): void => {
    if (Array.isArray(node))
      node.forEach((n) => walk(n, key === 'script' || key === 'before_script' ? key : undefined));
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, k);
    else if (typeof node === 'string' && (key === 'run' || key === 'script' || key === 'before_script'))
      out.push(...node.split('\n'));
  };
  walk(doc);
  actionLines(doc, out);
  return out;
}

/** `chatstate SUB --flag …` invocations in shell lines, as [subcommand, flags]. */
export function invocations(lines: string[]): [string, string[]][] {
  return lines.flatMap((l) =>
    [...l.matchAll(/\bchatstate ([a-z]+)((?: +[^|;&>]+?)*)(?=$|[|;&>])/g)].map((m): [string, string[]] => [
      m[1]!,
      (m[2] ?? '').split(/\s+/).filter((w) => w.startsWith('-')),
    ]),
  );
}

function program(): Command {
  const sink = new PassThrough();
  return buildProgram(
    { stdout: sink, stderr: sink, env: {} },
    () => undefined,
    () => undefined,
  );
}

/** The invocations whose command or flag the CLI does not have (empty: all exist), and how many were checked. */
export function unknownInvocations(doc: unknown): { checked: number; unknown: string[] } {
  const cli = program();
  const calls = invocations(shellLines(doc));
  const unknown: string[] = [];
  for (const [sub, flags] of calls) {
    const cmd = cli.commands.find((c) => c.name() === sub);
    if (!cmd) unknown.push(`chatstate ${sub}`);
    else
      for (const flag of flags)
        if (!cmd.options.some((o) => o.long === flag || o.short === flag)) unknown.push(`chatstate ${sub} ${flag}`);
  }
  return { checked: calls.length, unknown };
}

/** GitLab `extends:` resolved (hidden jobs merged key by key, the job's own keys winning), as GitLab does. */
export function resolveExtends(doc: Doc): Doc {
  const resolve = (name: string, seen: Set<string>): Doc => {
    const job = doc[name] as Doc | undefined;
    if (!job || typeof job !== 'object') throw new Error(`extends: no job ${name}`);
    if (seen.has(name)) throw new Error(`extends: cycle at ${name}`);
    const parents =
      job['extends'] === undefined
        ? []
        : Array.isArray(job['extends'])
          ? (job['extends'] as string[])
          : [job['extends'] as string];
    let merged: Doc = {};
    for (const p of parents) merged = deepMerge(merged, resolve(p, new Set([...seen, name])));
    const own = { ...job };
    delete own['extends'];
    return deepMerge(merged, own);
  };
  const out: Doc = {};
  for (const key of Object.keys(doc))
    out[key] =
      doc[key] && typeof doc[key] === 'object' && !Array.isArray(doc[key]) && key !== 'variables'
        ? resolve(key, new Set())
        : doc[key];
  return out;
}

function deepMerge(a: Doc, b: Doc): Doc {
  const out: Doc = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] =
      prev && v && typeof prev === 'object' && typeof v === 'object' && !Array.isArray(prev) && !Array.isArray(v)
        ? deepMerge(prev as Doc, v as Doc)
        : v;
  }
  return out;
}
