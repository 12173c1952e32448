import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';

/** The folder holding the project's JSON Schemas, the same from `src/` (tests) and `dist/` (CLI). */
const SCHEMA_DIR = new URL('../../schemas/', import.meta.url);

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

let shared: Ajv | undefined;

/** One strict ajv instance for the whole process; schemas compile once. */
export function sharedAjv(): Ajv {
  if (!shared) {
    // strictRequired is off: entries use `oneOf: [{required: [id]}, {required: [name]}]` to say "exactly one of".
    shared = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, verbose: true });
    shared.addFormat('date-time', {
      type: 'string',
      validate: (s: string) => RFC3339.test(s) && !Number.isNaN(Date.parse(s)),
    });
  }
  return shared;
}

const compiled = new Map<string, ValidateFunction>();

/** Compiles `schemas/<name>` once and returns its validator. */
export function schemaValidator(name: string): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    const schema = JSON.parse(readFileSync(new URL(name, SCHEMA_DIR), 'utf8')) as object;
    v = sharedAjv().compile(schema);
    compiled.set(name, v);
  }
  return v;
}

/** Splits ajv's `/a/0/b` instance path into segments (numbers for array indices). */
export function instancePathSegments(instancePath: string): (string | number)[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}
