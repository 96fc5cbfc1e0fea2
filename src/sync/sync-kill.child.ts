import { loadConfig } from '../config.js';
import { openStorage } from '../db/open.js';
import { systemClock } from '../shared/clock.js';
import { createLogger } from '../shared/logger.js';
import { createSyncService } from './sync.service.js';
import { fastClientFactory } from './sync.test-kit.js';

// Child process of sync.kill.test.ts: starts a sync of MODULE_ID and stops for good inside the
// apply transaction, right after its first statement, so the parent can SIGKILL it there.
const storage = await openStorage(loadConfig(process.env), 'sync-kill-child');
const sync = createSyncService({
  db: storage.database.db,
  engine: storage.database.engine,
  clock: systemClock,
  logger: createLogger({ level: 'silent' }),
  secrets: storage.secrets,
  vmmanagerClientFactory: fastClientFactory,
  hooks: {
    afterFirstApplyStatement: async () => {
      process.stdout.write('PAUSED\n');
      await new Promise(() => undefined);
    },
  },
});
await sync.runSync(Number(process.env.MODULE_ID), { trigger: 'manual' });
process.stdout.write('FINISHED\n');
