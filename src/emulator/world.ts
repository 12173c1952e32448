import type {
  EmulatorState,
  GreenContact,
  GreenGroup,
  GreenInstance,
  GreenPartner,
  TwoChatAccount,
  TwoChatContact,
  TwoChatMessage,
  TwoChatNumber,
  WabotifyContact,
  WabotifyWorkspace,
} from './state.js';

export interface LiveInstance {
  info: Omit<GreenInstance, 'contacts' | 'groups'>;
  contacts: Map<string, GreenContact>;
  groups: Map<string, GreenGroup>;
}

export interface LiveWorkspace {
  info: Omit<WabotifyWorkspace, 'contacts'>;
  /** Insertion order is listing order; `seq` makes continuation tokens stable across deletions. */
  contacts: Map<string, { seq: number; contact: WabotifyContact }>;
}

export interface LiveNumber {
  info: Omit<TwoChatNumber, 'messages' | 'retainedOnWhatsApp'>;
  messages: Map<string, TwoChatMessage>;
  retainedOnWhatsApp: string[];
}

export interface LiveTwoChatAccount {
  info: Omit<TwoChatAccount, 'numbers' | 'contacts'>;
  numbers: Map<string, LiveNumber>;
  contacts: Map<string, TwoChatContact>;
}

/**
 * The emulator's mutable world, indexed for the lookups the routes make. `snapshot()` gives it back
 * in the state-file shape, so `GET /__emulator/state` can be saved and loaded again.
 */
export class World {
  now: string | undefined;
  readonly partners = new Map<string, GreenPartner>();
  readonly instances = new Map<number, LiveInstance>();
  readonly workspaces = new Map<string, LiveWorkspace>();
  readonly twoChat = new Map<string, LiveTwoChatAccount>();

  constructor(state: EmulatorState) {
    const copy = structuredClone(state);
    this.now = copy.now;
    for (const p of copy['green-api']?.partners ?? []) this.partners.set(p.token, p);
    for (const { contacts, groups, ...info } of copy['green-api']?.instances ?? []) {
      this.instances.set(info.idInstance, {
        info,
        contacts: new Map((contacts ?? []).map((c) => [c.id, c])),
        groups: new Map((groups ?? []).map((g) => [g.id, g])),
      });
    }
    for (const { contacts, ...info } of copy.wabotify?.workspaces ?? []) {
      this.workspaces.set(info.id, {
        info,
        contacts: new Map((contacts ?? []).map((c, seq) => [c.id, { seq, contact: c }])),
      });
    }
    for (const { numbers, contacts, ...info } of copy['2chat']?.accounts ?? []) {
      this.twoChat.set(info.apiKey, {
        info,
        numbers: new Map(
          (numbers ?? []).map(({ messages, retainedOnWhatsApp, ...n }) => [
            n.uuid,
            {
              info: n,
              messages: new Map((messages ?? []).map((m) => [m.uuid, m])),
              retainedOnWhatsApp: retainedOnWhatsApp ?? [],
            },
          ]),
        ),
        contacts: new Map((contacts ?? []).map((c) => [c.uuid, c])),
      });
    }
  }

  partnerOf(idInstance: number): GreenPartner | undefined {
    for (const p of this.partners.values()) if (p.instances.includes(idInstance)) return p;
    return undefined;
  }

  snapshot(): EmulatorState {
    const state: EmulatorState = {};
    if (this.now !== undefined) state.now = this.now;
    if (this.partners.size > 0 || this.instances.size > 0) {
      state['green-api'] = {
        partners: [...this.partners.values()],
        instances: [...this.instances.values()].map((i) => ({
          ...i.info,
          contacts: [...i.contacts.values()],
          groups: [...i.groups.values()],
        })),
      };
    }
    if (this.workspaces.size > 0) {
      state.wabotify = {
        workspaces: [...this.workspaces.values()].map((w) => ({
          ...w.info,
          contacts: [...w.contacts.values()].map((c) => c.contact),
        })),
      };
    }
    if (this.twoChat.size > 0) {
      state['2chat'] = {
        accounts: [...this.twoChat.values()].map((a) => ({
          ...a.info,
          numbers: [...a.numbers.values()].map((n) => ({
            ...n.info,
            messages: [...n.messages.values()],
            ...(n.retainedOnWhatsApp.length > 0 ? { retainedOnWhatsApp: [...n.retainedOnWhatsApp] } : {}),
          })),
          contacts: [...a.contacts.values()],
        })),
      };
    }
    return structuredClone(state);
  }
}
