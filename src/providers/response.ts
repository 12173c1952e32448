import type { ValidateFunction } from 'ajv';
import { ResponseShapeError } from '../http/errors.js';
import type { HttpResponse } from '../http/client.js';
import { sharedAjv } from '../shared/schema-validation.js';
import { parseRate, type RateLimit } from '../shared/token-bucket.js';

/** Compiles a provider response schema once (at module load). */
export function responseValidator<T>(schema: object): ValidateFunction<T> {
  return sharedAjv().compile<T>(schema);
}

/** The body as `T`, or a ResponseShapeError naming the first mismatch. Never a silent empty value. */
export function expectShape<T>(res: HttpResponse, validate: ValidateFunction<T>): T {
  if (res.json === undefined) throw new ResponseShapeError(res.origin, res.status, `expected JSON, got ${JSON.stringify(res.text.slice(0, 80))}`);
  if (!validate(res.json)) {
    const e = validate.errors?.[0];
    throw new ResponseShapeError(res.origin, res.status, `response${e?.instancePath ?? ''} ${e?.message ?? 'does not match the expected shape'}`);
  }
  return res.json;
}

/** The limit for `method`: the account's `rateLimits` override (by method, then `requests`), else the published default. */
export function limitFor(overrides: Readonly<Record<string, string>>, method: string, fallback: RateLimit | 'off'): RateLimit | 'off' {
  const text = overrides[method] ?? overrides['requests'] ?? overrides['*'];
  return (text !== undefined ? parseRate(text) : undefined) ?? fallback;
}
