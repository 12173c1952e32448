import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Plan } from '../model/plan.js';
import { PLAN_FORMAT_VERSION } from '../model/plan.js';
import { planSummary } from '../render/json.js';
import { schemaValidator } from '../shared/schema-validation.js';
import { decodeCollections, PLAN_FILE_FORMAT_VERSION, planFileChunks } from './plan-file-columns.js';

/** Bytes gathered before one write to the file. */
const WRITE_CHUNK = 1 << 20;

/**
 * Writes the plan file atomically (temp file + rename), readable by the owner only: compact JSON,
 * decisions as columns, written in pieces (no string of the whole plan, so no size ceiling).
 */
export function writePlanFile(path: string, plan: Plan): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    let buffer: string[] = [];
    let size = 0;
    const flush = (): void => {
      if (buffer.length > 0) writeSync(fd, buffer.join(''));
      buffer = [];
      size = 0;
    };
    for (const chunk of planFileChunks(plan, { summary: planSummary(plan) })) {
      buffer.push(chunk);
      size += chunk.length;
      if (size >= WRITE_CHUNK) flush();
    }
    flush();
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
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
    throw new PlanFileError(
      `${path} is not a plan file (JSON): ${(err as Error).message}; save a plan with: chatstate plan --save ${path}`,
    );
  }
  const version = (value as { formatVersion?: unknown } | null)?.formatVersion;
  if (version !== PLAN_FILE_FORMAT_VERSION) {
    throw new PlanFileError(
      `${path} has formatVersion ${JSON.stringify(version)}; this chatstate reads plan files of formatVersion ${PLAN_FILE_FORMAT_VERSION}. Make a new plan with this version: chatstate plan --save ${path}`,
    );
  }
  const collections = decodeCollections((value as { collections?: unknown }).collections);
  if (typeof collections === 'string')
    throw new PlanFileError(`${path} is not a valid plan file: ${collections}; make a new plan`);
  // In memory, the plan is the one `plan --format json` shows (plan.schema.json), checked as such
  // (the decision tables were checked column by column above; the schema sees them empty).
  value = { ...(value as object), formatVersion: PLAN_FORMAT_VERSION, collections };
  const validate = schemaValidator('plan.schema.json');
  const checked = { ...(value as object), collections: collections.map((c) => ({ ...c, decisions: [] })) };
  if (!validate(checked)) {
    const e = validate.errors?.[0];
    throw new PlanFileError(
      `${path} is not a valid plan file: ${e?.instancePath || '/'} ${e?.message ?? ''}; make a new plan`,
    );
  }
  return value as Plan;
}
