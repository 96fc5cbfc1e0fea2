import { sql } from 'drizzle-orm';
import type { Db, Engine } from '../db/database.js';
import { queryRows } from '../db/query.js';
import { runRowToRun, selectHistoryMark, selectRunAfter } from './sync-runs.repository.js';
import type { SyncRunResult } from './sync.schema.js';

/**
 * How a run may share: a plain sync may join any running real sync (forced or not), a forced
 * one only a forced one; `exclusive` runs (dry runs, applying a held plan) never join, they wait.
 */
export type RunMode = 'sync' | 'force' | 'exclusive';

const canJoin = (caller: RunMode, running: RunMode): boolean =>
  (caller === 'sync' && running !== 'exclusive') || (caller === 'force' && running === 'force');

// The first key of the two-key advisory lock space: "sync" runs. Two-key and one-key locks never collide.
const lockClass = 0x73796e63 & 0x7fffffff;

interface InFlight {
  mode: RunMode;
  promise: Promise<SyncRunResult>;
}

const inFlightByDb = new WeakMap<Db, Map<number, InFlight>>();

// Each PostgreSQL run holds one pooled connection for its lock and needs another for its work:
// bounding the runs that hold a lock keeps a pool of more than this many connections from
// deadlocking (every connection a lock holder's, no connection left for any work).
export const maxConcurrentLockedRuns = 4;
const lockSlotsByDb = new WeakMap<Db, Semaphore>();

interface Semaphore {
  run<T>(work: () => Promise<T>): Promise<T>;
}

function createSemaphore(size: number): Semaphore {
  let free = size;
  const waiting: (() => void)[] = [];
  return {
    async run(work) {
      if (free > 0) free -= 1;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await work();
      } finally {
        const next = waiting.shift();
        if (next) next();
        else free += 1;
      }
    },
  };
}

/**
 * Runs `work` as the only run of the module: in this process through a map of in-flight runs
 * (a joining caller gets the running one's result), and on PostgreSQL across processes through
 * an advisory lock held by a transaction for the whole run. A caller that had to wait for another
 * process's run of the same module gets that run's result when it may join it.
 */
export async function withModuleLock(
  deps: { db: Db; engine: Engine },
  moduleId: number,
  mode: RunMode,
  work: () => Promise<SyncRunResult>,
): Promise<SyncRunResult> {
  let inFlight = inFlightByDb.get(deps.db);
  if (!inFlight) inFlightByDb.set(deps.db, (inFlight = new Map<number, InFlight>()));
  for (;;) {
    const running = inFlight.get(moduleId);
    if (!running) break;
    if (canJoin(mode, running.mode)) return running.promise;
    await running.promise.catch(() => undefined);
  }
  const map = inFlight;
  const promise = (
    deps.engine === 'postgres' ? withAdvisoryLock(deps.db, moduleId, mode, work) : work()
  ).finally(() => {
    if (map.get(moduleId)?.promise === promise) map.delete(moduleId);
  });
  map.set(moduleId, { mode, promise });
  return promise;
}

async function withAdvisoryLock(
  db: Db,
  moduleId: number,
  mode: RunMode,
  work: () => Promise<SyncRunResult>,
): Promise<SyncRunResult> {
  let slots = lockSlotsByDb.get(db);
  if (!slots) lockSlotsByDb.set(db, (slots = createSemaphore(maxConcurrentLockedRuns)));
  return slots.run(() => withAdvisoryLockNow(db, moduleId, mode, work));
}

async function withAdvisoryLockNow(
  db: Db,
  moduleId: number,
  mode: RunMode,
  work: () => Promise<SyncRunResult>,
): Promise<SyncRunResult> {
  // A run folded into the newest row moves its run count, not its id: the mark holds both.
  const baseline = await selectHistoryMark(db, moduleId);
  // The lock transaction only holds the lock; the run itself uses its own transactions.
  return db.transaction(async (lockTx) => {
    const [attempt] = await queryRows<{ locked: boolean }>(
      lockTx,
      sql`select pg_try_advisory_xact_lock(${lockClass}::int, ${moduleId}::int) as locked`,
    );
    if (!attempt?.locked) {
      await lockTx.execute(sql`select pg_advisory_xact_lock(${lockClass}::int, ${moduleId}::int)`);
      if (mode === 'sync') {
        const other = await selectRunAfter(lockTx, moduleId, baseline);
        if (other) return runRowToRun(other);
      }
    }
    return work();
  });
}
