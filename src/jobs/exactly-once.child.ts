// One "instance" of the exactly-once test: its own process and pool on the shared PostgreSQL
// database, running the real scheduler plus 10 concurrent manual syncs once the parent says go.
import { createInterface } from 'node:readline';
import { openPostgres } from '../db/database.js';
import { createSyncApp } from '../sync/sync.test-kit.js';
import { createScheduledSyncJob } from './scheduled-sync.job.js';
import { createSyncScheduler } from './module-crons.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const database = await openPostgres(env('EXO_DATABASE_URL'), { max: 4 });
const app = createSyncApp(database, { secretKey: Buffer.from(env('EXO_SECRET_KEY'), 'hex') });
const moduleIds = env('EXO_MODULE_IDS').split(',').map(Number);
const job = createScheduledSyncJob({
  db: app.db,
  clock: app.clock,
  logger: app.logger,
  instanceId: env('EXO_INSTANCE'),
  getModule: (id) => app.modules.getModule(id),
  runScheduledSync: (id, slot) => app.sync.runSync(id, { trigger: 'schedule', actor: 'schedule', slot }),
});
// A clock that runs behind: this instance's crons fire EXO_SKEW_MS later, for the same slots.
const skewMs = Number(process.env.EXO_SKEW_MS ?? '0');
const scheduler = createSyncScheduler({
  listSchedules: async () => moduleIds.map((moduleId) => ({ moduleId, schedule: '* * * * * *' })),
  handle: async (moduleId, slot) => {
    await new Promise((resolve) => setTimeout(resolve, skewMs));
    return job.handleScheduledSync(moduleId, slot);
  },
  logger: app.logger,
  reconcileEveryMs: 3_600_000,
});

process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) if (line === 'go') break;

await scheduler.start();
const manual = await Promise.all(
  Array.from({ length: 10 }, (_, i) =>
    app.sync.runSync(moduleIds[i % moduleIds.length]!, { trigger: 'manual', actor: env('EXO_INSTANCE') }),
  ),
);
await new Promise((resolve) => setTimeout(resolve, Number(env('EXO_RUN_MS'))));
await scheduler.stop();
await database.close();
process.stdout.write(
  JSON.stringify({ manual: manual.map((r) => ({ runId: r.runId, outcome: r.outcome })) }) + '\n',
);
// Keep-alive sockets of the VMmanager clients would hold the process open for a while.
process.exit(0);
