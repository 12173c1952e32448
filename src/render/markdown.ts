import type { Action } from '../model/action.js';
import { decisionCode } from '../model/decision-table.js';
import type { Plan, PlannedCollection } from '../model/plan.js';
import { type Masker, NO_MASK } from './mask.js';
import { type HunkHeader, type HunkRange, removalRanges } from './removal-diff.js';
import { codeLine, idText, inlineText, markdownText, plainText } from './safe-text.js';
import { ACTION_VERB, summaryLine, unobservedLine } from './summary.js';

/** Lines of a collection's diff after which it is folded into `<details>`. */
const FOLD_AFTER_LINES = 50;

/** GitHub refuses comments over 65,536 characters; the CLI's default bound leaves room to spare. */
export const DEFAULT_MAX_CHARS = 65_000;

export interface MarkdownOptions {
  /** Bound on the whole document (characters as JavaScript counts them, never fewer than GitHub). Default: none. */
  readonly maxChars?: number;
  /** Masking of personal data (default: none). */
  readonly mask?: Masker;
}

/** Appends without spreading: a collection's diff may have hundreds of thousands of lines. */
function append(out: string[], lines: readonly string[]): void {
  for (const line of lines) out.push(line);
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** A hidden marker, stable per config file, so a pipeline finds and updates its own comment. */
export const markdownMarker = (configFile: string): string =>
  `<!-- chatstate-plan: ${configFile.replace(/--/g, '-\u200b-')} -->`;

/** An id as shown: masked when masking is on, else spelled out when it is not plain ASCII. */
function shownId(id: string, m: Masker): string {
  const masked = m.id(id);
  return masked === id ? idText(id) : plainText(masked, 200);
}

/**
 * One removed resource of a collection: the diff lines it brings (the hunk header when it opens
 * one, context before it, itself, and the hunk's trailing context when it is the hunk's last
 * removal) and its "why" lines. Cutting after any unit leaves whole, valid hunks.
 */
interface Unit {
  readonly hunk: number;
  readonly lines: string[];
  readonly why: string[];
  /** Characters it adds to the document (hunk headers counted at their full size: an upper bound). */
  readonly cost: number;
}

const REMOVE = decisionCode('remove');

/** A diff line's longest length (a longer one is cut). */
const LINE_MAX = 300;

/** What a section reads of a collection's decisions, by index. */
interface DecisionsView {
  readonly length: number;
  id(i: number): string;
  name(i: number): string;
  isRemove(i: number): boolean;
}

function decisionsView(col: PlannedCollection): DecisionsView {
  const ds = col.decisions;
  return {
    length: ds.length,
    id: (i) => ds.id(i),
    name: (i) => ds.name(i),
    isRemove: (i) => ds.code(i) === REMOVE,
  };
}

/**
 * A changed collection: its decisions in id order, the diff's hunks as ranges of that order, and
 * its lines formatted on demand. A whole section is written in one pass; a bounded document makes
 * units lazily in diff order and only formats the removals it shows.
 */
class Section {
  readonly hunks: readonly HunkRange[];
  /** How many resources the diff removes (the number of units). */
  readonly removals: number;
  private readonly units: Unit[] = [];
  private readonly walk: Iterator<Unit>;
  private readonly view: DecisionsView;
  /** Decision index → id (read once: sorting and the walks compare ids often). */
  private readonly ids: readonly string[];
  /** Position in id order → decision index. */
  private readonly order: Uint32Array;
  /** By position: 1 when the diff removes the line. */
  private readonly removedAt: Uint8Array;
  /** A target's action, or its actions when it has several (most have one: no list for each). */
  private readonly byTarget = new Map<string, Action | Action[]>();
  /** Each distinct reason rendered once (a plan repeats a few reasons for thousands of actions). */
  private readonly reasons = new Map<string, string>();

  constructor(
    readonly col: PlannedCollection,
    actions: readonly Action[],
    private readonly m: Masker,
  ) {
    const v = decisionsView(col);
    this.view = v;
    const n = v.length;
    const ids = new Array<string>(n);
    for (let i = 0; i < n; i++) ids[i] = v.id(i);
    this.ids = ids;
    // By id, ties in decision order; most plans arrive sorted, and then the order is the identity.
    let sorted = true;
    for (let i = 1; i < n && sorted; i++) if (ids[i - 1]! > ids[i]!) sorted = false;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    if (!sorted) order.sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : a - b));
    this.order = order;
    // By id, as before → after drops every copy of a removed id (copies are neighbours in id order).
    const removedAt = new Uint8Array(n);
    let removals = 0;
    for (let start = 0; start < n; ) {
      const id = ids[order[start]!];
      let end = start;
      let removed = false;
      while (end < n && ids[order[end]!] === id) removed = v.isRemove(order[end++]!) || removed;
      if (removed) {
        removedAt.fill(1, start, end);
        removals += end - start;
      }
      start = end;
    }
    this.removedAt = removedAt;
    this.removals = removals;
    this.hunks = removalRanges(n, (p) => removedAt[p] === 1, 2);
    for (const a of actions) {
      const known = this.byTarget.get(a.target.id);
      if (known === undefined) this.byTarget.set(a.target.id, a);
      else if (Array.isArray(known)) known.push(a);
      else this.byTarget.set(a.target.id, [known, a]);
    }
    this.walk = this.makeUnits();
  }

  /** The diff line at position `p` in id order. */
  private line(p: number): string {
    const i = this.order[p]!;
    const raw = this.view.name(i);
    const id = shownId(this.ids[i]!, this.m);
    const name = raw ? `  ${plainText(this.m.name(raw, this.col.kind), 60)}` : '';
    const line = `${this.removedAt[p] === 1 ? '-' : ' '}${id}${name}`;
    // Both parts are already plain text (no control or invisible character is left in them): the
    // code line changes nothing unless it is too long or holds a backtick, so the parts are checked
    // and the line is not scanned again.
    return line.length <= LINE_MAX && !id.includes('`') && !name.includes('`') ? line : codeLine(line, LINE_MAX);
  }

  /** The "why" lines of the removal at position `p`: its id's actions, shown once for the id's first copy. */
  private why(p: number, out: string[]): void {
    const id = this.ids[this.order[p]!]!;
    if (p > 0 && this.ids[this.order[p - 1]!] === id) return;
    const known = this.byTarget.get(id);
    if (known === undefined) return;
    if (Array.isArray(known)) for (const a of known) out.push(this.whyLine(a));
    else out.push(this.whyLine(known));
  }

  private whyLine(a: Action): string {
    const m = this.m;
    let reason = this.reasons.get(a.reason);
    if (reason === undefined) {
      reason = inlineText(m.text(a.reason, this.col.kind));
      this.reasons.set(a.reason, reason);
    }
    const name = a.target.name ? ` (${inlineText(m.name(a.target.name, this.col.kind), 60)})` : '';
    return `- ${ACTION_VERB[a.type]} \`${codeLine(shownId(a.target.id, m))}\`${name}: ${reason}${a.warnings.length > 0 ? ' ⚠️' : ''}`;
  }

  /** Every diff line (hunk headers included) and every "why" line, in one pass. */
  all(): { diff: string[]; why: string[] } {
    const diff: string[] = [];
    const why: string[] = [];
    for (const h of this.hunks) {
      diff.push(header(h));
      for (let p = h.from; p < h.to; p++) {
        diff.push(this.line(p));
        if (this.removedAt[p] === 1) this.why(p, why);
      }
    }
    return { diff, why };
  }

  private *makeUnits(): Generator<Unit> {
    const removedAt = this.removedAt;
    for (const [hi, h] of this.hunks.entries()) {
      let pending: string[] = [];
      let cost = header(h).length + 1;
      for (let p = h.from; p < h.to; p++) {
        const text = this.line(p);
        pending.push(text);
        cost += text.length + 1;
        if (removedAt[p] !== 1) continue;
        const why: string[] = [];
        this.why(p, why);
        for (const w of why) cost += w.length + 1;
        // Trailing context belongs to the hunk's last removal.
        let end = p + 1;
        while (end < h.to && removedAt[end] !== 1) end++;
        if (end === h.to) {
          for (let t = p + 1; t < end; t++) {
            const ctx = this.line(t);
            pending.push(ctx);
            cost += ctx.length + 1;
          }
          p = end;
        }
        yield { hunk: hi, lines: pending, why, cost };
        pending = [];
        cost = 0;
      }
    }
  }

  /** The k-th unit (0-based), made on first use. */
  unit(k: number): Unit {
    while (this.units.length <= k) {
      const next = this.walk.next();
      if (next.done) throw new Error(`no unit ${k} in ${this.col.address}`);
      this.units.push(next.value);
    }
    return this.units[k]!;
  }

  /** The first `count` units in order: made ones from the cache, the rest made and not kept (so call it last, once). */
  *take(count: number): Generator<Unit> {
    for (let k = 0; k < count; k++) {
      if (k < this.units.length) yield this.units[k]!;
      else {
        const next = this.walk.next();
        if (next.done) return;
        yield next.value;
      }
    }
  }

  /** Characters of the fixed parts (heading, fences, folds, summaries), at their largest. */
  overhead(): number {
    const digits = String(this.view.length + this.hunks.length).length + 1;
    const m = this.m;
    return (
      `#### \`${codeLine(m.text(this.col.address))}\`: ${this.col.counts.removed} to remove (${this.removals} shown)`
        .length +
      2 +
      `<details><summary>${'9'.repeat(digits)} diff lines</summary>`.length +
      2 +
      8 +
      5 +
      12 +
      `<details><summary>why (${'9'.repeat(digits + 2)} actions)</summary>`.length +
      2 +
      13
    );
  }
}

const header = (h: HunkHeader): string => `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`;

/** The diff lines and "why" lines of the first `count` units (one pass), hunk headers recomputed for what is shown. */
function shownLines(s: Section, count: number): { diff: string[]; why: string[] } {
  const diff: string[] = [];
  const why: string[] = [];
  let hunk = -1;
  let body: string[] = [];
  const flush = (): void => {
    if (hunk < 0) return;
    const full = s.hunks[hunk]!;
    let newLines = 0;
    for (const l of body) if (l[0] === ' ') newLines++;
    const newStart = newLines === 0 && full.newLines !== 0 ? Math.max(0, full.newStart - 1) : full.newStart;
    diff.push(header({ oldStart: full.oldStart, oldLines: body.length, newStart, newLines }));
    append(diff, body);
    body = [];
  };
  for (const unit of s.take(count)) {
    if (unit.hunk !== hunk) {
      flush();
      hunk = unit.hunk;
    }
    append(body, unit.lines);
    append(why, unit.why);
  }
  flush();
  return { diff, why };
}

/**
 * A collection's heading, diff block (folded when long) and "why" list, for its first `count`
 * units, as one string of lines (no trailing newline).
 */
function sectionText(s: Section, count: number, m: Masker): string {
  // All of it: one pass, the same lines (every hunk whole, so its header is the full one).
  const { diff, why } = count === s.removals ? s.all() : shownLines(s, count);
  const out = [
    `#### \`${codeLine(m.text(s.col.address))}\`: ${s.col.counts.removed} to remove${count < s.removals ? ` (${count} shown)` : ''}`,
    '',
  ];
  const folded = diff.length > FOLD_AFTER_LINES;
  if (folded) out.push(`<details><summary>${diff.length} diff lines</summary>`, '');
  out.push('```diff');
  append(out, diff);
  out.push('```', '');
  if (folded) out.push('</details>', '');
  out.push(`<details><summary>why (${plural(why.length, 'action', 'actions')})</summary>`, '');
  append(out, why);
  out.push('', '</details>', '');
  return out.join('\n');
}

function table(plan: Plan, m: Masker): string[] {
  const rows = plan.collections.map((c) => {
    const k = c.counts;
    const status =
      c.status === 'failed'
        ? 'not observed'
        : c.status === 'superseded'
          ? 'superseded'
          : c.status === 'not-targeted'
            ? 'not targeted'
            : k.removed > 0
              ? `**${k.removed}**`
              : '0';
    return `| \`${codeLine(m.text(c.address))}\` | ${k.observed} | ${k.kept} | ${status} | ${k.protected} | ${k.unmanaged} |`;
  });
  return [
    '| collection | observed | kept | remove | protected | unmanaged |',
    '|---|--:|--:|--:|--:|--:|',
    ...rows,
    '',
  ];
}

function listed(title: string, items: readonly string[], fold: boolean, intro?: string): string[] {
  if (items.length === 0) return [];
  const out = [`#### ${title}`, ''];
  if (intro) out.push(intro, '');
  const folded = fold && items.length > FOLD_AFTER_LINES;
  if (folded) out.push(`<details><summary>${items.length} ${title.toLowerCase()}</summary>`, '');
  append(out, items);
  out.push('');
  if (folded) out.push('</details>', '');
  return out;
}

/** Which collections could not be observed, in one sentence. */
const errorsIntro = (plan: Plan, m: Masker): string =>
  `${markdownText(m.text(unobservedLine(plan.errors)), 2000)}. Nothing is planned for ${plan.errors.length === 1 ? 'it' : 'them'}.`;

const size = (lines: readonly string[]): number => lines.reduce((n, l) => n + l.length + 1, 0);

/** As many items as fit in `budget` characters, then a line saying how many were left out. */
function fitItems(items: readonly string[], budget: number, what: string): string[] {
  const out: string[] = [];
  let used = 0;
  for (const [i, item] of items.entries()) {
    if (used + item.length + 1 + 80 > budget && i < items.length - 1) {
      out.push(`- … and ${items.length - i} more ${what}: see \`chatstate plan --format text\``);
      return out;
    }
    out.push(item);
    used += item.length + 1;
  }
  return out;
}

/**
 * For a pull-request comment: marker, header, verdict, summary table, errors, refusals, warnings,
 * then one ```diff per changed collection (each removed id with its name) and why it goes. With
 * `maxChars`, a longer document keeps everything but the removals and the warnings' texts, then
 * as many removals as fit, and ends with "… and K more: see the plan artifact". Linear in the plan.
 */
export function renderMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const m = options.mask ?? NO_MASK;
  const max = options.maxChars ?? Number.POSITIVE_INFINITY;
  const head: string[] = [markdownMarker(plan.configFile)];
  head.push(`### chatstate plan for \`${codeLine(plan.configFile)}\``, '');
  const scope = [
    plan.targets.length > 0 ? ` · targets: ${plan.targets.map((t) => `\`${codeLine(m.text(t))}\``).join(', ')}` : '',
    plan.excludes?.length ? ` · excluded: ${plan.excludes.map((t) => `\`${codeLine(m.text(t))}\``).join(', ')}` : '',
  ].join('');
  head.push(
    `Config \`${plan.configDigest.slice(0, 19)}…\` · created ${plan.createdAt} · valid until ${plan.expiresAt}${scope}`,
    '',
  );
  const verdict =
    plan.errors.length > 0
      ? '❌ **Errors: nothing can be applied.**'
      : plan.refusals.length > 0
        ? '⛔ **Refused: this plan cannot be applied.**'
        : '';
  head.push(`**${summaryLine(plan)}**${verdict ? ` ${verdict}` : ''}`, '');
  if (plan.actions.length === 0 && plan.errors.length === 0 && plan.refusals.length === 0 && plan.warnings.length === 0)
    return `${head.join('\n')}\n`;

  const errors = plan.errors.map(
    (e) => `- \`${codeLine(m.text(e.collection))}\`: ${inlineText(m.text(e.message), 400)}`,
  );
  const refusals = plan.refusals.map((r) => `- ⛔ ${inlineText(m.text(r.message), 400)}`);
  const warnings = plan.warnings.map((w) => `- ${inlineText(m.text(`${w.address}: ${w.message}`), 400)}`);
  const grouped = new Map<string, Action[]>();
  for (const a of plan.actions) {
    const list = grouped.get(a.collection);
    if (list) list.push(a);
    else grouped.set(a.collection, [a]);
  }
  const changed = plan.collections.filter((c) => c.status === 'planned' && c.counts.removed > 0);
  const section = (c: PlannedCollection): Section => new Section(c, grouped.get(c.address) ?? [], m);

  const out: string[] = [];
  append(out, head);
  append(out, table(plan, m));
  append(out, listed('Errors', errors, false, errorsIntro(plan, m)));
  append(out, listed('Refused', refusals, false));
  const fixed = size(out);
  const fullWarnings = listed('Warnings', warnings, true);
  if (!Number.isFinite(max)) {
    // Unbounded: each collection's section is made, written and let go, one at a time.
    append(out, fullWarnings);
    for (const c of changed) {
      const s = section(c);
      out.push(sectionText(s, s.removals, m));
    }
    return `${out.join('\n')}\n`;
  }
  const sections = changed.map(section);
  // Fits whole? Counted unit by unit (upper bounds), stopping as soon as it cannot.
  let total = fixed + size(fullWarnings);
  for (const s of sections) {
    total += s.overhead();
    for (let u = 0; u < s.removals && total <= max; u++) total += s.unit(u).cost;
    if (total > max) break;
  }
  if (total <= max) {
    append(out, fullWarnings);
    for (const s of sections) out.push(sectionText(s, s.removals, m));
    return `${out.join('\n')}\n`;
  }
  return bounded(plan, { head, errors, refusals, warnings, fullWarnings, sections }, max, m);
}

interface Parts {
  readonly head: readonly string[];
  readonly errors: readonly string[];
  readonly refusals: readonly string[];
  readonly warnings: readonly string[];
  readonly fullWarnings: readonly string[];
  readonly sections: readonly Section[];
}

/** Room kept for the last line and the note on what was left out. */
const RESERVE = 400;

function bounded(plan: Plan, parts: Parts, max: number, m: Masker): string {
  const out: string[] = [];
  append(out, parts.head);
  const rows = table(plan, m);
  // The table itself, cut by rows only if it alone would not fit (thousands of collections).
  const tableBudget = max - size(out) - RESERVE * 2;
  if (size(rows) > tableBudget) {
    const fitted = fitItems(rows.slice(2, -1), tableBudget - size(rows.slice(0, 2)), 'collections').map((r) =>
      r.startsWith('- …') ? `| ${r.slice(2).replace(/`/g, '')} | | | | | |` : r,
    );
    append(out, [...rows.slice(0, 2), ...fitted, '']);
  } else append(out, rows);
  const third = (max - size(out) - RESERVE) / 2;
  append(out, listed('Errors', fitItems(parts.errors, third, 'errors'), false, errorsIntro(plan, m)));
  append(out, listed('Refused', fitItems(parts.refusals, third, 'refusals'), false));
  const warningCount =
    parts.warnings.length > 0
      ? [
          `**${plural(parts.warnings.length, 'warning', 'warnings')}**: listed in the plan artifact and by \`chatstate plan --format text\`.`,
          '',
        ]
      : [];
  let budget = max - size(out) - size(warningCount) - RESERVE;

  // As many removals as fit, collection by collection, in plan order.
  const shown: number[] = [];
  let totalUnits = 0;
  let shownUnits = 0;
  let cut = false;
  for (const s of parts.sections) {
    totalUnits += s.removals;
    let count = 0;
    const overhead = s.overhead();
    // After a cut, the rest waits for the plan artifact: what is shown stays a prefix in plan order.
    if (!cut && budget > overhead) {
      let used = overhead;
      while (count < s.removals && used + s.unit(count).cost <= budget) used += s.unit(count++).cost;
      if (count > 0) budget -= used;
    }
    if (count < s.removals) cut = true;
    shown.push(count);
    shownUnits += count;
  }
  const more = totalUnits - shownUnits;
  // All removals fit: the warnings' texts may fit in what is left.
  const warningsPart =
    more === 0 && size(parts.fullWarnings) - size(warningCount) <= budget ? parts.fullWarnings : warningCount;
  append(out, warningsPart);
  parts.sections.forEach((s, i) => {
    if (shown[i]! > 0) out.push(sectionText(s, shown[i]!, m));
  });
  if (more > 0) out.push(`… and ${more} more: see the plan artifact`);
  return `${out.join('\n')}\n`;
}
