import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { renderJson } from '../render/json.js';
import type { Plan } from '../model/plan.js';
import { PLAN_FORMAT_VERSION } from '../model/plan.js';
import { schemaValidator } from '../shared/schema-validation.js';

/** Writes the plan file atomically (temp file + rename), readable by the owner only. */
export function writePlanFile(path: string, plan: Plan): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, renderJson(plan), { mode: 0o600 });
  renameSync(tmp, path);
}

export class PlanFileError extends Error {}

/** Reads and validates a plan file; throws PlanFileError saying what is wrong with it. */
export function readPlanFile(path: string): Plan {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new PlanFileError(`cannot read plan file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new PlanFileError(`${path} is not a plan file (JSON): ${(err as Error).message}; save a plan with: chatstate plan --save ${path}`);
  }
  const version = (value as { formatVersion?: unknown } | null)?.formatVersion;
  if (version !== PLAN_FORMAT_VERSION) {
    throw new PlanFileError(`${path} has formatVersion ${JSON.stringify(version)}; this chatstate reads formatVersion ${PLAN_FORMAT_VERSION}. Make a new plan with this version.`);
  }
  const validate = schemaValidator('plan.schema.json');
  if (!validate(value)) {
    const e = validate.errors?.[0];
    throw new PlanFileError(`${path} is not a valid plan file: ${e?.instancePath || '/'} ${e?.message ?? ''}; make a new plan`);
  }
  return value as Plan;
}
