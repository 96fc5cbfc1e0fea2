import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../shared/errors.js';

/** What the owner of a PGlite data directory writes into its lock file. */
export interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
  command: string;
  /** Where the owning server takes forwarded CLI commands, once it listens. */
  controlUrl?: string;
}

export interface DataDirLock {
  readonly path: string;
  readonly owner: LockOwner;
  /** Rewrites the lock with more facts about the owner (e.g. its control URL). */
  update(extra: Partial<LockOwner>): void;
  release(): void;
}

export const lockFileName = 'os-catalog.lock';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Reads the lock file of `dataDir`; undefined when there is none or its owner has died. */
export function readLockOwner(dataDir: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(join(dataDir, lockFileName), 'utf8')) as LockOwner;
    if (owner.hostname === hostname() && !isAlive(owner.pid)) return undefined;
    return owner;
  } catch {
    return undefined;
  }
}

export const describeOwner = (owner: LockOwner): string =>
  `process ${owner.pid} on ${owner.hostname} (${owner.command}, since ${owner.startedAt})`;

/**
 * Takes the exclusive lock of a PGlite data directory. PGlite itself takes none, and a second
 * process on the same directory loses writes or corrupts it, so a live owner makes this refuse.
 */
export function acquireDataDirLock(dataDir: string, command: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, lockFileName);
  let owner: LockOwner = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
    command,
  };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify(owner));
      closeSync(fd);
      let released = false;
      return {
        path,
        get owner() {
          return owner;
        },
        update(extra) {
          owner = { ...owner, ...extra };
          const tmp = openSync(path, 'w', 0o600);
          writeSync(tmp, JSON.stringify(owner));
          closeSync(tmp);
        },
        release() {
          if (released) return;
          released = true;
          rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const current = readLockOwner(dataDir);
      if (current) {
        throw new AppError(
          'locked',
          `data directory ${dataDir} is in use by ${describeOwner(current)}; stop it first, or run the command through it`,
          { owner: current },
        );
      }
      // The previous owner died without cleaning up: the lock is stale.
      rmSync(path, { force: true });
    }
  }
  throw new AppError('locked', `could not take the lock on data directory ${dataDir}`);
}
