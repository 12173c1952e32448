import type { Action } from '../model/action.js';

/**
 * A lane is what must run in order: one GREEN-API instance (its groups, contacts, logout, delete),
 * or one Wabotify/2Chat account (one rate limit for the whole account). Lanes run concurrently;
 * each runs its units in plan order, which is dependency order.
 */
export function laneOf(action: Action): string {
  if (action.provider === 'green-api')
    return `${action.provider}.${action.account}/instance.${action.target.instance ?? action.target.id}`;
  return `${action.provider}.${action.account}`;
}

/** Groups the plan's actions into lanes of units; a unit is one request (one action, or a batch). */
export function buildLanes(actions: readonly Action[], maxBatch: (action: Action) => number): Map<string, Action[][]> {
  const lanes = new Map<string, Action[][]>();
  for (const action of actions) {
    const lane = laneOf(action);
    let units = lanes.get(lane);
    if (!units) {
      units = [];
      lanes.set(lane, units);
    }
    const last = units.at(-1);
    const limit = maxBatch(action);
    if (limit > 1 && last && last.length < limit && sameBatch(last[0]!, action)) last.push(action);
    else units.push([action]);
  }
  return lanes;
}

const sameBatch = (a: Action, b: Action): boolean => a.type === b.type && a.collection === b.collection;
