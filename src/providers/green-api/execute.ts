import { errorFor, type HttpRequestSpec } from '../../http/client.js';
import { ResponseShapeError } from '../../http/errors.js';
import { guarded, outcomeOf } from '../outcome.js';
import { expectShape, responseValidator } from '../response.js';
import type { Action, ActionOutcome } from '../../model/action.js';
import { partnerFailure } from './observe.js';
import { chatsResponse } from './schemas.js';
import type { GreenWire } from './wire.js';

const deleteContactOk = responseValidator<{ deleteContact: boolean }>({ type: 'object', required: ['deleteContact'], properties: { deleteContact: { type: 'boolean' } } });
const leaveOk = responseValidator<{ leaveGroup?: boolean; removeAdmin?: boolean }>({
  type: 'object',
  properties: { leaveGroup: { type: 'boolean' }, removeAdmin: { type: 'boolean' } },
  anyOf: [{ required: ['leaveGroup'] }, { required: ['removeAdmin'] }],
});
const logoutOk = responseValidator<{ isLogout: boolean }>({ type: 'object', required: ['isLogout'], properties: { isLogout: { type: 'boolean' } } });
const deleteInstanceOk = responseValidator<{ deleteInstanceAccount: boolean }>({
  type: 'object',
  required: ['deleteInstanceAccount'],
  properties: { deleteInstanceAccount: { type: 'boolean' } },
});

const instanceOf = (a: Action): string => a.target.instance ?? a.target.id;

/** The one request each GREEN-API action sends. */
export function greenRequest(wire: GreenWire, action: Action): HttpRequestSpec {
  switch (action.type) {
    case 'delete-contact':
      return wire.instanceRequest(instanceOf(action), 'deleteContact', 'POST', { chatId: action.target.id });
    case 'leave-group':
      return wire.instanceRequest(instanceOf(action), 'leaveGroup', 'POST', { groupId: action.target.id });
    case 'logout-instance':
      return wire.instanceRequest(action.target.id, 'logout', 'GET');
    case 'delete-instance':
      return wire.partnerRequest('deleteInstanceAccount', 'POST', { idInstance: Number(action.target.id) });
    default:
      throw new Error(`green-api cannot ${action.type}`);
  }
}

const isMessage = (body: unknown, pattern: RegExp): boolean =>
  typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string' && pattern.test((body as { message: string }).message);

/** After `leaveGroup` answers 400, the group may simply be gone already: look before calling it a failure. */
async function stillInGroup(wire: GreenWire, instance: string, groupId: string): Promise<boolean> {
  const res = await wire.send(wire.instanceRequest(instance, 'getChats', 'GET'));
  if (res.status !== 200) throw errorFor(res, wire.credentialName(instance));
  return expectShape(res, chatsResponse).some((c) => c.id === groupId);
}

export function executeGreen(wire: GreenWire, action: Action): Promise<ActionOutcome> {
  return guarded(action, async () => {
    const res = await wire.send(greenRequest(wire, action));
    const instance = instanceOf(action);
    switch (action.type) {
      case 'delete-contact':
        if (res.status === 404) return outcomeOf(action, 'already-absent', res);
        if (res.status !== 200) throw errorFor(res, wire.credentialName(instance));
        if (!expectShape(res, deleteContactOk).deleteContact) throw new ResponseShapeError(res.origin, res.status, 'deleteContact: false');
        return outcomeOf(action, 'done', res);
      case 'leave-group': {
        if (res.status === 400 && isMessage(res.json, /validation failed/i) && !(await stillInGroup(wire, instance, action.target.id))) {
          return outcomeOf(action, 'already-absent', res);
        }
        if (res.status !== 200) throw errorFor(res, wire.credentialName(instance));
        const body = expectShape(res, leaveOk);
        if (body.removeAdmin) return outcomeOf(action, 'partial', res, 'GREEN-API answered removeAdmin: the own number was an admin there; run plan again to confirm the group is gone');
        return outcomeOf(action, 'done', res);
      }
      case 'logout-instance':
        if (res.status === 400 && isMessage(res.json, /instance is deleted/i)) return outcomeOf(action, 'already-absent', res);
        if (res.status !== 200) throw errorFor(res, wire.credentialName(action.target.id));
        expectShape(res, logoutOk);
        return outcomeOf(action, 'done', res);
      case 'delete-instance': {
        if (res.status !== 200) throw errorFor(res, wire.account.partner?.token.source ?? 'the partner token');
        const error = partnerFailure(res, wire);
        // The partner API says "gone" as HTTP 200 + {code: 404}.
        if (error && (res.json as { code: number }).code === 404) return outcomeOf(action, 'already-absent', res);
        if (error) throw error;
        expectShape(res, deleteInstanceOk);
        return outcomeOf(action, 'done', res);
      }
      default:
        throw new Error(`green-api cannot ${action.type}`);
    }
  });
}
