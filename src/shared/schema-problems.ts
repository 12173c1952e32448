import type { ErrorObject } from 'ajv';
import { distance } from './distance.js';
import { instancePathSegments } from './schema-validation.js';
import type { SourceProblem } from './source-error.js';
import type { YamlSource } from './yaml-source.js';

type Schema = Record<string, unknown>;

/**
 * Turns ajv's errors (compiled with `verbose: true`) into one clear problem per mistake, placed at
 * the offending node: the noise of failed `anyOf` branches is collapsed into the schema's own
 * description, unknown keys get a "did you mean" hint, and the value that was wrong is shown.
 */
export function schemaProblems(source: YamlSource, errors: readonly ErrorObject[]): SourceProblem[] {
  const kept = collapseAlternatives(errors);
  const seen = new Set<string>();
  const out: SourceProblem[] = [];
  for (const e of kept) {
    const problem = toProblem(source, e);
    const key = `${problem.line}:${problem.col}:${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(problem);
    }
  }
  return out;
}

/** Drops errors from inside anyOf/oneOf branches; keeps the alternative's own error instead. */
function collapseAlternatives(errors: readonly ErrorObject[]): ErrorObject[] {
  const alternatives = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const result: ErrorObject[] = [];
  for (const e of errors) {
    const parent = alternatives.find(
      (a) => a !== e && e.schemaPath.startsWith(`${a.schemaPath}/`) && e.instancePath.startsWith(a.instancePath),
    );
    if (!parent) {
      // An object given where an alternative allows one: its own key errors are the useful ones.
      if (e.keyword === 'anyOf' && isPlainObject(e.data) && errors.some((n) => isObjectBranchError(n, e))) continue;
      result.push(e);
      continue;
    }
    if (parent.keyword === 'anyOf' && isPlainObject(parent.data) && isObjectBranchError(e, parent)) result.push(e);
  }
  return result;
}

function isObjectBranchError(e: ErrorObject, parent: ErrorObject): boolean {
  return (
    e.schemaPath.startsWith(`${parent.schemaPath}/`) &&
    (e.keyword === 'additionalProperties' || e.keyword === 'oneOf' || e.instancePath !== parent.instancePath)
  );
}

function toProblem(source: YamlSource, e: ErrorObject): SourceProblem {
  const path = instancePathSegments(e.instancePath);
  const where = path.length === 0 ? 'the file' : `\`${path.join('.')}\``;
  const parent = (e.parentSchema ?? {}) as Schema;
  const description = typeof parent['description'] === 'string' ? parent['description'] : undefined;
  // A secret written in the file is never shown back, not even cut short: name the key instead.
  const secret = isSecretPath(path, e.schemaPath);
  const got = secret ? 'a value that is not shown' : describeValue(e.data);
  if (secret && (e.keyword === 'pattern' || e.keyword === 'type')) {
    return {
      file: source.file,
      ...source.locate(path),
      message: `${where} is a secret and must be a \${VAR} reference (e.g. \${${suggestedVariable(path)}}), not a value written in the file; the value is not shown. Move it to the environment and rotate it if this file was shared`,
    };
  }
  const at = (key?: string) => ({ file: source.file, ...source.locate(path, key) });
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params['additionalProperty']);
      const allowed = Object.keys((parent['properties'] as Schema | undefined) ?? {});
      return { ...at(key), message: `unknown key \`${key}\` in ${where}${hint(key, allowed)}` };
    }
    case 'propertyNames':
      return {
        ...at(String(e.params['propertyName'])),
        message: `invalid key \`${String(e.params['propertyName'])}\` in ${where}`,
      };
    case 'required':
      return { ...at(), message: `${where} is missing the required key \`${String(e.params['missingProperty'])}\`` };
    case 'not':
      return { ...at(), message: `${where} is not allowed${description ? `: ${description}` : ''}` };
    case 'anyOf':
    case 'oneOf': {
      const branches = (parent[e.keyword] as Schema[] | undefined) ?? [];
      if (branches.length > 0 && branches.every((b) => Array.isArray(b['required']) && Object.keys(b).length === 1)) {
        const keys = branches.map((b) => `\`${String((b['required'] as string[])[0])}\``);
        return { ...at(), message: `${where} must have exactly one of ${keys.join(' or ')}` };
      }
      return { ...at(), message: `${where} is not valid${description ? `: ${description}` : ''} (got ${got})` };
    }
    case 'format':
      return {
        ...at(),
        message: `${where} must be ${e.params['format'] === 'date-time' ? 'an ISO 8601 time such as 2026-11-25T12:00:00Z' : `a ${String(e.params['format'])}`} (got ${got})`,
      };
    case 'pattern':
      if (e.propertyName !== undefined) {
        return {
          ...at(e.propertyName),
          message: `invalid key \`${e.propertyName}\` in ${where}${description ? `: ${description}` : ` (must match ${String(e.params['pattern'])})`}`,
        };
      }
      return {
        ...at(),
        message: description
          ? `${where} is not valid: ${description} (got ${got})`
          : `${where} ${e.message ?? 'is malformed'} (got ${got})`,
      };
    case 'type':
      return { ...at(), message: `${where} must be ${article(String(e.params['type']))} (got ${got})` };
    case 'const':
      return { ...at(), message: `${where} must be ${JSON.stringify(e.params['allowedValue'])} (got ${got})` };
    case 'enum':
      return {
        ...at(),
        message: `${where} must be one of ${(e.params['allowedValues'] as unknown[]).map((x) => JSON.stringify(x)).join(', ')} (got ${got})`,
      };
    default:
      return { ...at(), message: `${where} ${e.message ?? 'is invalid'}` };
  }
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function article(type: string): string {
  return type
    .split(',')
    .map((t) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`))
    .join(' or ');
}

/** `; did you mean \`contacts\`?` for a near miss among the allowed keys. */
function hint(key: string, allowed: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const a of allowed) {
    const d = a.toLowerCase() === key.toLowerCase() ? 0 : distance(key.toLowerCase(), a.toLowerCase());
    if (d < bestDistance) {
      best = a;
      bestDistance = d;
    }
  }
  const threshold = Math.max(1, Math.min(3, Math.floor(key.length / 3)));
  if (best !== undefined && bestDistance <= threshold) return `; did you mean \`${best}\`?`;
  return allowed.length > 0 && allowed.length <= 8 ? `; allowed: ${allowed.map((a) => `\`${a}\``).join(', ')}` : '';
}

/** Keys whose values are credentials (schemas/chatstate.schema.json `secretRef`). */
const SECRET_KEYS = new Set(['token', 'apiKey']);

function isSecretPath(path: readonly (string | number)[], schemaPath: string): boolean {
  return schemaPath.includes('/secretRef/') || SECRET_KEYS.has(String(path[path.length - 1]));
}

/** The variable the docs use for a secret at `path`: `GREEN_API_TOKEN_1101000001`, `WABOTIFY_API_KEY`, … */
function suggestedVariable(path: readonly (string | number)[]): string {
  const [provider, , section, id] = path.map(String);
  if (provider === 'green-api')
    return section === 'partner' ? 'GREEN_API_PARTNER_TOKEN' : `GREEN_API_TOKEN_${id ?? 'ID'}`;
  return provider === '2chat' ? 'TWOCHAT_API_KEY' : 'WABOTIFY_API_KEY';
}
