import { Cron } from 'croner';
import type { Logger } from '../shared/logger.js';

/** One module's schedule as the scheduler needs it. */
export interface ModuleSchedule {
  moduleId: number;
  schedule: string;
}

export interface SyncSchedulerDeps {
  /** The schedules of the enabled modules, read again at every reconcile. */
  listSchedules(): Promise<ModuleSchedule[]>;
  /** The job handler a slot triggers (claims the slot, runs the sync). */
  handle(moduleId: number, slot: Date): Promise<unknown>;
  logger: Logger;
  /** How often the set of crons is reconciled with the modules (default 30 s). */
  reconcileEveryMs?: number;
  now?: () => Date;
}

export type SyncScheduler = ReturnType<typeof createSyncScheduler>;

// A cron fires a little after its time (or, with timer drift, a little before): half a second
// either way still names the same slot on every instance, whatever its clock skew.
const slotTolerance = 500;

/** The scheduled time a firing cron belongs to: the same value on every instance. */
export function slotOf(cron: Cron, at: Date): Date {
  return cron.previousRuns(1, new Date(at.getTime() + slotTolerance))[0] ?? at;
}

/**
 * In-process croner schedules, one per enabled module, kept in line with the modules table.
 * A cron only triggers: it hands (module, slot) to the job handler and does no work itself.
 */
export function createSyncScheduler(deps: SyncSchedulerDeps) {
  const now = deps.now ?? (() => new Date());
  const crons = new Map<number, Cron>();
  const inFlight = new Set<Promise<unknown>>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const trigger = (moduleId: number, slot: Date): Promise<unknown> => {
    const job = deps.handle(moduleId, slot).catch((error: unknown) => {
      deps.logger.error({ err: error, moduleId, slot }, 'scheduled sync failed');
    });
    inFlight.add(job);
    void job.finally(() => inFlight.delete(job));
    return job;
  };

  const schedule = (entry: ModuleSchedule): void => {
    const cron: Cron = new Cron(entry.schedule, { catch: true }, () => {
      void trigger(entry.moduleId, slotOf(cron, now()));
    });
    crons.set(entry.moduleId, cron);
  };

  const reconcile = async (): Promise<void> => {
    if (stopped) return;
    const wanted = new Map((await deps.listSchedules()).map((e) => [e.moduleId, e.schedule]));
    if (stopped) return;
    for (const [moduleId, cron] of crons) {
      if (wanted.get(moduleId) === cron.getPattern()) continue;
      cron.stop();
      crons.delete(moduleId);
    }
    for (const [moduleId, pattern] of wanted) {
      if (crons.has(moduleId)) continue;
      try {
        schedule({ moduleId, schedule: pattern });
      } catch (error) {
        deps.logger.error({ err: error, moduleId, schedule: pattern }, 'module schedule is not valid');
      }
    }
  };

  const reconcileQuietly = (): void => {
    reconcile().catch((error: unknown) => deps.logger.warn({ err: error }, 'schedule reconcile failed'));
  };

  return {
    /** Reads the schedules and starts the crons; re-reads them every `reconcileEveryMs`. */
    async start(): Promise<void> {
      await reconcile();
      timer = setInterval(reconcileQuietly, deps.reconcileEveryMs ?? 30_000);
      timer.unref();
    },
    /** Re-reads the modules now (after a module was created or changed). */
    reconcile,
    /** What a cron does when it fires; exposed so tests can drive slots without waiting. */
    trigger,
    /** The module ids and patterns currently scheduled. */
    scheduled(): Map<number, string> {
      return new Map([...crons].map(([id, cron]) => [id, cron.getPattern() ?? '']));
    },
    /** Stops every cron and waits for the syncs already triggered. */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      for (const cron of crons.values()) cron.stop();
      crons.clear();
      await Promise.allSettled([...inFlight]);
    },
  };
}
