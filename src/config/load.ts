import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isScalar, Scalar } from 'yaml';
import { schemaProblems } from '../shared/schema-problems.js';
import { schemaValidator } from '../shared/schema-validation.js';
import { SourceError, type SourceProblem } from '../shared/source-error.js';
import { YamlSource } from '../shared/yaml-source.js';
import { ModelBuilder } from './build.js';
import { duplicateKeyProblems } from './duplicate-keys.js';
import { hasReference, interpolate } from './env.js';
import { DEFAULT_SAFETY, type Desired } from './model.js';

export interface LoadOptions {
  readonly env: NodeJS.ProcessEnv;
  /**
   * false: check structure only, without the environment (`validate --skip-env`, for pull-request
   * jobs that have no secrets). Secrets then hold a placeholder and must not be used.
   */
  readonly resolveEnv?: boolean;
}

export const DEFAULT_CONFIG_FILE = 'chatstate.yaml';

/** Reads and loads a config file. Throws SourceError with every problem found. */
export function loadDesired(file: string, options: LoadOptions): Desired {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const hint =
      code === 'ENOENT'
        ? `no such file; create it (see examples/), pass -f FILE, or run \`chatstate export\``
        : `cannot read it (${code ?? String(err)})`;
    throw new SourceError([{ file, line: 1, col: 1, message: hint }]);
  }
  return parseDesired(file, bytes, options);
}

/** Loads config text: parse with positions, validate, interpolate, build, check. */
export function parseDesired(file: string, bytes: Uint8Array | string, options: LoadOptions): Desired {
  const source = YamlSource.parse(file, bytes);
  const value = source.toValue();
  const problems: SourceProblem[] = duplicateKeyProblems(source);
  const validate = schemaValidator('chatstate.schema.json');
  const schemaOk = validate(value ?? {});
  if (!schemaOk) problems.push(...schemaProblems(source, validate.errors ?? []));
  const variables = new Map<string, readonly string[]>();
  const resolved = substitute(value, [], source, options, variables, problems);
  if (!schemaOk || problems.length > 0) throw new SourceError(problems);

  const root = resolved as Record<string, unknown>;
  const builder = new ModelBuilder(source, root, variables);
  const safety = builder.safety(root['safety'], DEFAULT_SAFETY);
  const accounts = builder.accounts(root, safety);
  if (builder.problems.length > 0) throw new SourceError(builder.problems);
  const digest = `sha256:${createHash('sha256')
    .update(typeof bytes === 'string' ? Buffer.from(bytes) : bytes)
    .digest('hex')}`;
  const privacy = { mask: (root['privacy'] as { mask?: boolean } | undefined)?.mask === true };
  return { file, digest, version: 1, safety, privacy, accounts };
}

/** Replaces `${VAR}` in every string; a missing variable is a problem at its own column. */
function substitute(
  value: unknown,
  path: (string | number)[],
  source: YamlSource,
  options: LoadOptions,
  variables: Map<string, readonly string[]>,
  problems: SourceProblem[],
): unknown {
  if (typeof value === 'string') {
    if (!hasReference(value)) return value;
    const result = interpolate(value, options.resolveEnv === false ? placeholderEnv(value) : options.env);
    variables.set(path.join('\u0000'), result.names);
    for (const m of result.missing) {
      const node = source.nodeAt(path);
      const start = node ? source.startOf(node) : source.locate(path);
      const quoted = node && isScalar(node) && (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE);
      const sameLine = !value.slice(0, m.offset).includes('\n');
      problems.push({
        file: source.file,
        line: start.line,
        col: sameLine ? start.col + m.offset + (quoted ? 1 : 0) : start.col,
        message: missingMessage(m.name, m.empty, isSecretKey(path)),
      });
    }
    return result.value;
  }
  if (Array.isArray(value))
    return value.map((v, i) => substitute(v, [...path, i], source, options, variables, problems));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substitute(v, [...path, k], source, options, variables, problems)]),
    );
  }
  return value;
}

/** Without the environment every reference resolves to a placeholder (URL-shaped for apiUrl values). */
function placeholderEnv(text: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const m of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g))
    env[m[1]!] = m[2] ?? 'https://env.invalid';
  return env;
}

/** Keys whose values are credentials: a default for them would be a secret written in the file. */
const isSecretKey = (path: readonly (string | number)[]): boolean =>
  ['token', 'apiKey'].includes(String(path[path.length - 1]));

function missingMessage(name: string, empty: boolean, secret: boolean): string {
  const state = empty ? 'is set but empty' : 'is not set';
  const fix = secret
    ? `export it with the secret's value (secrets have no default in the file)`
    : `export it (or write \${${name}:-default})`;
  return `environment variable ${name} ${state}; ${fix}`;
}
