/**
 * Typed errors of the HTTP layer. Each carries where it happened (provider, account, operation,
 * HTTP method, redacted URL, status) and a message that says what to do next. Nothing in them is a
 * secret: URLs and bodies are redacted before an error is built.
 */
export interface RequestOrigin {
  readonly provider: string;
  /** The account as the config names it, e.g. `green-api.main`. */
  readonly account: string;
  /** The provider operation, e.g. `deleteContact`, `delete-batch`. */
  readonly operation: string;
  readonly httpMethod: string;
  /** Redacted URL. */
  readonly url: string;
}

export abstract class ProviderCallError extends Error {
  abstract readonly kind: string;
  constructor(
    readonly origin: RequestOrigin,
    readonly status: number | undefined,
    /** What the provider said, redacted and shortened. */
    readonly detail: string,
    hint: string,
    /** How many attempts were made before giving up. */
    readonly attempts = 1,
  ) {
    const what = status === undefined ? 'failed' : `failed with ${status}`;
    super(
      `${origin.account}: ${origin.httpMethod} ${origin.url} ${what}${detail ? `: ${detail}` : ''}${hint ? ` (${hint})` : ''}`,
    );
    this.name = new.target.name;
  }
}

/** 401/403, or a partner `{code: 401}`: the credential or the instance id is wrong. */
export class AuthError extends ProviderCallError {
  readonly kind = 'auth';
  constructor(origin: RequestOrigin, status: number | undefined, detail: string, credential: string) {
    super(origin, status, detail, `check ${credential} for account ${origin.account}`);
  }
}

/** The addressed resource does not exist (providers map this to `already-absent` where safe). */
export class NotFoundError extends ProviderCallError {
  readonly kind = 'not-found';
  constructor(origin: RequestOrigin, status: number | undefined, detail: string) {
    super(origin, status, detail, 'the resource is gone or the id is wrong; run plan again');
  }
}

/** 429 that outlasted every retry. */
export class RateLimitedError extends ProviderCallError {
  readonly kind = 'rate-limited';
  constructor(origin: RequestOrigin, detail: string, attempts: number) {
    super(
      origin,
      429,
      detail,
      `still rate limited after ${attempts} attempts; lower --concurrency or the account's rateLimits`,
      attempts,
    );
  }
}

/** Any other error status, or a provider error carried in a 200 body. */
export class ProviderError extends ProviderCallError {
  readonly kind = 'provider';
  constructor(
    origin: RequestOrigin,
    status: number | undefined,
    detail: string,
    attempts = 1,
    hint = 'see the provider message; run again later if it is transient',
  ) {
    super(origin, status, detail, hint, attempts);
  }
}

/** No usable HTTP answer: connection refused or reset, timeout, budget exhausted. */
export class TransportError extends ProviderCallError {
  readonly kind = 'transport';
  constructor(origin: RequestOrigin, detail: string, attempts: number) {
    super(
      origin,
      undefined,
      detail,
      `no answer after ${attempts} attempt${attempts === 1 ? '' : 's'}; check the apiUrl and the network, then run again`,
      attempts,
    );
  }
}

/** A 2xx answer whose body does not match the provider's documented shape. */
export class ResponseShapeError extends ProviderCallError {
  readonly kind = 'response-shape';
  constructor(origin: RequestOrigin, status: number, detail: string) {
    super(
      origin,
      status,
      detail,
      'the provider answered in an unexpected shape; nothing was planned from it. Report it if it persists',
    );
  }
}
