import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

/** The folder holding the project's JSON Schemas, the same from `src/` (tests) and `dist/` (CLI). */
const SCHEMA_DIR = new URL('../../schemas/', import.meta.url);

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

let shared: Ajv | undefined;

/** One strict ajv instance for the whole process; schemas compile once. */
export function sharedAjv(): Ajv {
  if (!shared) {
    shared = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    shared.addFormat('date-time', { type: 'string', validate: (s: string) => RFC3339.test(s) && !Number.isNaN(Date.parse(s)) });
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

/** A sentence a person understands for one ajv error. */
export function describeSchemaError(e: ErrorObject): string {
  const where = e.instancePath === '' ? 'the file' : `\`${instancePathSegments(e.instancePath).join('.')}\``;
  switch (e.keyword) {
    case 'additionalProperties':
      return `unknown key \`${String(e.params['additionalProperty'])}\` in ${where}`;
    case 'required':
      return `${where} is missing the required key \`${String(e.params['missingProperty'])}\``;
    case 'type':
      return `${where} must be ${article(String(e.params['type']))}`;
    case 'enum':
      return `${where} must be one of ${(e.params['allowedValues'] as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`;
    case 'pattern':
    case 'format':
      return `${where} ${e.message ?? 'is malformed'}`;
    default:
      return `${where} ${e.message ?? 'is invalid'}`;
  }
}

function article(type: string): string {
  return type
    .split(',')
    .map((t) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`))
    .join(' or ');
}
