import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlanFileError, readPlanFile, writePlanFile } from '../../src/engine/plan-file.js';
import { PLAN_FILE_FORMAT_VERSION } from '../../src/engine/plan-file-columns.js';
import type { Plan } from '../../src/model/plan.js';
import { collection, plan } from '../helpers/builders.js';
import { emulator } from '../helpers/emulator.js';
import { desiredFrom, exampleDesired, observeAll, testClient } from '../helpers/world.js';

const dir = mkdtempSync(join(tmpdir(), 'chatstate-plan-file-'));

/** Everything the plan says, in a comparable form (the file adds a summary; nothing else). */
const content = (p: Plan) => ({ ...p, summary: undefined });

describe('plan file (compact, columnar, streamed)', () => {
  it('round-trips every decision and rule of the example world, and every action', async () => {
    const emu = await emulator();
    const desired = exampleDesired(emu.url);
    const http = testClient();
    const made = plan(desired, await observeAll(desired, http), { allowMassDelete: true });
    await http.close();
    const kinds = new Set(made.collections.flatMap((c) => c.decisions.map((d) => d.decision)));
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['keep', 'protected', 'remove']));
    const file = join(dir, 'example.plan.json');
    writePlanFile(file, made);
    const read = readPlanFile(file);
    expect(content(read)).toEqual(content(made));
    // Compact and columnar on disk: no indentation, one code per item and an index into a rule table.
    const raw = readFileSync(file, 'utf8');
    expect(raw.split('\n')).toHaveLength(2);
    const onDisk = JSON.parse(raw) as {
      formatVersion: number;
      collections: { decisions: { ids: string[]; decision: string; rule: number[]; rules: string[] } }[];
    };
    expect(onDisk.formatVersion).toBe(PLAN_FILE_FORMAT_VERSION);
    const first = onDisk.collections.find((c) => c.decisions.ids.length > 0)!.decisions;
    expect(first.decision).toMatch(/^[krpun]+$/);
    expect(first.rule.every((r) => first.rules[r] !== undefined)).toBe(true);
  });

  it('round-trips a large plan with many distinct rules (one per exact keep entry) exactly', () => {
    const ids = Array.from({ length: 5000 }, (_, j) => `7900${String(j).padStart(7, '0')}@c.us`);
    const keep = ids.filter((_, j) => j % 3 === 0);
    const desired = desiredFrom(
      [
        'version: 1',
        'green-api:',
        '  main:',
        '    instances:',
        '      1101000001:',
        '        token: ${T}',
        `        contacts: { prune: true, keep: [${keep.join(', ')}, {name: "Team *"}], protect: [{name: Boss}], safety: { maxDeletePercent: 100 } }`,
        '',
      ].join('\n'),
      { T: 'token' },
    );
    const observed = [
      collection(
        'green-api.main/instance.1101000001/contacts',
        ids.map((id, j) => [id, j % 10 === 0 ? `Team ${j}` : j % 97 === 0 ? 'Boss' : `c${j}`]),
      ),
    ];
    const made = plan(desired, observed, { allowMassDelete: true });
    const decisions = made.collections[0]!.decisions;
    expect(new Set(decisions.map((d) => d.rule)).size).toBeGreaterThan(1000);
    const file = join(dir, 'large.plan.json');
    writePlanFile(file, made);
    expect(content(readPlanFile(file))).toEqual(content(made));
  });

  it('refuses a plan file of another format version, or with broken columns, saying what to do', () => {
    const v1 = join(dir, 'v1.json');
    writeFileSync(v1, JSON.stringify({ formatVersion: 1, collections: [], actions: [] }));
    expect(() => readPlanFile(v1)).toThrow(PlanFileError);
    expect(() => readPlanFile(v1)).toThrow(
      `has formatVersion 1; this chatstate reads plan files of formatVersion ${PLAN_FILE_FORMAT_VERSION}. Make a new plan`,
    );
    const broken = join(dir, 'broken.json');
    writeFileSync(
      broken,
      JSON.stringify({
        formatVersion: PLAN_FILE_FORMAT_VERSION,
        collections: [{ decisions: { ids: ['a'], names: [], decision: 'k', rule: [0], rules: ['x'] } }],
        actions: [],
      }),
    );
    expect(() => readPlanFile(broken)).toThrow('/collections/0/decisions: decision columns of different lengths');
  });
});
