/** Plain words for the file-system error codes a user can fix. */
const HINTS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EEXIST: 'a part of the path is a file, not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EISDIR: 'it is a directory',
  ENOENT: 'no such file or directory',
  ENAMETOOLONG: 'the name is too long',
};

/** `ENOSPC (no space left on the device)`, or the code alone. */
export const describeCode = (code: string): string => (HINTS[code] ? `${code} (${HINTS[code]})` : code);

/** A Node.js system error from the file system (it carries `code`, `syscall` and `path`). */
export function isFileSystemError(err: unknown): err is NodeJS.ErrnoException & { code: string; path: string } {
  const e = err as NodeJS.ErrnoException | null;
  return (
    err instanceof Error && typeof e?.code === 'string' && typeof e.path === 'string' && typeof e.syscall === 'string'
  );
}

const VERBS: Readonly<Record<string, string>> = {
  mkdir: 'create a directory for',
  open: 'open',
  write: 'write',
  rename: 'write',
  chmod: 'write',
  stat: 'read',
  read: 'read',
};

/** `cannot write plan.json: ENOTDIR (a part of the path is a file, not a directory)`. */
export function describeFileSystemError(err: NodeJS.ErrnoException & { code: string; path: string }): string {
  return `cannot ${VERBS[err.syscall ?? ''] ?? err.syscall ?? 'use'} ${err.path}: ${describeCode(err.code)}`;
}
