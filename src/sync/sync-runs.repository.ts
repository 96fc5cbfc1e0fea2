import { and, desc, eq, getTableColumns, gt, lt, ne, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/database.js';
import { queryRows } from '../db/query.js';
import { cutText, maxStoredMessageChars } from '../shared/text.js';
import { processingModules } from '../modules/modules.tables.js';
import { syncRuns } from './sync.tables.js';
import type { GuardReason } from './sync.guard.js';
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

/** A newer plan replaces every older held plan of the module that is still pending. */
/** Supersedes the module's other pending held runs; returns how many there were. */
export async function supersedePendingHeldRuns(
  tx: Tx,
  moduleId: number,
  exceptRunId: number,
  at: Date,
): Promise<number> {
  const rows = await tx
    .update(syncRuns)
    .set({ heldState: 'superseded', heldResolvedAt: at, heldResolvedBy: 'sync' })
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

/** The newest run id of a module (0 when none), to spot a run another process finished meanwhile. */
export async function selectLatestRunId(db: DbOrTx, moduleId: number): Promise<number> {
  const rows = await queryRows<{ id: string | number | null }>(
    db,
    sql`select max(id) as id from sync_runs where module_id = ${moduleId}`,
  );
  return Number(rows[0]?.id ?? 0);
}

/** The newest non-dry run of a module after `afterId`, if another process recorded one. */
export async function selectRunAfter(db: DbOrTx, moduleId: number, afterId: number) {
  const rows = await db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.moduleId, moduleId), gt(syncRuns.id, afterId), ne(syncRuns.outcome, 'dry_run')))
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

/** How many runs each module has recorded, by outcome (module by name). */
export async function countSyncRunsByOutcome(
  db: DbOrTx,
): Promise<{ module: string; outcome: string; n: number }[]> {
  return queryRows(
    db,
    sql`select m.name as module, r.outcome, count(*)::int as n
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
