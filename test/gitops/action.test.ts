import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NoOperationTraceWriter } from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/index';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { unknownInvocations } from '../helpers/ci.js';
import { ROOT } from '../helpers/cli.js';

const ACTION = join(ROOT, 'action.yml');
const EXAMPLES = join(ROOT, 'examples', 'gitops');

const errorsOf = (content: string): string[] =>
  parseAction({ name: 'action.yml', content }, new NoOperationTraceWriter())
    .context.errors.getErrors()
    .map((e) => e.message);

describe('the GitHub Action (action.yml)', () => {
  it("passes GitHub's own action parser and schema", () => {
    expect(errorsOf(readFileSync(ACTION, 'utf8'))).toEqual([]);
  });

  it('the parser would catch a broken action (the check can fail)', () => {
    const text = readFileSync(ACTION, 'utf8');
    expect(errorsOf(text.replace('using: composite', 'usin: composite')).length).toBeGreaterThan(0);
    expect(
      errorsOf(
        text.replace(
          '      shell: bash\n      working-directory: ${{ inputs.working-directory }}',
          '      working-directory: ${{ inputs.working-directory }}',
        ),
      ).join('\n'),
    ).toContain('shell');
  });

  it('is composite, installs chatstate from its own checkout (the action ref) and runs only chatstate', () => {
    const action = parse(readFileSync(ACTION, 'utf8')) as {
      runs: { using: string; steps: { run?: string; 'working-directory'?: string; uses?: string }[] };
      inputs: Record<string, unknown>;
      outputs: Record<string, unknown>;
    };
    expect(action.runs.using).toBe('composite');
    const install = action.runs.steps.find((s) => s.run?.includes('npm ci'));
    expect(install?.['working-directory']).toBe('${{ github.action_path }}');
    expect(install?.run).toContain('npm run build');
    const runs = action.runs.steps.map((s) => s.run ?? '').join('\n');
    expect(runs).not.toMatch(/npm (install|i) (-g|--global)|npx chatstate/);
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['args', 'stdout', 'ok-exit-codes']));
    expect(Object.keys(action.outputs)).toContain('exitcode');
    // The commands the action runs are the `args` of the workflows that use it: checked there.
    expect(unknownInvocations(action).unknown).toEqual([]);
  });
});

describe('the examples install chatstate pinned, from its own repository', () => {
  const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yml'));

  it.each(files)('%s: no unpinned package name, every chatstate ref pinned', (file) => {
    const text = readFileSync(join(EXAMPLES, file), 'utf8');
    expect(text).not.toMatch(/npm (install|i) (-g |--global )?chatstate\b|npx chatstate|yarn (global )?add chatstate/);
    for (const m of text.matchAll(/chatstate(?:\.git)?[@#/]([\w.-]+)/g)) {
      if (m[0].startsWith('chatstate/')) continue;
      expect(m[1], `${file}: ${m[0]}`).not.toMatch(/^(main|master|latest|HEAD)$/);
    }
    for (const m of text.matchAll(/uses: (\S*chatstate\S*)/g)) expect(m[1]).toMatch(/@v?[0-9][\w.-]*$|@[0-9a-f]{40}$/);
  });

  it('GitLab: the template is included at the same pinned ref chatstate is installed from', () => {
    const ci = parse(readFileSync(join(EXAMPLES, 'gitlab-ci.yml'), 'utf8')) as {
      include: { remote: string }[];
      variables: Record<string, string>;
    };
    const ref = /\/chatstate\/([^/]+)\/examples\/gitops\/gitlab-template\.yml$/.exec(ci.include[0]!.remote)?.[1];
    expect(ref).toMatch(/^v?[0-9]/);
    expect(ci.variables['CHATSTATE_REF']).toBe(ref);
    const template = parse(readFileSync(join(EXAMPLES, 'gitlab-template.yml'), 'utf8')) as {
      variables: Record<string, string>;
      '.chatstate': { before_script: string[] };
    };
    expect(template.variables['CHATSTATE_REF']).toBe(ref);
    expect(template['.chatstate'].before_script.join('\n')).toContain('"$CHATSTATE_REPO" "$CHATSTATE_REF"');
  });

  it('GitHub: every example uses the action at one pinned ref, and masks what it prints', () => {
    for (const file of ['github-actions.yml', 'github-drift.yml']) {
      const text = readFileSync(join(EXAMPLES, file), 'utf8');
      const refs = new Set([...text.matchAll(/uses: \S+\/chatstate@(\S+)/g)].map((m) => m[1]));
      expect(refs.size, file).toBe(1);
      for (const m of text.matchAll(/args: ((?:plan|apply)\b.*)/g))
        expect(m[1], `${file}: ${m[1]}`).toContain('--mask');
    }
  });
});
