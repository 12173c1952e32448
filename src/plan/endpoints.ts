import type { AccountConfig, Desired } from '../config/model.js';
import type { AccountEndpoints } from '../model/plan.js';
import { redact } from '../shared/redact.js';

/** Where one account's requests go (URLs redacted: a token pasted into a URL never reaches a plan). */
function endpointsOf(a: AccountConfig): AccountEndpoints {
  const account = `${a.provider}.${a.name}`;
  switch (a.provider) {
    case 'green-api': {
      const own = a.instances
        .filter((i) => i.apiUrl !== a.apiUrl)
        .map((i) => [String(i.id), redact(i.apiUrl)] as const);
      return {
        account,
        apiUrl: redact(a.apiUrl),
        ...(a.partner ? { partnerApiUrl: redact(a.partner.apiUrl) } : {}),
        ...(own.length > 0 ? { instanceApiUrls: Object.fromEntries(own) } : {}),
      };
    }
    case 'wabotify':
      return { account, apiUrl: redact(a.apiUrl), workspaceId: a.workspaceId };
    case '2chat':
      return { account, apiUrl: redact(a.apiUrl) };
  }
}

/** Every account's resolved endpoints, in config order. */
export const accountEndpoints = (desired: Desired): AccountEndpoints[] => desired.accounts.map(endpointsOf);

/** How the endpoints recorded in a plan differ from the config's now; empty when they are the same. */
export function endpointChanges(recorded: readonly AccountEndpoints[], now: readonly AccountEndpoints[]): string[] {
  const key = (e: AccountEndpoints) =>
    JSON.stringify([
      e.apiUrl,
      e.partnerApiUrl ?? null,
      e.workspaceId ?? null,
      Object.entries(e.instanceApiUrls ?? {}).sort(),
    ]);
  const byAccount = new Map(now.map((e) => [e.account, e]));
  const out: string[] = [];
  for (const r of recorded) {
    const n = byAccount.get(r.account);
    if (!n) out.push(`${r.account} is no longer in the config`);
    else if (key(r) !== key(n)) out.push(`${r.account}: ${describe(r)} when planned, ${describe(n)} now`);
  }
  return out;
}

function describe(e: AccountEndpoints): string {
  const parts = [`apiUrl ${e.apiUrl}`];
  if (e.partnerApiUrl !== undefined) parts.push(`partner apiUrl ${e.partnerApiUrl}`);
  if (e.workspaceId !== undefined) parts.push(`workspace ${e.workspaceId}`);
  for (const [id, url] of Object.entries(e.instanceApiUrls ?? {})) parts.push(`instance ${id} apiUrl ${url}`);
  return parts.join(', ');
}
