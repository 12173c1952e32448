import { inspect } from 'node:util';
import { registerSecret } from './redact.js';

/**
 * A credential read from the environment. It prints as `***` everywhere (string conversion, JSON,
 * util.inspect), so it cannot leak into output, logs, plans or errors by accident; only the HTTP layer
 * calls `reveal()`.
 */
export class Secret {
  readonly #value: string;
  /** The variable it came from, safe to show: `GREEN_API_TOKEN_1101000001`. */
  readonly source: string;
  constructor(value: string, source: string) {
    this.#value = value;
    this.source = source;
    registerSecret(value);
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '***';
  }
  toJSON(): string {
    return '***';
  }
  [inspect.custom](): string {
    return `Secret(${this.source})`;
  }
}
