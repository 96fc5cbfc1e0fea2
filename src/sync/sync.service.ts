import type { Db, Engine, Tx } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { isAppError, notFound } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { OutboundAllowList } from '../shared/outbound.js';
import { cutText, maxStoredMessageChars } from '../shared/text.js';
import type { SecretBox } from '../shared/secrets.js';
import { parseWith } from '../shared/validate.js';
import { Id } from '../shared/primitives.schema.js';
import { selectModuleRow, type ModuleRow } from '../modules/modules.repository.js';
import type { VmmanagerClientFactory } from '../vmmanager6/vmmanager6.factory.js';
import { alertOf, createAlertSender } from './sync.alerts.js';
import { createModuleClients } from './sync.clients.js';
import { decideRun } from './sync.decide.js';
import { countPlan, type SyncPlan } from './sync.plan.js';
import {
  bumpCatalogRevision,
  disconnectValues,
  insertAddedValues,
  lockModuleRow,
  markUnavailable,
  takeOverCatalogRevision,
  updateSyncOwnedFields,
  upsertConnections,
} from './sync.repository.js';
import {
  insertSyncRun,
  markModuleFailed,
  markModuleSynced,
  recordSyncRun,
  runRowToRun,
  selectSyncRunRow,
  selectSyncRunSummaries,
  supersedePendingHeldRuns,
} from './sync-runs.repository.js';
import {
  emptyCounts,
  SyncRunQuery,
  type SyncRunResult,
  type SyncRunSummary,
  type SyncStage,
} from './sync.schema.js';
import { hashUpstream, parseStoredUpstream, type FetchedUpstream } from './sync.upstream.js';
import { withModuleLock, type RunMode } from './sync.lock.js';
import { recordHeldResolution, requirePendingHeld, storedUpstream, type HeldSource } from './sync-held.js';
import { announceListChanges } from '../webhooks/change-feed.js';
import { announceFailedRun, announceHeldRun } from './sync.events.js';

export interface SyncServiceDeps {
  db: Db;
  /** On PostgreSQL, runs of one module are also serialised across processes (advisory lock). */
  engine?: Engine;
  clock: Clock;
  logger: Logger;
  secrets: SecretBox;
  vmmanagerClientFactory: VmmanagerClientFactory;
  /** Global alert webhook (`OSCAT_ALERT_WEBHOOK`); each module may add its own. */
  alertWebhook?: string | undefined;
  /** `OSCAT_OUTBOUND_ALLOW`: where alert webhooks may go. */
  outboundAllow?: OutboundAllowList | undefined;
  /** Test seam: runs inside the apply transaction after its first statement. */
  hooks?: { afterFirstApplyStatement?: () => Promise<void> };
}

export interface RunSyncOptions {
  trigger: 'initial' | 'schedule' | 'manual';
  dryRun?: boolean;
  /** Skip the guard: an admin said so. */
  force?: boolean;
  actor?: string;
  /** The scheduled slot this run belongs to (recorded with the run). */
  slot?: Date;
  onProgress?: (stage: SyncStage, info?: Record<string, unknown>) => void;
}

export type SyncService = ReturnType<typeof createSyncService>;

/**
 * One sync of one processing module: fetch → parse → plan → guard → apply → record. At most one
 * run per module at a time; a caller arriving during a run gets that run's result.
 */
export function createSyncService(deps: SyncServiceDeps) {
  const { db, clock, logger } = deps;
  const alerts = createAlertSender({ logger, allow: deps.outboundAllow });
  const lockDeps = { db, engine: deps.engine ?? 'pglite' };

  const requireModule = async (moduleId: number): Promise<ModuleRow> => {
    parseWith(Id, moduleId, { what: 'moduleId' });
    const module = await selectModuleRow(db, moduleId);
    if (!module) throw notFound('module', moduleId);
    return module;
  };

  const clients = createModuleClients(deps.vmmanagerClientFactory, deps.secrets);

  // Returns the catalog revision the apply leaves (it bumps it itself, as its last write).
  const applyPlan = async (tx: Tx, module: ModuleRow, parameterId: number, plan: SyncPlan, at: Date) => {
    await takeOverCatalogRevision(tx);
    await insertAddedValues(tx, parameterId, plan, at);
    await deps.hooks?.afterFirstApplyStatement?.();
    await updateSyncOwnedFields(tx, plan, at);
    await upsertConnections(tx, module.id, parameterId, plan, at);
    await markUnavailable(tx, module.id, plan, at);
    await disconnectValues(tx, module.id, plan, at);
    return bumpCatalogRevision(tx);
  };

  const planAndApply = async (
    tx: Tx,
    module: ModuleRow,
    upstream: FetchedUpstream,
    options: RunSyncOptions,
    startedAt: Date,
    held: HeldSource | undefined,
  ): Promise<{ run: SyncRunResult; heldAgain: boolean }> => {
    const locked = await lockModuleRow(tx, module.id);
    if (!locked) throw notFound('module', module.id);
    if (held) await requirePendingHeld(tx, held.runId, true);
    const decision = await decideRun(tx, {
      module,
      locked,
      upstream,
      upstreamHash: upstream.hash,
      dryRun: options.dryRun ?? false,
      force: options.force ?? false,
      replan: held !== undefined,
    });
    const { plan, outcome } = decision;
    const counts = countPlan(plan, upstream);
    const at = clock.now();
    // The module's "nothing to do" mark: a no-change plan is empty at the revision it read.
    let mark =
      outcome === 'no_change'
        ? { upstreamHash: upstream.hash, catalogRevision: decision.catalogRevision }
        : null;
    if (outcome === 'applied') {
      options.onProgress?.('applying', counts);
      const revision = await applyPlan(tx, module, decision.parameterId, plan, at);
      // The storefront lists this apply changed: one webhook event, committed with it.
      await announceListChanges(tx, at);
      // Only when nobody else changed the catalog since the plan's snapshot is the new state
      // exactly "planned state + this plan", whose re-plan is empty.
      if (revision === decision.catalogRevision + 1)
        mark = { upstreamHash: upstream.hash, catalogRevision: revision };
    }
    options.onProgress?.('recording');
    const finishedAt = clock.now();
    const row = await recordSyncRun(tx, {
      moduleId: module.id,
      trigger: options.trigger,
      outcome,
      startedAt,
      finishedAt,
      counts,
      diff: plan,
      guardReason: decision.guardReason,
      upstream: outcome === 'held' ? storedUpstream(upstream) : null,
      error: null,
      actor: options.actor ?? null,
      slot: options.slot ?? null,
      appliedFromRunId: held?.runId ?? null,
    });
    const superseded = outcome !== 'dry_run' ? await supersedePendingHeldRuns(tx, module.id, row.id, at) : 0;
    // Held again while a held plan waits: folded into it (the same plan, `isHeldAgain`, so its
    // run count is above 1) or superseding it (another plan).
    const heldAgain = outcome === 'held' && (superseded > 0 || row.runCount > 1);
    if (outcome === 'held') await announceHeldRun(tx, runRowToRun(row), module.name, heldAgain, at);
    // The health's last success is the run's end, so the two always agree.
    if (outcome === 'applied' || outcome === 'no_change')
      await markModuleSynced(tx, module.id, finishedAt, mark);
    if (held) await recordHeldResolution(tx, held.runId, 'applied', options.actor ?? 'sync', at, row.id);
    return { run: runRowToRun(row), heldAgain };
  };

  const recordFailure = async (
    module: ModuleRow,
    options: RunSyncOptions,
    startedAt: Date,
    error: unknown,
  ): Promise<SyncRunResult> => {
    const failure = isAppError(error)
      ? { code: error.code, message: cutText(error.message, maxStoredMessageChars) }
      : { code: 'internal', message: 'the sync failed on an internal error (see the service log)' };
    if (!isAppError(error)) logger.error({ err: error, moduleId: module.id }, 'sync failed');
    else logger.warn({ moduleId: module.id, code: error.code, reason: failure.message }, 'sync failed');
    const at = clock.now();
    const row = await db.transaction(async (tx) => {
      const inserted = await insertSyncRun(tx, {
        moduleId: module.id,
        trigger: options.trigger,
        outcome: 'failed',
        startedAt,
        finishedAt: at,
        counts: emptyCounts(),
        diff: null,
        guardReason: null,
        upstream: null,
        error: failure,
        actor: options.actor ?? null,
        slot: options.slot ?? null,
        appliedFromRunId: null,
      });
      if (!options.dryRun) {
        const failures = await markModuleFailed(tx, module.id, failure.message, at);
        await announceFailedRun(tx, runRowToRun(inserted), module.name, failures, at);
      }
      return inserted;
    });
    return runRowToRun(row);
  };

  const runOnce = async (moduleId: number, options: RunSyncOptions, held?: HeldSource) => {
    const startedAt = clock.now();
    const module = await requireModule(moduleId);
    let run: SyncRunResult;
    let upstream: FetchedUpstream | undefined;
    let heldAgain = false;
    try {
      options.onProgress?.('fetching');
      upstream = held
        ? { ...held.upstream, hash: hashUpstream(held.upstream) }
        : await clients.fetchUpstream(module);
    } catch (error) {
      run = await recordFailure(module, options, startedAt, error);
    }
    if (upstream) {
      try {
        options.onProgress?.('planning', { upstream: upstream.templates.length });
        const fetched = upstream;
        ({ run, heldAgain } = await db.transaction((tx) =>
          planAndApply(tx, module, fetched, options, startedAt, held),
        ));
      } catch (error) {
        if (held && isAppError(error) && (error.code === 'conflict' || error.code === 'not_found'))
          throw error;
        run = await recordFailure(module, options, startedAt, error);
      }
    }
    // Held again while a held plan waits: paged when it started waiting, not on every slot.
    const alert = heldAgain ? null : alertOf(run!, module.name);
    const urls = [deps.alertWebhook, module.webhookUrl].filter((u): u is string => Boolean(u));
    if (alert && urls.length > 0) alerts.send(urls, alert);
    return run!;
  };

  const modeOf = (options: RunSyncOptions): RunMode =>
    options.dryRun ? 'exclusive' : options.force ? 'force' : 'sync';

  return {
    /** Runs one sync of one module (or joins the one running) and returns its recorded result. */
    async runSync(moduleId: number, options: RunSyncOptions): Promise<SyncRunResult> {
      parseWith(Id, moduleId, { what: 'moduleId' });
      return withModuleLock(lockDeps, moduleId, modeOf(options), () => runOnce(moduleId, options));
    },

    /** The plan and its impact, recorded as a `dry_run` run; the catalog is not touched. */
    async dryRun(moduleId: number, actor?: string): Promise<SyncRunResult> {
      return this.runSync(moduleId, { trigger: 'manual', dryRun: true, ...(actor ? { actor } : {}) });
    },

    /**
     * Applies a held plan: re-planned against the current catalog and the upstream set stored
     * with the held run (not re-fetched), without the guard. Returns the run that applied it.
     */
    async applyHeldRun(runId: number, actor: string): Promise<SyncRunResult> {
      parseWith(Id, runId, { what: 'runId' });
      const row = await requirePendingHeld(db, runId, false);
      const held = { runId, upstream: parseStoredUpstream(row.upstream) };
      const options: RunSyncOptions = { trigger: 'manual', force: true, actor };
      return withModuleLock(lockDeps, row.moduleId, 'exclusive', () => runOnce(row.moduleId, options, held));
    },

    /** Discards a held plan; nothing in the catalog changes. */
    async discardHeldRun(runId: number, actor: string): Promise<SyncRunResult> {
      parseWith(Id, runId, { what: 'runId' });
      return db.transaction(async (tx) => {
        await requirePendingHeld(tx, runId, true);
        return runRowToRun(await recordHeldResolution(tx, runId, 'discarded', actor, clock.now()));
      });
    },

    /** Runs newest first, without their diffs. */
    async listSyncRuns(query: SyncRunQuery = {}): Promise<SyncRunSummary[]> {
      const filter = parseWith(SyncRunQuery, query, { what: 'query' });
      return selectSyncRunSummaries(db, { ...filter, limit: filter.limit ?? 50 });
    },

    /** One run with its diff. */
    async getSyncRun(runId: number): Promise<SyncRunResult> {
      parseWith(Id, runId, { what: 'runId' });
      const row = await selectSyncRunRow(db, runId);
      if (!row) throw notFound('sync run', runId);
      return runRowToRun(row);
    },

    /** Waits for every alert sent so far (tests and shutdown). */
    flushAlerts: () => alerts.flush(),

    /** Closes the VMmanager clients kept between runs and the webhook connections (shutdown). */
    close: async () => {
      await clients.closeAll();
      await alerts.close();
    },
  };
}
