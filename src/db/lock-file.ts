import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
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

/** What the lock file says: nobody, a live owner, a dead one, or nothing that can be trusted. */
type LockState =
  | { kind: 'none' }
  | { kind: 'owner'; owner: LockOwner }
  | { kind: 'stale'; text: string }
  | { kind: 'unreadable'; reason: string };

const isOwner = (value: unknown): value is LockOwner => {
  const v = value as Partial<LockOwner> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    Number.isSafeInteger(v.pid) &&
    (v.pid ?? 0) > 0 &&
    typeof v.hostname === 'string' &&
    typeof v.startedAt === 'string' &&
    typeof v.command === 'string'
  );
};

function readLockState(path: string): LockState {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { kind: 'none' } : { kind: 'unreadable', reason: code ?? 'read failed' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'unreadable', reason: text.trim() === '' ? 'empty' : 'damaged' };
  }
  if (!isOwner(parsed)) return { kind: 'unreadable', reason: 'not an owner record' };
  // Only an owner on this host can be known dead; one elsewhere (a shared disk) is taken as live.
  if (parsed.hostname === hostname() && !isAlive(parsed.pid)) return { kind: 'stale', text };
  return { kind: 'owner', owner: parsed };
}

/** Reads the lock file of `dataDir`; undefined when there is no live owner it can name. */
export function readLockOwner(dataDir: string): LockOwner | undefined {
  const state = readLockState(join(dataDir, lockFileName));
  return state.kind === 'owner' ? state.owner : undefined;
}

export const describeOwner = (owner: LockOwner): string =>
  `process ${owner.pid} on ${owner.hostname} (${owner.command}, since ${owner.startedAt})`;

/** Writes `text` to a new private file beside `path` (flushed), for a link or rename into place. */
function writeTemporary(path: string, text: string): string {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return tmp;
}

/** Creates the lock file whole or not at all: a hard link fails if it exists, and is never empty. */
function createWhole(path: string, text: string): boolean {
  const tmp = writeTemporary(path, text);
  try {
    linkSync(tmp, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // A file system without hard links: an exclusive create written in one call instead.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') return createExclusive(path, text);
    throw error;
  } finally {
    rmSync(tmp, { force: true });
  }
}

function createExclusive(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Removes a dead owner's lock, and only that one: it is first moved aside (one process wins the
 * move), then checked to be the file judged stale; a fresh lock moved by mistake goes back.
 */
function removeStale(path: string, staleText: string): void {
  const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else moved it
    throw error;
  }
  if (readFileSync(aside, 'utf8') !== staleText) {
    try {
      linkSync(aside, path);
    } catch {
      // a newer lock is in place already; ours was stale after all
    }
  }
  rmSync(aside, { force: true });
}

const refuseUnreadable = (dataDir: string, path: string, reason: string) =>
  new AppError(
    'locked',
    `data directory ${dataDir} has a lock file that cannot be read (${reason}), so its owner is unknown; ` +
      `if no os-catalog process uses this directory (check with ps), remove ${path} and start again`,
    { path, reason },
  );

/**
 * Takes the exclusive lock of a PGlite data directory. PGlite itself takes none, and a second
 * process on the same directory loses writes or corrupts it, so a live owner makes this refuse,
 * and so does a lock file that cannot be read: it is never taken for "no owner".
 */
export function acquireDataDirLock(dataDir: string, command: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, lockFileName);
  let owner: LockOwner = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
    command,
  };
  for (let attempt = 0; attempt < 5; attempt += 1) {
    if (createWhole(path, JSON.stringify(owner)))
      return heldLock(
        path,
        () => owner,
        (o) => (owner = o),
      );
    const state = readLockState(path);
    if (state.kind === 'owner') {
      throw new AppError(
        'locked',
        `data directory ${dataDir} is in use by ${describeOwner(state.owner)}; stop it first, or run the command through it`,
        { owner: state.owner },
      );
    }
    if (state.kind === 'unreadable') throw refuseUnreadable(dataDir, path, state.reason);
    if (state.kind === 'stale') removeStale(path, state.text);
  }
  throw new AppError('locked', `could not take the lock on data directory ${dataDir}`);
}

function heldLock(path: string, current: () => LockOwner, set: (owner: LockOwner) => void): DataDirLock {
  let released = false;
  return {
    path,
    get owner() {
      return current();
    },
    update(extra) {
      const next = { ...current(), ...extra };
      // Replaced in one rename: a reader sees the old record or the new one, never a part.
      renameSync(writeTemporary(path, JSON.stringify(next)), path);
      set(next);
    },
    release() {
      if (released) return;
      released = true;
      rmSync(path, { force: true });
    },
  };
}
