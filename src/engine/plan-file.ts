import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Plan, PlannedCollection } from '../model/plan.js';
import { PLAN_FORMAT_VERSION } from '../model/plan.js';
import { planSummary } from '../render/json.js';
import { schemaValidator } from '../shared/schema-validation.js';
import { decodeActions, decodeCollections, PLAN_FILE_FORMAT_VERSION, planFileChunks } from './plan-file-columns.js';

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

const PLAN_KEYS = [
  'formatVersion',
  'tool',
  'createdAt',
  'expiresAt',
  'configFile',
  'configDigest',
  'targets',
  'endpoints',
  'excludes',
  'collections',
  'actions',
  'warnings',
  'refusals',
  'errors',
] as const;

/** A collection as the schema sees it: decision tables checked apart (empty here), the fingerprint not made. */
function schemaShape(c: PlannedCollection): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(c))
    out[k] = k === 'decisions' ? [] : k === 'fingerprint' ? '' : (c as unknown as Record<string, unknown>)[k];
  return out;
}

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
  const file = value as { collections?: unknown; actions?: unknown; strings?: unknown };
  const collections = decodeCollections(file.collections);
  if (typeof collections === 'string')
    throw new PlanFileError(`${path} is not a valid plan file: ${collections}; make a new plan`);
  const actions = decodeActions(file.actions, file.strings, collections);
  if (typeof actions === 'string')
    throw new PlanFileError(`${path} is not a valid plan file: ${actions}; make a new plan`);
  // In memory, the plan is the one `plan --format json` shows (plan.schema.json), checked as such
  // (the decision tables were checked column by column above; the schema sees them empty, and the
  // fingerprints, made from the ids when read, as placeholders).
  // Keys in the order a plan made now has them (then the file's others, such as its summary).
  const { strings: _strings, ...rest } = value as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const k of PLAN_KEYS) if (k in rest) ordered[k] = rest[k];
  Object.assign(ordered, rest, { formatVersion: PLAN_FORMAT_VERSION, collections, actions });
  value = ordered;
  const validate = schemaValidator('plan.schema.json');
  const checked = { ...ordered, collections: collections.map(schemaShape) };
  if (!validate(checked)) {
    const e = validate.errors?.[0];
    throw new PlanFileError(
      `${path} is not a valid plan file: ${e?.instancePath || '/'} ${e?.message ?? ''}; make a new plan`,
    );
  }
  return value as Plan;
}
