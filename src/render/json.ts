import type { Plan } from '../model/plan.js';
import { summaryLine } from './summary.js';

/** The counts behind the summary line, for machines: never "no changes" without saying what was not observed. */
export function planSummary(plan: Plan) {
  const count = (f: (a: Plan['actions'][number]) => boolean) => plan.actions.filter(f).length;
  return {
    text: summaryLine(plan),
    actions: plan.actions.length,
    reversible: count((a) => a.reversible === true),
    irreversible: count((a) => a.type !== 'logout-instance' && a.reversible !== true),
    unobserved: plan.errors.length,
    unobservedCollections: plan.errors.map((e) => e.collection),
    notTargeted: plan.collections.filter((c) => c.status === 'not-targeted').map((c) => c.address),
  };
}

/** The plan as JSON (schemas/plan.schema.json): also the plan file `apply` executes. */
export function renderJson(plan: Plan): string {
  return `${JSON.stringify({ ...plan, summary: planSummary(plan) }, null, 2)}\n`;
}
