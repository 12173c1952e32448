import type { Action } from '../model/action.js';
import type { Plan, PlannedCollection } from '../model/plan.js';
import { removalHunks } from './removal-diff.js';
import { codeLine, idText, markdownText } from './safe-text.js';
import { ACTION_VERB, summaryLine, unobservedLine } from './summary.js';

/** Lines of a collection's diff after which it is folded into `<details>`. */
const FOLD_AFTER_LINES = 50;

/** Appends without spreading: a collection's diff may have hundreds of thousands of lines. */
function append(out: string[], lines: readonly string[]): void {
  for (const line of lines) out.push(line);
}

/** A hidden marker, stable per config file, so a pipeline finds and updates its own comment. */
export const markdownMarker = (configFile: string): string => `<!-- chatstate-plan: ${configFile.replace(/--/g, '-\u200b-')} -->`;

/** The collection's sorted ids before → after, as a unified diff (a straight walk: removals only). */
function collectionDiff(col: PlannedCollection): string[] {
  const sorted = col.decisions.map((d, i) => ({ id: d.id, removed: d.decision === 'remove', i }));
  sorted.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.i - b.i));
  const ids = sorted.map((d) => d.id);
  const removedIds = new Set<string>();
  for (const d of sorted) if (d.removed) removedIds.add(d.id);
  // By id, as before → after drops every copy of a removed id.
  const removed = ids.map((id) => removedIds.has(id));
  const out: string[] = [];
  for (const h of removalHunks(ids, (i) => removed[i] === true, 2)) {
    out.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`);
    for (const l of h.lines) out.push(codeLine(l[0] + idText(l.slice(1))));
  }
  return out;
}

/** The plan's actions grouped by collection, in plan order: one pass over all actions. */
function actionsByCollection(plan: Plan): Map<string, Action[]> {
  const by = new Map<string, Action[]>();
  for (const a of plan.actions) {
    const list = by.get(a.collection);
    if (list) list.push(a);
    else by.set(a.collection, [a]);
  }
  return by;
}

/** Each removal with its name and reason, folded: the diff says what, this says why. */
function reasons(actions: readonly Action[]): string[] {
  const out = [`<details><summary>why (${actions.length} action${actions.length === 1 ? '' : 's'})</summary>`, ''];
  for (const a of actions) out.push(`- ${ACTION_VERB[a.type]} \`${codeLine(idText(a.target.id))}\`${a.target.name ? ` (${markdownText(a.target.name, 60)})` : ''}: ${markdownText(a.reason)}${a.warnings.length > 0 ? ' ⚠️' : ''}`);
  out.push('', '</details>', '');
  return out;
}

function table(plan: Plan): string[] {
  const rows = plan.collections.map((c) => {
    const k = c.counts;
    const status = c.status === 'superseded' ? 'superseded' : c.status === 'not-targeted' ? 'not targeted' : k.removed > 0 ? `**${k.removed}**` : '0';
    return `| \`${codeLine(c.address)}\` | ${k.observed} | ${k.kept} | ${status} | ${k.protected} | ${k.unmanaged} |`;
  });
  return ['| collection | observed | kept | remove | protected | unmanaged |', '|---|--:|--:|--:|--:|--:|', ...rows];
}

/** For a pull-request comment: marker, header, summary table, a ```diff per changed collection, warnings, refusals. */
export function renderMarkdown(plan: Plan): string {
  const out: string[] = [markdownMarker(plan.configFile)];
  out.push(`### chatstate plan for \`${codeLine(plan.configFile)}\``, '');
  out.push(`Config \`${plan.configDigest.slice(0, 19)}…\` · created ${plan.createdAt} · valid until ${plan.expiresAt}${plan.targets.length > 0 ? ` · targets: ${plan.targets.map((t) => `\`${codeLine(t)}\``).join(', ')}` : ''}`, '');
  const verdict = plan.errors.length > 0 ? '❌ **Errors: nothing can be applied.**' : plan.refusals.length > 0 ? '⛔ **Refused: this plan cannot be applied.**' : '';
  out.push(`**${summaryLine(plan)}**${verdict ? ` ${verdict}` : ''}`, '');
  if (plan.actions.length === 0 && plan.errors.length === 0 && plan.refusals.length === 0 && plan.warnings.length === 0) return `${out.join('\n')}\n`;
  append(out, table(plan));
  out.push('');
  const grouped = actionsByCollection(plan);
  for (const col of plan.collections) {
    if (col.status !== 'planned' || col.counts.removed === 0) continue;
    const diff = collectionDiff(col);
    const block = ['```diff'];
    append(block, diff);
    block.push('```');
    out.push(`#### \`${codeLine(col.address)}\`: ${col.counts.removed} to remove`, '');
    const folded = diff.length > FOLD_AFTER_LINES;
    if (folded) out.push(`<details><summary>${diff.length} diff lines</summary>`, '');
    append(out, block);
    out.push('');
    if (folded) out.push('</details>', '');
    append(out, reasons(grouped.get(col.address) ?? []));
  }
  if (plan.errors.length > 0) {
    out.push('#### Errors', '', `${markdownText(unobservedLine(plan.errors), 2000)}. Nothing is planned for ${plan.errors.length === 1 ? 'it' : 'them'}.`, '');
    append(out, plan.errors.map((e) => `- \`${codeLine(e.collection)}\`: ${markdownText(e.message, 400)}`));
    out.push('');
  }
  if (plan.refusals.length > 0) {
    out.push('#### Refused', '');
    append(out, plan.refusals.map((r) => `- ⛔ ${markdownText(r.message, 400)}`));
    out.push('');
  }
  if (plan.warnings.length > 0) {
    const lines = plan.warnings.map((w) => `- ${markdownText(w, 400)}`);
    out.push('#### Warnings', '');
    const folded = lines.length > FOLD_AFTER_LINES;
    if (folded) out.push(`<details><summary>${lines.length} warnings</summary>`, '');
    append(out, lines);
    out.push('');
    if (folded) out.push('</details>', '');
  }
  return `${out.join('\n')}\n`;
}
