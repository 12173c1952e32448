import { errorFor, type HttpRequestSpec, type HttpResponse } from '../../http/client.js';
import type { Action, ActionOutcome } from '../../model/action.js';
import { guarded, outcomeOf } from '../outcome.js';
import { expectShape, responseValidator } from '../response.js';
import { membership, ownIdentities, partnerFailure } from './observe.js';
import type { GreenWire } from './wire.js';

const deleteContactOk = responseValidator<{ deleteContact: boolean }>({
  type: 'object',
  required: ['deleteContact'],
  properties: { deleteContact: { type: 'boolean' } },
});
const leaveOk = responseValidator<{ leaveGroup?: boolean; removeAdmin?: boolean }>({
  type: 'object',
  properties: { leaveGroup: { type: 'boolean' }, removeAdmin: { type: 'boolean' } },
  anyOf: [{ required: ['leaveGroup'] }, { required: ['removeAdmin'] }],
});
const logoutOk = responseValidator<{ isLogout: boolean }>({
  type: 'object',
  required: ['isLogout'],
  properties: { isLogout: { type: 'boolean' } },
});
const deleteInstanceOk = responseValidator<{ deleteInstanceAccount: boolean }>({
  type: 'object',
  required: ['deleteInstanceAccount'],
  properties: { deleteInstanceAccount: { type: 'boolean' } },
});

const instanceOf = (a: Action): string => a.target.instance ?? a.target.id;

/** The one request each GREEN-API action sends (`display`: for a dry run, which reads no partner listing). */
export function greenRequest(wire: GreenWire, action: Action, display = false): HttpRequestSpec {
  switch (action.type) {
    case 'delete-contact':
      return wire.instanceRequest(
        instanceOf(action),
        'deleteContact',
        'POST',
        { chatId: action.target.phoneChatId ?? action.target.id },
        display,
      );
    case 'leave-group':
      return wire.instanceRequest(instanceOf(action), 'leaveGroup', 'POST', { groupId: action.target.id }, display);
    case 'logout-instance':
      return wire.instanceRequest(action.target.id, 'logout', 'GET', undefined, display);
    case 'delete-instance':
      return wire.partnerRequest('deleteInstanceAccount', 'POST', { idInstance: Number(action.target.id) });
    default:
      throw new Error(`green-api cannot ${action.type}`);
  }
}

const isMessage = (body: unknown, pattern: RegExp): boolean =>
  typeof body === 'object' &&
  body !== null &&
  typeof (body as { message?: unknown }).message === 'string' &&
  pattern.test((body as { message: string }).message);

/** The provider's own words, JSON `{message}` or plain text. */
const said = (res: HttpResponse, pattern: RegExp): boolean => isMessage(res.json, pattern) || pattern.test(res.text);

/** Common errors page: 400 `Instance account is expired. Renew your instance from personal area`. */
const EXPIRED = /instance account is expired/i;
const STARTING = /starting process/i;

/**
 * Whether the instance is still a member of the group. `getGroupData` is what GREEN-API documents
 * as the group's participants; `getChats` is refreshed at most once a minute and may still list a
 * group just left, so it is not asked.
 */
async function stillInGroup(wire: GreenWire, instance: string, groupId: string): Promise<boolean> {
  const [res, own] = await Promise.all([
    wire.send(wire.instanceRequest(instance, 'getGroupData', 'POST', { groupId })),
    ownIdentities(wire, instance),
  ]);
  if (res.status !== 200) throw errorFor(res, wire.credentialName(instance));
  return membership(res, own) !== 'gone';
}

function hint(res: HttpResponse, instance: string): string | undefined {
  if (res.status === 400 && said(res, EXPIRED))
    return `instance ${instance}'s account is expired: renew it in the GREEN-API console, then run plan again`;
  if (res.status === 400 && said(res, STARTING))
    return `instance ${instance} is starting (up to 5 minutes, GetStateInstance): run plan again later`;
  return undefined;
}

export function executeGreen(wire: GreenWire, action: Action): Promise<ActionOutcome> {
  return guarded(action, async () => {
    const res = await wire.send(greenRequest(wire, action));
    const instance = instanceOf(action);
    const failed = (detail: string) => outcomeOf(action, 'failed', res, detail);
    const known = hint(res, instance);
    if (known) return failed(known);
    switch (action.type) {
      case 'delete-contact':
        if (res.status === 404) return outcomeOf(action, 'already-absent', res);
        if (res.status !== 200) throw errorFor(res, wire.credentialName(instance));
        if (!expectShape(res, deleteContactOk).deleteContact) return failed('GREEN-API answered deleteContact: false');
        return outcomeOf(action, 'done', res);
      case 'leave-group': {
        // 400 Validation failed, or a 200 whose flag is false (RemoveAdmin documents false for "not a
        // participant of the group"): gone already when getGroupData no longer lists the own number.
        const body = res.status === 200 ? expectShape(res, leaveOk) : undefined;
        const refused = body !== undefined && (body.leaveGroup === false || body.removeAdmin === false);
        if (
          (refused || (res.status === 400 && said(res, /validation failed/i))) &&
          !(await stillInGroup(wire, instance, action.target.id))
        ) {
          return outcomeOf(action, 'already-absent', res);
        }
        if (res.status !== 200) throw errorFor(res, wire.credentialName(instance));
        if (refused)
          return failed(`GREEN-API answered ${JSON.stringify(res.json)}: the own number is still a participant`);
        if (body?.removeAdmin)
          return outcomeOf(
            action,
            'partial',
            res,
            'GREEN-API answered removeAdmin: the own number was an admin there; run plan again to confirm the group is gone',
          );
        return outcomeOf(action, 'done', res);
      }
      case 'logout-instance':
        if (res.status === 400 && said(res, /instance is deleted/i)) return outcomeOf(action, 'already-absent', res);
        if (res.status !== 200) throw errorFor(res, wire.credentialName(action.target.id));
        if (!expectShape(res, logoutOk).isLogout)
          return failed('GREEN-API answered isLogout: false: the linked device may still be logged in');
        return outcomeOf(action, 'done', res);
      case 'delete-instance': {
        if (res.status !== 200) throw errorFor(res, wire.account.partner?.token.source ?? 'the partner token');
        const error = partnerFailure(res, wire);
        // The partner API says "gone" as HTTP 200 + {code: 404}.
        if (error && (res.json as { code: number }).code === 404) return outcomeOf(action, 'already-absent', res);
        if (error) throw error;
        if (!expectShape(res, deleteInstanceOk).deleteInstanceAccount)
          return failed('GREEN-API answered deleteInstanceAccount: false');
        return outcomeOf(
          action,
          action.expected === 'partial' ? 'partial' : 'done',
          res,
          action.expected === 'partial' ? action.warnings.join('; ') : undefined,
        );
      }
      default:
        throw new Error(`green-api cannot ${action.type}`);
    }
  });
}
