import type { Plan } from '../model/plan.js';

/** The plan as JSON (schemas/plan.schema.json): also the plan file `apply` executes. */
export function renderJson(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}
