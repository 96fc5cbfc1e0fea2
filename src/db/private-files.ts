import { chmodSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Makes `dir` and everything in it private to this user (directories 0700, files 0600) and
 * returns how many entries it changed. PGlite creates its files 0666 whatever the umask; the
 * 0700 directory already keeps others out, and this keeps them out of every file too.
 * Symbolic links are left alone (their target is not ours to change).
 */
export function makePrivate(dir: string): number {
  let changed = 0;
  const fix = (path: string, isDir: boolean) => {
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (!stat || stat.isSymbolicLink()) return;
    const wanted = isDir ? 0o700 : 0o600;
    const mode = stat.mode & 0o777;
    // Files keep an owner's execute bit they may have; only group and other bits go.
    if ((mode & 0o077) === 0 && (!isDir || (mode & 0o700) === 0o700)) return;
    chmodSync(path, isDir ? wanted : (mode & 0o700) | 0o600);
    changed += 1;
  };
  fix(dir, true);
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    fix(join(entry.parentPath, entry.name), entry.isDirectory());
  }
  return changed;
}
