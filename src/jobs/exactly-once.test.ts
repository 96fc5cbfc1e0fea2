import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.js';
import { queryRows } from '../db/query.js';
import { addSimModule, createSyncApp } from '../sync/sync.test-kit.js';
import { createTestDatabase, type TestDatabase } from '../test/test-database.js';
import { startVmmanagerSimulator, type VmmanagerSimulator } from '../vmmanager6/simulator/simulator.js';
import { createScheduledSyncJob } from './scheduled-sync.job.js';
import { createSyncScheduler } from './module-crons.js';

let database: TestDatabase;
let sim: VmmanagerSimulator;
let app: App;
let moduleIds: number[];
const secretKey = randomBytes(32);

beforeAll(async () => {
  database = await createTestDatabase();
  sim = await startVmmanagerSimulator();
  app = createSyncApp(database, { secretKey });
  moduleIds = [];
  for (const [name, clusterId] of [
    ['msk', 1],
    ['ams', 2],
  ] as const) {
    const module = await addSimModule(app, sim, name, { clusterId });
    await app.modules.updateModule(module.id, { schedule: '* * * * * *' }, 'test');
    moduleIds.push(module.id);
  }
  // Slow answers widen every run, so overlapping runs would show.
  sim.injectFault({
    kind: 'slow_drip',
    path: '/vm/v3/os',
    chunkBytes: 8192,
    intervalMs: 15,
    times: 'always',
  });
});
afterAll(async () => {
  await sim.close();
  await database.close();
});

const childEntry = fileURLToPath(new URL('./exactly-once.child.ts', import.meta.url));

/** Starts one instance per name; all get "go" together once all are ready; resolves when all exit. */
async function runInstances(names: string[], runMs: number): Promise<void> {
  const children = names.map((name, i) =>
    spawn(process.execPath, ['--import', 'tsx', childEntry], {
      env: {
        ...process.env,
        EXO_DATABASE_URL: database.url,
        EXO_SECRET_KEY: secretKey.toString('hex'),
        EXO_MODULE_IDS: moduleIds.join(','),
        EXO_INSTANCE: name,
        EXO_RUN_MS: String(runMs),
        // 600 ms of clock skew: longer than a run, so without the slot claim a slot would run twice.
        EXO_SKEW_MS: String(i * 600),
      },
    }),
  );
  const outputs = children.map(() => ({ text: '' }));
  children.forEach((child, i) => {
    child.stdout.on('data', (chunk: Buffer) => void (outputs[i]!.text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => void (outputs[i]!.text += chunk.toString()));
  });
  const exits = children.map((child) => new Promise<number | null>((resolve) => child.once('exit', resolve)));
  await expect.poll(() => outputs.every((o) => o.text.includes('ready')), { timeout: 40_000 }).toBe(true);
  for (const child of children) child.stdin.write('go\n');
  const codes = await Promise.all(exits);
  expect(codes, outputs.map((o) => o.text).join('\n---\n')).toEqual(names.map(() => 0));
}

/** Pairs of runs of one module whose time spans overlap (there must be none). */
const overlappingRuns = () =>
  queryRows<{ a: number; b: number }>(
    app.db,
    sql`select a.id as a, b.id as b from sync_runs a join sync_runs b
          on a.module_id = b.module_id and a.id < b.id
         and a.outcome <> 'dry_run' and b.outcome <> 'dry_run'
         and a.started_at < b.finished_at and b.started_at < a.finished_at`,
  );

const duplicateFacts = async () =>
  (
    await queryRows<{
      values: number;
      names: number;
      slotRuns: number;
      schedRows: number;
      schedRuns: number;
      claims: number;
    }>(
      app.db,
      sql`select (select count(*)::int from parameter_values) as values,
                 (select count(distinct internal_name)::int from parameter_values) as names,
                 (select count(distinct (module_id, slot))::int from sync_runs where trigger = 'schedule') as "slotRuns",
                 (select count(*)::int from sync_runs where trigger = 'schedule') as "schedRows",
                 (select coalesce(sum(run_count), 0)::int from sync_runs where trigger = 'schedule') as "schedRuns",
                 (select count(*)::int from sync_slots) as claims`,
    )
  )[0]!;

describe('exactly once', () => {
  it('with 20 concurrent manual triggers plus a per-second schedule, runs one sync per module at a time and duplicates nothing', async () => {
    if (database.url) {
      await runInstances(['one', 'two'], 2_500);
    } else {
      // PGlite has one owner process: two schedulers (two instance ids, the second 600 ms behind)
      // and 20 triggers in it.
      const schedulers = ['one', 'two'].map((id, i) => {
        const job = createScheduledSyncJob({
          db: app.db,
          clock: app.clock,
          logger: app.logger,
          instanceId: id,
          getModule: (m) => app.modules.getModule(m),
          runScheduledSync: (m, slot) => app.sync.runSync(m, { trigger: 'schedule', actor: id, slot }),
        });
        return createSyncScheduler({
          listSchedules: async () => moduleIds.map((moduleId) => ({ moduleId, schedule: '* * * * * *' })),
          handle: async (m, slot) => {
            await new Promise((resolve) => setTimeout(resolve, i * 600));
            return job.handleScheduledSync(m, slot);
          },
          logger: app.logger,
        });
      });
      await Promise.all(schedulers.map((s) => s.start()));
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          app.sync.runSync(moduleIds[i % 2]!, { trigger: 'manual', actor: 'test' }),
        ),
      );
      // Until 4 scheduled runs are recorded (two slots of the two modules, claimed by either
      // scheduler; repeated no-change runs fold into one row, each counted), however slowly the
      // loaded machine runs them: a state, not a fixed wait.
      const scheduledRuns = async () =>
        (await app.sync.listSyncRuns({ limit: 200 }))
          .filter((r) => r.trigger === 'schedule')
          .reduce((n, r) => n + r.runCount, 0);
      await expect.poll(scheduledRuns, { timeout: 60_000 }).toBeGreaterThanOrEqual(4);
      await Promise.all(schedulers.map((s) => s.stop()));
    }
    const runs = await app.sync.listSyncRuns({ limit: 200 });
    expect(runs.filter((r) => r.trigger === 'manual').length).toBeGreaterThan(0);
    expect(runs.filter((r) => r.trigger === 'schedule').length).toBeGreaterThan(0);
    expect(runs.every((r) => r.finishedAt !== null)).toBe(true);
    expect(await overlappingRuns()).toEqual([]);
    const facts = await duplicateFacts();
    expect(facts.values).toBe(facts.names);
    // A row per slot it started in; repeated no-change runs fold into one row, each still counted.
    expect(facts.schedRows).toBe(facts.slotRuns);
    expect(facts.schedRuns).toBeLessThanOrEqual(facts.claims);
  }, 90_000);
});
