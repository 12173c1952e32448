import type { ValidateFunction } from 'ajv';
import type { HttpResponse } from '../http/client.js';
import { ResponseShapeError } from '../http/errors.js';
import { sharedAjv } from '../shared/schema-validation.js';
import { parseRate, type RateLimit } from '../shared/token-bucket.js';

/**
 * A provider response validator, compiled the first time it is used (not at module load: a run
 * that never talks to a provider does not pay for its schemas at start-up), then reused.
 */
export function responseValidator<T>(schema: object): ValidateFunction<T> {
  let compiled: ValidateFunction<T> | undefined;
  const validate = ((data: unknown): boolean => {
    compiled ??= sharedAjv().compile<T>(schema);
    const ok = compiled(data);
    validate.errors = compiled.errors ?? null;
    return ok;
  }) as ValidateFunction<T>;
  validate.schema = schema;
  return validate;
}

/** The body as `T`, or a ResponseShapeError naming the first mismatch. Never a silent empty value. */
export function expectShape<T>(res: HttpResponse, validate: ValidateFunction<T>): T {
  if (res.json === undefined)
    throw new ResponseShapeError(res.origin, res.status, `expected JSON, got ${JSON.stringify(res.text.slice(0, 80))}`);
  if (!validate(res.json)) {
    const e = validate.errors?.[0];
    throw new ResponseShapeError(
      res.origin,
      res.status,
      `response${e?.instancePath ?? ''} ${e?.message ?? 'does not match the expected shape'}`,
    );
  }
  return res.json;
}

/** The limit for `method`: the account's `rateLimits` override (by method, then `requests`), else the published default. */
export function limitFor(
  overrides: Readonly<Record<string, string>>,
  method: string,
  fallback: RateLimit | 'off',
): RateLimit | 'off' {
  const text = overrides[method] ?? overrides['requests'] ?? overrides['*'];
  return (text !== undefined ? parseRate(text) : undefined) ?? fallback;
}
