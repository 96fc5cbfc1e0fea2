import { Cron } from 'croner';
import type { LifecycleService } from '../catalog/lifecycle.service.js';
import type { Logger } from '../shared/logger.js';

/** How often the EOL job runs: each minute (a template becomes deprecated within a minute of its EOL date). */
export const endOfLifeSchedule = '* * * * *';

/**
 * The EOL job: deprecates the templates whose end-of-life date has passed. Every instance runs
 * it; the database makes each template move once (see `deprecatePastEol`).
 */
export function createEndOfLifeJob(deps: { lifecycle: LifecycleService; logger: Logger }) {
  let cron: Cron | undefined;
  let running: Promise<unknown> = Promise.resolve();

  const handleEndOfLife = async (): Promise<{ deprecated: number[] }> => {
    const deprecated = await deps.lifecycle.deprecatePastEol();
    if (deprecated.length > 0)
      deps.logger.info({ templateIds: deprecated }, 'templates reached their end of life');
    return { deprecated };
  };

  // The cron only triggers; a run still going when the next minute fires is not doubled.
  const trigger = () => {
    running = running
      .then(handleEndOfLife)
      .catch((error: unknown) => deps.logger.error({ err: error }, 'end-of-life job failed'));
    return running;
  };

  return {
    handleEndOfLife,
    /** Runs once now (a restart catches up at once), then every minute. */
    start(): void {
      void trigger();
      cron = new Cron(endOfLifeSchedule, { catch: true }, () => void trigger());
    },
    async stop(): Promise<void> {
      cron?.stop();
      await running;
    },
  };
}
