import type { Action } from '../model/action.js';
import type { Plan } from '../model/plan.js';
import { kindOfAction, type Masker, NO_MASK } from './mask.js';
import { idText, plainText } from './safe-text.js';
import { ACTION_VERB, summaryLine, unobservedLine } from './summary.js';

export interface TextStyle {
  readonly colour: boolean;
  /** Masking of personal data (default: none). */
  readonly mask?: Masker;
}

const paint = (on: boolean, code: string, s: string): string => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/** An id as shown: masked when masking is on, else spelled out when it is not plain ASCII. */
function shownId(id: string, m: Masker): string {
  const masked = m.id(id);
  return masked === id ? idText(id) : plainText(masked, 200);
}

function actionLine(a: Action, colour: boolean, m: Masker): string {
  const kind = kindOfAction(a.type);
  const name = a.target.name ? ` ("${plainText(m.name(a.target.name, kind), 60)}")` : '';
  const sign = a.type === 'logout-instance' ? '~' : '-';
  const line = `    ${paint(colour, a.type === 'logout-instance' ? '33' : '31', `${sign} ${ACTION_VERB[a.type]} ${shownId(a.target.id, m)}${name}`)}  ${paint(colour, '2', plainText(m.text(a.reason, kind)))}`;
  return a.warnings.length > 0
    ? `${line}\n${a.warnings.map((w) => `        ${paint(colour, '33', `! ${plainText(m.text(w, kind), 400)}`)}`).join('\n')}`
    : line;
}

/** Terraform-like text: grouped by account and collection, warnings, refusals, one summary line. */
export function renderText(plan: Plan, style: TextStyle): string {
  const c = style.colour;
  const m = style.mask ?? NO_MASK;
  const out: string[] = [];
  const byCollection = new Map<string, Action[]>();
  for (const a of plan.actions) {
    const list = byCollection.get(a.collection);
    if (list) list.push(a);
    else byCollection.set(a.collection, [a]);
  }
  let account = '';
  for (const col of plan.collections) {
    const actions = byCollection.get(col.address) ?? [];
    const acc = `${col.provider}.${col.account}`;
    if (acc !== account) {
      out.push('', paint(c, '1', acc));
      account = acc;
    }
    const k = col.counts;
    const counts = `${k.observed} observed, ${k.kept} kept, ${k.removed} to remove, ${k.protected} protected, ${k.unmanaged} unmanaged${k.notTargeted ? `, ${k.notTargeted} not targeted` : ''}`;
    const label = m.text(col.address.slice(acc.length + 1));
    if (col.status === 'failed') {
      out.push(`  ${label}: ${paint(c, '31', 'could not be observed (see the error below)')}`);
      continue;
    }
    if (col.status === 'superseded' || col.status === 'not-targeted') {
      out.push(`  ${label}: ${paint(c, '2', col.note ?? 'not planned')}`);
      continue;
    }
    out.push(`  ${label} ${paint(c, '2', `(${counts})`)}`);
    if (actions.length === 0) out.push(`    ${paint(c, '2', 'no changes')}`);
    for (const a of actions) out.push(actionLine(a, c, m));
  }
  for (const e of plan.errors) out.push('', paint(c, '31', `Error: ${m.text(e.collection)}: ${m.text(e.message)}`));
  if (plan.errors.length > 0)
    out.push(
      '',
      paint(
        c,
        '31',
        `${m.text(unobservedLine(plan.errors))}. Nothing is planned for ${plan.errors.length === 1 ? 'it' : 'them'}, and this plan cannot be applied.`,
      ),
    );
  // Action warnings are shown under their action; the rest (missing ids, notes) here.
  const shown = new Set(plan.actions.flatMap((a) => a.warnings.map((w) => `${a.address}: ${w}`)));
  const general = plan.warnings.map((w) => `${w.address}: ${w.message}`).filter((w) => !shown.has(w));
  if (general.length > 0) {
    out.push('', paint(c, '33', 'Warnings:'));
    for (const w of general) out.push(`  ! ${plainText(m.text(w), 400)}`);
  }
  if (plan.refusals.length > 0) {
    out.push('', paint(c, '31;1', 'Refused:'));
    for (const r of plan.refusals) out.push(`  ✗ ${plainText(m.text(r.message), 400)}`);
  }
  out.push('', paint(c, '1', summaryLine(plan)));
  const scope = [...plan.targets.map((t) => `--target ${t}`), ...(plan.excludes ?? []).map((t) => `--exclude ${t}`)];
  if (scope.length > 0)
    out.push(paint(c, '33', `Targeted plan (${m.text(scope.join(' '))}): other changes may be pending.`));
  if (plan.refusals.length > 0)
    out.push(paint(c, '31', 'This plan is refused and cannot be applied; see "Refused" above.'));
  return `${out.join('\n').replace(/^\n/, '')}\n`;
}
