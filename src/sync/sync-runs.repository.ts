import { and, desc, eq, getTableColumns, gt, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/database.js';
import { queryRows } from '../db/query.js';
import { cutText, maxStoredMessageChars } from '../shared/text.js';
import { processingModules } from '../modules/modules.tables.js';
import { syncRuns } from './sync.tables.js';
import type { GuardReason } from './sync.guard.js';
import { isHeldAgain, isRepeatOf } from './sync.fold.js';
import type { SyncCounts, SyncPlan, UpstreamSet } from './sync.plan.js';
import {
  emptyCounts,
  type HeldState,
  type SyncOutcome,
  type SyncRunResult,
  type SyncRunSummary,
  type SyncTrigger,
} from './sync.schema.js';

type RunRow = typeof syncRuns.$inferSelect;

/** The one place that knows both a run row and the run shape. */
export const runRowToRun = (row: RunRow): SyncRunResult => {
  const stored = (row.diff as Partial<SyncPlan> | null) ?? null;
  // Diffs recorded before skipped and unavailable templates were kept have neither list.
  const diff = stored ? ({ unavailable: [], skipped: [], ...stored } as SyncPlan) : null;
  return { ...runRowToSummary(row), diff };
};

export const runRowToSummary = (row: Omit<RunRow, 'diff' | 'upstream'>): SyncRunSummary => ({
  runId: row.id,
  moduleId: row.moduleId,
  trigger: row.trigger as SyncTrigger,
  outcome: row.outcome as SyncOutcome,
  // Runs recorded before a count existed read it as 0.
  counts: { ...emptyCounts(), ...(row.counts as Partial<SyncCounts> | null) },
  guardReason: (row.guardReason as GuardReason | null) ?? null,
  guardMessage: row.guardMessage,
  error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? '' } : null,
  heldState: (row.heldState as HeldState | null) ?? null,
  heldResolvedAt: row.heldResolvedAt,
  heldResolvedBy: row.heldResolvedBy,
  appliedFromRunId: row.appliedFromRunId,
  slot: row.slot,
  actor: row.actor,
  startedAt: row.startedAt,
  finishedAt: row.finishedAt,
  runCount: row.runCount,
  lastFinishedAt: row.lastFinishedAt ?? row.finishedAt,
});

export interface NewRun {
  moduleId: number;
  trigger: SyncTrigger;
  outcome: SyncOutcome;
  startedAt: Date;
  finishedAt: Date;
  counts: SyncCounts;
  diff: SyncPlan | null;
  guardReason: GuardReason | null;
  upstream: UpstreamSet | null;
  error: { code: string; message: string } | null;
  actor: string | null;
  slot: Date | null;
  appliedFromRunId: number | null;
}

/**
 * Records one finished run. The diff and upstream set are not read back (they can be large and
 * were just written): the returned row carries the values passed in.
 */
export async function insertSyncRun(db: DbOrTx, run: NewRun): Promise<RunRow> {
  const { diff: _diff, upstream: _upstream, ...columns } = getTableColumns(syncRuns);
  const rows = await db
    .insert(syncRuns)
    .values({
      moduleId: run.moduleId,
      trigger: run.trigger,
      outcome: run.outcome,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      counts: run.counts,
      diff: run.diff,
      guardReason: run.guardReason,
      guardMessage: run.diff?.guard?.message ?? null,
      heldState: run.outcome === 'held' ? 'pending' : null,
      upstream: run.upstream,
      errorCode: run.error?.code ?? null,
      // Upstream text can be any size: history keeps a few KB, marked as cut.
      errorMessage: run.error ? cutText(run.error.message, maxStoredMessageChars) : null,
      actor: run.actor,
      slot: run.slot,
      appliedFromRunId: run.appliedFromRunId,
    })
    .returning(columns);
  return { ...rows[0]!, diff: run.diff, upstream: run.upstream };
}

/**
 * Records one finished run (the row it was recorded in is returned): a repeat of the module's
 * newest run (`isRepeatOf`), or a held run holding the same plan as the module's pending held run
 * (`isHeldAgain`), is folded into that row (its run count goes up, its last finish moves, its id
 * stays), anything else is a row of its own.
 * The caller holds the module's row lock (`lockModuleRow`), which every planning run takes first:
 * two runs of one module, in any process, read and fold one after the other, so no count is lost
 * and no second row appears where one was meant.
 */
export async function recordSyncRun(tx: Tx, run: NewRun): Promise<RunRow> {
  const recorded = { ...run, errorCode: null, heldState: null };
  const into =
    run.outcome === 'no_change'
      ? await selectNewestRunToFold(tx, run.moduleId)
      : run.outcome === 'held'
        ? await selectPendingHeldRun(tx, run.moduleId)
        : undefined;
  if (into && (isRepeatOf(into, recorded) || isHeldAgain(into, recorded))) {
    const { diff: _diff, upstream: _upstream, ...columns } = getTableColumns(syncRuns);
    const rows = await tx
      .update(syncRuns)
      .set({ runCount: sql`${syncRuns.runCount} + 1`, lastFinishedAt: run.finishedAt })
      .where(eq(syncRuns.id, into.id))
      .returning(columns);
    // The entry keeps its first run's diff (and a held one its upstream set, the same plan); the
    // caller gets its own run's plan (the same, but for `shortcut`).
    return { ...rows[0]!, diff: run.diff, upstream: null };
  }
  return insertSyncRun(tx, run);
}

const foldColumns = {
  id: syncRuns.id,
  outcome: syncRuns.outcome,
  trigger: syncRuns.trigger,
  actor: syncRuns.actor,
  counts: syncRuns.counts,
  errorCode: syncRuns.errorCode,
  heldState: syncRuns.heldState,
  appliedFromRunId: syncRuns.appliedFromRunId,
};
const asFoldable = <T extends { outcome: string; counts: unknown }>(row: T | undefined) =>
  row ? { ...row, outcome: row.outcome as SyncOutcome, counts: row.counts as SyncCounts } : undefined;

// The module's pending held run (a held run supersedes the others, so there is one at most), with
// its diff: the plan a new held run is compared with.
async function selectPendingHeldRun(tx: Tx, moduleId: number) {
  const rows = await tx
    .select({ ...foldColumns, diff: sql<SyncPlan | null>`${syncRuns.diff}` })
    .from(syncRuns)
    .where(and(eq(syncRuns.moduleId, moduleId), eq(syncRuns.heldState, 'pending')))
    .orderBy(desc(syncRuns.id))
    .limit(1);
  return asFoldable(rows[0]);
}

// The module's newest run, with its diff only when it could be folded into (an applied run's
// diff can be megabytes; a no-change run's is its unavailable, skipped and duplicate lists).
async function selectNewestRunToFold(tx: Tx, moduleId: number) {
  const rows = await tx
    .select({
      ...foldColumns,
      diff: sql<SyncPlan | null>`case when ${syncRuns.outcome} = 'no_change' then ${syncRuns.diff} end`,
    })
    .from(syncRuns)
    .where(eq(syncRuns.moduleId, moduleId))
    .orderBy(desc(syncRuns.id))
    .limit(1);
  return asFoldable(rows[0]);
}

/** Supersedes the module's other pending held runs; returns how many there were. */
export async function supersedePendingHeldRuns(
  tx: Tx,
  moduleId: number,
  exceptRunId: number,
  at: Date,
): Promise<number> {
  const rows = await tx
    .update(syncRuns)
    // A superseded run can never be applied: its upstream set (the size of VMmanager's whole list)
    // goes, its diff stays. A module held on every 30 s slot would otherwise keep one per slot.
    .set({ heldState: 'superseded', heldResolvedAt: at, heldResolvedBy: 'sync', upstream: null })
    .where(
      and(eq(syncRuns.moduleId, moduleId), eq(syncRuns.heldState, 'pending'), ne(syncRuns.id, exceptRunId)),
    )
    .returning({ id: syncRuns.id });
  return rows.length;
}

/** Resolves a held run (applied or discarded). */
export async function resolveHeldRun(tx: Tx, runId: number, state: HeldState, actor: string, at: Date) {
  const rows = await tx
    .update(syncRuns)
    .set({ heldState: state, heldResolvedAt: at, heldResolvedBy: actor })
    .where(eq(syncRuns.id, runId))
    .returning();
  return rows[0]!;
}

export async function selectSyncRunRow(db: DbOrTx, runId: number, forUpdate = false) {
  const query = db.select().from(syncRuns).where(eq(syncRuns.id, runId));
  const rows = forUpdate ? await query.for('update') : await query;
  return rows[0];
}

/** Runs newest first, without diff and upstream set (they can be large). */
export async function selectSyncRunSummaries(
  db: DbOrTx,
  filter: { moduleId?: number; beforeId?: number; limit: number },
): Promise<SyncRunSummary[]> {
  const conditions: SQL[] = [];
  if (filter.moduleId !== undefined) conditions.push(eq(syncRuns.moduleId, filter.moduleId));
  if (filter.beforeId !== undefined) conditions.push(lt(syncRuns.id, filter.beforeId));
  const { diff: _diff, upstream: _upstream, ...columns } = getTableColumns(syncRuns);
  const rows = await db
    .select(columns)
    .from(syncRuns)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(syncRuns.id))
    .limit(filter.limit);
  return rows.map(runRowToSummary);
}

/**
 * Where a module's history stands: its newest row and how many runs that row stands for, and the
 * same for its pending held run, which a held run folds into even when it is not the newest.
 */
export interface HistoryMark {
  id: number;
  runCount: number;
  pendingHeld: { id: number; runCount: number } | null;
}

/** The newest run of a module ({0, 0} when none), to spot a run another process finished meanwhile. */
export async function selectHistoryMark(db: DbOrTx, moduleId: number): Promise<HistoryMark> {
  const newest = await db
    .select({ id: syncRuns.id, runCount: syncRuns.runCount })
    .from(syncRuns)
    .where(eq(syncRuns.moduleId, moduleId))
    .orderBy(desc(syncRuns.id))
    .limit(1);
  const pending = await db
    .select({ id: syncRuns.id, runCount: syncRuns.runCount })
    .from(syncRuns)
    .where(and(eq(syncRuns.moduleId, moduleId), eq(syncRuns.heldState, 'pending')))
    .orderBy(desc(syncRuns.id))
    .limit(1);
  return { ...(newest[0] ?? { id: 0, runCount: 0 }), pendingHeld: pending[0] ?? null };
}

/**
 * The newest non-dry run of a module recorded after `mark`, if another process recorded one: a
 * newer row, or the marked row (or pending held row) with more runs folded into it.
 */
export async function selectRunAfter(db: DbOrTx, moduleId: number, mark: HistoryMark) {
  const moved = [
    gt(syncRuns.id, mark.id),
    and(eq(syncRuns.id, mark.id), gt(syncRuns.runCount, mark.runCount)),
  ];
  if (mark.pendingHeld)
    moved.push(and(eq(syncRuns.id, mark.pendingHeld.id), gt(syncRuns.runCount, mark.pendingHeld.runCount)));
  const rows = await db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.moduleId, moduleId), ne(syncRuns.outcome, 'dry_run'), or(...moved)))
    .orderBy(desc(syncRuns.id))
    .limit(1);
  return rows[0];
}

/** Health after a run that reached VMmanager and settled the catalog. */
export async function markModuleSynced(tx: Tx, moduleId: number, at: Date, mark: NothingToDoMark | null) {
  await tx
    .update(processingModules)
    .set({
      lastSuccessAt: at,
      consecutiveFailures: 0,
      syncUpstreamHash: mark?.upstreamHash ?? null,
      syncCatalogRevision: mark?.catalogRevision ?? null,
    })
    .where(eq(processingModules.id, moduleId));
}

/** A module's upstream set and catalog revision at which a full plan has nothing to do. */
export interface NothingToDoMark {
  upstreamHash: string;
  catalogRevision: number;
}

/** Health after a failed run. */
/** Records a failed run on the module; returns its consecutive failures, this one included. */
export async function markModuleFailed(
  db: DbOrTx,
  moduleId: number,
  message: string,
  at: Date,
): Promise<number> {
  const rows = await db
    .update(processingModules)
    .set({
      lastFailureAt: at,
      lastFailureMessage: cutText(message, maxStoredMessageChars),
      consecutiveFailures: sql`${processingModules.consecutiveFailures} + 1`,
    })
    .where(eq(processingModules.id, moduleId))
    .returning({ consecutiveFailures: processingModules.consecutiveFailures });
  return rows[0]?.consecutiveFailures ?? 0;
}

/** How many runs each module's history holds, by outcome (module by name; folded runs each count). */
export async function countSyncRunsByOutcome(
  db: DbOrTx,
): Promise<{ module: string; outcome: string; n: number }[]> {
  return queryRows(
    db,
    sql`select m.name as module, r.outcome, sum(r.run_count)::int as n
        from sync_runs r join processing_modules m on m.id = r.module_id
        group by m.name, r.outcome`,
  );
}

/** How long each of the latest `limit` finished runs took, in seconds (module by name). */
export async function selectRecentRunDurations(
  db: DbOrTx,
  limit: number,
): Promise<{ module: string; seconds: number }[]> {
  return queryRows(
    db,
    sql`select m.name as module,
          extract(epoch from (r.finished_at - r.started_at))::float8 as seconds
        from (select * from sync_runs where finished_at is not null order by id desc limit ${limit}) r
        join processing_modules m on m.id = r.module_id`,
  );
}
