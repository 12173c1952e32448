import type { GreenApiAccountConfig } from '../../config/model.js';
import type { HttpClient, HttpRequestSpec, HttpResponse } from '../../http/client.js';
import { accountAddress } from '../../shared/address.js';
import type { Secret } from '../../shared/secret.js';
import { perSecond } from '../../shared/token-bucket.js';
import { limitFor } from '../response.js';

/** Published limits, requests/second per instance per method (../shared/providers.md). */
const INSTANCE_LIMITS: Readonly<Record<string, number>> = {
  getContacts: 1,
  getChats: 1,
  getGroupData: 1,
  getStateInstance: 1,
  getSettings: 1,
  getWaSettings: 1,
  deleteContact: 1,
  leaveGroup: 10,
  logout: 1,
};
const PARTNER_LIMIT = perSecond(1);

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

/**
 * Builds GREEN-API requests for one account. Tokens come from the config or, for instances the
 * config names only through the partner, from the partner listing (`learnToken`).
 */
export class GreenWire {
  readonly who: { provider: string; account: string };
  private readonly learned = new Map<string, Secret>();
  /** The configured instances by id: looked up on every request, so indexed once. */
  private readonly configured: ReadonlyMap<string, GreenApiAccountConfig['instances'][number]>;

  constructor(
    readonly account: GreenApiAccountConfig,
    private readonly http: HttpClient,
  ) {
    this.who = { provider: 'green-api', account: accountAddress('green-api', account.name) };
    this.configured = new Map(account.instances.map((i) => [String(i.id), i]));
  }

  learnToken(instance: string, token: Secret): void {
    this.learned.set(instance, token);
  }

  token(instance: string): Secret | undefined {
    return this.configured.get(instance)?.token ?? this.learned.get(instance);
  }

  /** Which variable to check when an instance's token is refused. */
  credentialName(instance: string): string {
    const configured = this.configured.get(instance)?.token;
    return configured ? configured.source : `the partner token (${this.account.partner?.token.source ?? 'partner.token'})`;
  }

  private instanceUrl(instance: string): string {
    return trimSlash(this.configured.get(instance)?.apiUrl ?? this.account.apiUrl);
  }

  instanceRequest(instance: string, method: string, verb: 'GET' | 'POST', body?: unknown): HttpRequestSpec {
    const token = this.token(instance);
    const tokenText = token ? encodeURIComponent(token.reveal()) : '***';
    return {
      method: verb,
      url: `${this.instanceUrl(instance)}/waInstance${instance}/${method}/${tokenText}`,
      ...(body !== undefined ? { body } : {}),
      operation: method,
      limitKey: `green-api:${instance}:${method}`,
      limit: limitFor(this.account.rateLimits, method, perSecond(INSTANCE_LIMITS[method] ?? 1)),
    };
  }

  partnerRequest(method: string, verb: 'GET' | 'POST', body?: unknown): HttpRequestSpec {
    const partner = this.account.partner;
    return {
      method: verb,
      url: `${trimSlash(partner?.apiUrl ?? this.account.apiUrl)}/partner/${method}/${partner ? encodeURIComponent(partner.token.reveal()) : '***'}`,
      ...(body !== undefined ? { body } : {}),
      operation: method,
      limitKey: `green-api-partner:${this.account.name}:${method}`,
      limit: limitFor(this.account.rateLimits, method, PARTNER_LIMIT),
    };
  }

  send(spec: HttpRequestSpec): Promise<HttpResponse> {
    return this.http.send(spec, this.who);
  }
}
