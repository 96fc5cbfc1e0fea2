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
