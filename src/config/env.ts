/**
 * `${VAR}` and `${VAR:-default}` interpolation. `$${` writes a literal `${`. Returns the resolved
 * text and the variables that were missing (with their offset in the text, for error positions).
 */
const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export interface Interpolated {
  readonly value: string;
  /** `empty`: the variable is set, to the empty string (reported as such, not as unset). */
  readonly missing: readonly { name: string; offset: number; empty: boolean }[];
  /** The variables it read, in order. */
  readonly names: readonly string[];
}

export function interpolate(text: string, env: NodeJS.ProcessEnv): Interpolated {
  const missing: { name: string; offset: number; empty: boolean }[] = [];
  const names: string[] = [];
  const value = text.replace(
    REFERENCE,
    (whole: string, name: string | undefined, fallback: string | undefined, offset: number) => {
      if (whole === '$${') return '${';
      if (name === undefined) return whole;
      names.push(name);
      const v = env[name];
      if (v !== undefined && v !== '') return v;
      if (fallback !== undefined) return fallback;
      missing.push({ name, offset, empty: v === '' });
      return '';
    },
  );
  return { value, missing, names };
}

/** Whether a string holds a reference at all (only those are interpolated). */
export const hasReference = (text: string): boolean => text.includes('${');
