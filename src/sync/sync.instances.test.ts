import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openPostgres, type Database } from '../db/database.js';
import { queryRows } from '../db/query.js';
import { createTestDatabase } from '../test/test-database.js';
import { startVmmanagerSimulator } from '../vmmanager6/simulator/simulator.js';
import { addSimModule, createSyncApp } from './sync.test-kit.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * Four instances on one database, a module synced once: on PostgreSQL two with their own pools
 * and the advisory lock, and two more on their own pools without it (told they are on PGlite), so
 * that only the module's row lock orders their runs. PGlite has one owner process: one instance.
 */
async function fourInstances() {
  const database = await createTestDatabase();
  cleanups.push(() => database.close());
  const sim = await startVmmanagerSimulator();
  cleanups.push(() => sim.close());
  const pools: Database[] = [database];
  for (let i = 1; i < 4 && database.url; i += 1) {
    const pool = await openPostgres(database.url, { max: 5 });
    cleanups.push(() => pool.close());
    pools.push(
      i < 2
        ? pool
        : {
            db: pool.db,
            engine: 'pglite',
            listen: (channel, onPayload) => pool.listen(channel, onPayload),
            close: () => pool.close(),
          },
    );
  }
  const secretKey = Buffer.alloc(32, 7);
  const apps = pools.map((pool) => createSyncApp(pool, { secretKey }));
  const module = await addSimModule(apps[0]!, sim, 'msk', { clusterId: 1 });
  await apps[0]!.sync.runSync(module.id, { trigger: 'initial' });
  return { database, sim, apps, module };
}

describe('two app instances on one database', () => {
  // On PostgreSQL the second instance has its own connection pool, as another process would, so only
  // the advisory lock keeps them apart; PGlite has one owner process, so both share the database.
  it('run one sync of a module at a time and create no duplicate rows', async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.close());
    const sim = await startVmmanagerSimulator();
    cleanups.push(() => sim.close());
    let second: Database = database;
    if (database.url) {
      second = await openPostgres(database.url, { max: 5 });
      cleanups.push(() => second.close());
    }
    const secretKey = Buffer.alloc(32, 7);
    const one = createSyncApp(database, { secretKey });
    const two = createSyncApp(second, { secretKey });
    const module = await addSimModule(one, sim, 'msk', { clusterId: 1 });
    sim.injectFault({ kind: 'slow_drip', path: '/vm/v3/os', chunkBytes: 4096, intervalMs: 20 });

    const runs = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? two : one).sync.runSync(module.id, { trigger: i === 0 ? 'schedule' : 'manual' }),
      ),
    );
    const recorded = await one.sync.listSyncRuns({ moduleId: module.id });
    // Every caller, in either instance, got the result of the one run that took place.
    expect(recorded.map((r) => r.outcome)).toEqual(['applied']);
    expect(new Set(runs.map((r) => r.runId))).toEqual(new Set([recorded[0]!.runId]));
    const counts = await queryRows<{ values: number; connections: number }>(
      one.db,
      sql`select (select count(*)::int from parameter_values) as values,
                 (select count(*)::int from module_templates) as connections`,
    );
    expect(counts[0]).toEqual({ values: 11, connections: 11 });
  });

  // No-change runs fold into the module's newest row (`recordSyncRun`): concurrent ones, in either
  // instance, must add one count each and never a second row.
  it('fold concurrent no-change runs into one row without losing a count', async () => {
    const { database, sim, apps, module } = await fourInstances();
    let executed = 0;
    const burst = (size: number, of: typeof apps) =>
      Promise.all(
        Array.from({ length: size }, (_, i) =>
          of[i % of.length]!.sync.runSync(module.id, {
            trigger: 'schedule',
            actor: 'schedule',
            onProgress: (stage) => {
              if (stage === 'recording') executed += 1;
            },
          }),
        ),
      );
    const first = await burst(1, apps);
    // With the advisory lock, a caller that waited for the other instance's no-change run gets
    // that run (its count moved, not its id), as it would a new row.
    sim.injectFault({ kind: 'slow_drip', path: '/vm/v3/os', chunkBytes: 4096, intervalMs: 20, times: 1 });
    const joined = await burst(20, apps.slice(0, 2));
    expect(executed).toBe(2);
    expect(joined.map((r) => r.runCount)).toEqual(Array(20).fill(2));

    const runs = [];
    for (let wave = 0; wave < 4; wave += 1) {
      sim.injectFault({ kind: 'slow_drip', path: '/vm/v3/os', chunkBytes: 4096, intervalMs: 5, times: 4 });
      runs.push(...(await burst(12, apps)));
    }
    const recorded = await apps[0]!.sync.listSyncRuns({ moduleId: module.id });
    expect(recorded.map((r) => r.outcome)).toEqual(['no_change', 'applied']);
    // On PGlite (one process) each wave joins one run; on PostgreSQL the instances overlap.
    if (database.url) expect(executed).toBeGreaterThan(6);
    else expect(executed).toBe(6);
    expect(recorded[0]!.runCount).toBe(executed);
    expect(new Set([...joined, ...runs].map((r) => r.runId))).toEqual(new Set([recorded[0]!.runId]));
    // Each run that took place got its own count; a caller that waited got the one it waited for.
    expect(new Set([...first, ...joined, ...runs].map((r) => r.runCount)).size).toBe(executed);
  });

  // A held run of the pending held run's plan folds into that row (`isHeldAgain`), under the same
  // row lock: concurrent re-holds, in any instance, keep one pending row and every count.
  it('fold concurrent held runs of one plan into the one pending row', async () => {
    const { database, sim, apps, module } = await fourInstances();
    sim.injectFault({ kind: 'empty_list', path: '/vm/v3/os', times: 'always' });
    let executed = 0;
    const runs = [];
    for (let wave = 0; wave < 4; wave += 1) {
      runs.push(
        ...(await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            apps[i % apps.length]!.sync.runSync(module.id, {
              trigger: 'schedule',
              actor: 'schedule',
              onProgress: (stage) => {
                if (stage === 'recording') executed += 1;
              },
            }),
          ),
        )),
      );
    }
    const recorded = await apps[0]!.sync.listSyncRuns({ moduleId: module.id });
    expect(recorded.map((r) => `${r.outcome}/${r.heldState}`)).toEqual(['held/pending', 'applied/null']);
    if (database.url) expect(executed).toBeGreaterThan(4);
    expect(recorded[0]!.runCount).toBe(executed);
    expect(new Set(runs.map((r) => r.runId))).toEqual(new Set([recorded[0]!.runId]));
    expect((await apps[1 % apps.length]!.sync.applyHeldRun(recorded[0]!.runId, 'admin')).outcome).toBe(
      'applied',
    );
  });

  it('sync many modules at once without running out of pooled connections', async () => {
    const database = await createTestDatabase(); // a pool of 5 connections on PostgreSQL
    cleanups.push(() => database.close());
    const sim = await startVmmanagerSimulator();
    cleanups.push(() => sim.close());
    const app = createSyncApp(database);
    const modules = [];
    for (let i = 0; i < 8; i += 1) modules.push(await addSimModule(app, sim, `m${i}`, { clusterId: 1 }));
    sim.injectFault({ kind: 'slow_drip', path: '/vm/v3/os', chunkBytes: 4096, intervalMs: 20, times: 8 });
    const runs = await Promise.all(modules.map((m) => app.sync.runSync(m.id, { trigger: 'initial' })));
    expect(runs.map((r) => r.outcome)).toEqual(Array(8).fill('applied'));
    expect((await app.catalog.listTemplates()).map((t) => t.connectedModuleIds.length)).toEqual(
      Array(11).fill(8),
    );
  });
});
