import type { GreenApiAccountConfig } from '../../config/model.js';
import type { HttpClient, HttpRequestSpec, HttpResponse } from '../../http/client.js';
import { accountAddress } from '../../shared/address.js';
import type { Secret } from '../../shared/secret.js';
import { perSecond } from '../../shared/token-bucket.js';
import { limitFor } from '../response.js';

/** Published limits, requests/second per instance per method, GREEN-API's "Rate limiter" page (docs/providers.md). */
const INSTANCE_LIMITS: Readonly<Record<string, number>> = {
  getContacts: 1,
  getContactInfo: 1,
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
  private readonly learnedUrls = new Map<string, string>();
  /** The own identities per instance, read once per run (observation and apply share them). */
  readonly ownIds = new Map<string, Promise<string[]>>();

  constructor(
    readonly account: GreenApiAccountConfig,
    private readonly http: HttpClient,
  ) {
    this.who = { provider: 'green-api', account: accountAddress('green-api', account.name) };
    this.configured = new Map(account.instances.map((i) => [String(i.id), i]));
  }

  learnToken(instance: string, token: Secret, apiUrl?: string): void {
    this.learned.set(instance, token);
    if (apiUrl) this.learnedUrls.set(instance, apiUrl);
  }

  token(instance: string): Secret | undefined {
    return this.configured.get(instance)?.token ?? this.learned.get(instance);
  }

  /** Which variable to check when an instance's token is refused. */
  credentialName(instance: string): string {
    const configured = this.configured.get(instance)?.token;
    return configured
      ? configured.source
      : `the partner token (${this.account.partner?.token.source ?? 'partner.token'})`;
  }

  /**
   * GREEN-API serves each instance at its own host (the console shows apiUrl per instance, such as
   * https://7105.api.greenapi.com). A configured instance uses its `apiUrl` (which defaults to the
   * account's); an instance known only from the partner listing uses the host the listing gives,
   * and without one there is no documented way to know it: the request is refused, naming the key.
   */
  hasHost(instance: string): boolean {
    return this.configured.has(instance) || this.learnedUrls.has(instance);
  }

  private instanceUrl(instance: string, display = false): string {
    const url = this.configured.get(instance)?.apiUrl ?? this.learnedUrls.get(instance);
    // A dry run reads no listing: it names the host it would ask the listing for.
    if (url === undefined && display) return `<host of instance ${instance} from the partner listing>`;
    if (url === undefined) {
      throw new Error(
        `${this.who.account}: instance ${instance} has no known API host: GREEN-API serves each instance at its own host (the console shows its apiUrl, such as https://7105.api.greenapi.com) and the partner listing gave none; set green-api.${this.account.name}.instances.${instance}.apiUrl`,
      );
    }
    return trimSlash(url);
  }

  instanceRequest(
    instance: string,
    method: string,
    verb: 'GET' | 'POST',
    body?: unknown,
    display = false,
  ): HttpRequestSpec {
    const token = this.token(instance);
    const tokenText = token ? encodeURIComponent(token.reveal()) : '***';
    return {
      method: verb,
      url: `${this.instanceUrl(instance, display)}/waInstance${instance}/${method}/${tokenText}`,
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
