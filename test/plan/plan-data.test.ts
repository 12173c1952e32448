import { describe, expect, it } from 'vitest';
import { PLAN_FORMAT_VERSION } from '../../src/model/plan.js';
import { renderJson } from '../../src/render/json.js';
import { schemaValidator } from '../../src/shared/schema-validation.js';
import { collection, plan } from '../helpers/builders.js';
import { desiredFrom } from '../helpers/world.js';

const C = 'green-api.main/instance.1101000001/contacts';
const G = 'green-api.main/instance.1101000001/groups';
const desired = desiredFrom(
  'version: 1\ngreen-api:\n  main:\n    apiUrl: http://127.0.0.1:9\n    instances:\n      1101000001:\n        token: ${T}\n        contacts: { prune: true, keep: ["79000000001", "79000000009"] }\n        groups: { prune: false, remove: [] }\n',
  { T: 'tok' },
);

describe('the plan is data (formatVersion 2)', () => {
  it('warnings are {address, message} records; an unobserved collection is listed as failed with its error', () => {
    const failed = {
      ...collection(G, []),
      error: new Error('GET http://x/waInstance1101000001/getChats/sekrit failed with 500'),
    };
    const p = plan(
      desired,
      [
        collection(C, [
          ['79000000001@c.us', 'Alice'],
          ['79000000002@c.us', 'Bob'],
        ]),
        failed,
      ],
      { allowMassDelete: true },
    );
    expect(p.formatVersion).toBe(2);
    expect(PLAN_FORMAT_VERSION).toBe(2);
    expect(p.warnings).toEqual([{ address: C, message: '79000000009@c.us is kept by the file but does not exist' }]);
    const g = p.collections.find((c) => c.address === G);
    expect(g).toMatchObject({
      status: 'failed',
      error: 'GET http://x/waInstance1101000001/getChats/*** failed with 500',
    });
    expect([...g!.decisions]).toEqual([]);
    expect(p.collections.map((c) => c.address).sort()).toEqual([C, G]);
    expect(p.actions.every((a) => a.collection !== G)).toBe(true);
    const validate = schemaValidator('plan.schema.json');
    expect(validate(JSON.parse(renderJson(p))), JSON.stringify(validate.errors)).toBe(true);
  });
});
