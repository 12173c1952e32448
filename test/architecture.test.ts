import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';

/** Lints the architecture (style.md #12): what each layer may import. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const SRC = join(ROOT, 'src');
const files = sources(SRC).map((file) => ({
  file: relative(SRC, file),
  imports: [...readFileSync(file, 'utf8').matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]!),
  text: readFileSync(file, 'utf8'),
}));
const IO_MODULES =
  /^(node:)?(fs|fs\/promises|http|https|net|child_process|readline|readline\/promises|dgram|tls)$|^undici$/;

describe('architecture', () => {
  it('the planner, the renderers and the config model import no I/O module and no HTTP client', () => {
    const pure = files.filter(
      (f) =>
        f.file.startsWith('plan/') ||
        f.file.startsWith('render/') ||
        f.file.startsWith('model/') ||
        f.file === 'config/model.ts',
    );
    expect(pure.length).toBeGreaterThan(8);
    for (const f of pure) for (const i of f.imports) expect(IO_MODULES.test(i), `${f.file} imports ${i}`).toBe(false);
    for (const f of pure)
      for (const i of f.imports)
        expect(
          /\/(http|engine|apply|cli|providers\/(green-api|wabotify|2chat))\//.test(i) ||
            /\.\.\/(http|engine|apply|cli)\//.test(i),
          `${f.file} imports ${i}`,
        ).toBe(false);
  });

  it("src/model (the plan's vocabulary) imports nothing of the project and no module at all but its own files", () => {
    const model = files.filter((f) => f.file.startsWith('model/'));
    expect(model.length).toBeGreaterThanOrEqual(4);
    for (const f of model)
      for (const i of f.imports) expect(/^\.\/[a-z-]+\.js$/.test(i), `${f.file} imports ${i}`).toBe(true);
  });

  it('the vocabulary is defined once, in src/model', () => {
    const vocabulary =
      /^export (type|interface) (CollectionKind|CollectionRef|ObservedItem|ObservedCollection|ItemFacts|Action|ActionType|ActionTarget|ActionOutcome|OutcomeKind|Plan|PlannedCollection|Decision|ProviderType)\b/m;
    for (const f of files.filter((x) => !x.file.startsWith('model/')))
      expect(vocabulary.test(f.text), `${f.file} defines plan vocabulary outside src/model`).toBe(false);
  });

  it('providers know nothing of YAML, plans, terminals or the CLI', () => {
    for (const f of files.filter((x) => x.file.startsWith('providers/'))) {
      for (const i of f.imports)
        expect(
          /\/(plan|cli|engine|apply)\/|^yaml$|\/render\/(text|markdown|json)/.test(i),
          `${f.file} imports ${i}`,
        ).toBe(false);
    }
  });

  it('the emulator shares only shared/ with the client side', () => {
    for (const f of files.filter((x) => x.file.startsWith('emulator/'))) {
      for (const i of f.imports.filter((x) => x.startsWith('.')))
        expect(
          /^\.\.?\/(\.\.\/)?(shared\/|routes\/|[a-z-]+\.js$)/.test(i) &&
            !/\/(http|providers|plan|config|cli|engine|apply|render)\//.test(i),
          `${f.file} imports ${i}`,
        ).toBe(true);
    }
  });

  it('only the HTTP layer imports undici; only the entry point exits the process; nobody uses console', () => {
    for (const f of files) {
      if (f.imports.includes('undici')) expect(f.file.startsWith('http/'), f.file).toBe(true);
      if (/process\.exit\(/.test(f.text)) expect(f.file).toBe('cli/main.ts');
      expect(/\bconsole\./.test(f.text), f.file).toBe(false);
    }
  });
});
