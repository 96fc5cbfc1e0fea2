import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import * as schema from '../db/schema.js';
import { createLogger } from '../shared/logger.js';
import { createTestDatabase, type TestDatabase } from '../test/test-database.js';
import type { SimTemplateInput } from '../vmmanager6/simulator/sim-types.js';
import { startVmmanagerSimulator } from '../vmmanager6/simulator/simulator.js';
import { systemClock } from '../shared/clock.js';
import { createSyncService } from './sync.service.js';
import { addSimModule, createSyncApp, fastClientFactory } from './sync.test-kit.js';
import { createSecretBox } from '../shared/secrets.js';
import { randomBytes } from 'node:crypto';

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const item of opened.splice(0)) await item.close();
});

/** The same database seen through a drizzle instance that counts every statement it sends. */
function countingDb(database: TestDatabase): { db: Db; count: () => number; reset: () => void } {
  let statements = 0;
  const logger = { logQuery: () => void (statements += 1) };
  const raw = database as unknown as { pglite?: PGlite; pool?: pg.Pool };
  const db = (raw.pglite
    ? drizzlePglite({ client: raw.pglite, schema, logger })
    : drizzlePg({ client: raw.pool!, schema, logger })) as unknown as Db;
  return { db, count: () => statements, reset: () => void (statements = 0) };
}

const templates = (n: number, from = 0): SimTemplateInput[] =>
  Array.from({ length: n }, (_, i) => ({
    id: 20_000 + from + i,
    name: `Linux ${from + i}`,
    clusterIds: [1],
    hddMibRequired: 1024 * (1 + (i % 7)),
  }));

/** Statements of a first sync, a 10 %-changed sync and a no-op sync of `n` templates and `n / 10` tariffs. */
async function measure(n: number) {
  const database = await createTestDatabase();
  const sim = await startVmmanagerSimulator({ seed: 'empty' });
  opened.push(sim, database);
  const app = createSyncApp(database);
  const secretKey = randomBytes(32);
  const module = await addSimModule(createSyncApp(database, { secretKey }), sim, 'm', { clusterId: 1 });
  for (let t = 0; t < n / 10; t += 1)
    await app.tariffs.createTariff(
      { name: `T${t}`, diskMib: 4096 * (1 + (t % 3)), moduleIds: [module.id] },
      'test',
    );
  const counter = countingDb(database);
  const sync = createSyncService({
    db: counter.db,
    engine: database.engine,
    clock: systemClock,
    logger: createLogger({ level: 'silent' }),
    secrets: createSecretBox(secretKey),
    vmmanagerClientFactory: fastClientFactory,
  });
  const count = async (change: () => void, expected: string) => {
    change();
    counter.reset();
    const run = await sync.runSync(module.id, { trigger: 'manual', force: true });
    expect(run.outcome).toBe(expected);
    return counter.count();
  };
  const tenth = n / 10;
  return {
    first: await count(() => sim.state.replaceTemplates(templates(n)), 'applied'),
    changed: await count(() => {
      const next = templates(n)
        .slice(tenth)
        .map((t, i) => (i < tenth ? { ...t, hddMibRequired: 99_999 } : t));
      sim.state.replaceTemplates([...next, ...templates(tenth, n)]);
    }, 'applied'),
    noop: await count(() => undefined, 'no_change'),
  };
}

describe('the number of SQL statements of a sync', () => {
  it('does not grow with the number of templates and tariffs', async () => {
    const small = await measure(50);
    const large = await measure(500);
    expect(large).toEqual(small);
    expect(small.first).toBeLessThan(30);
    expect(small.noop).toBeGreaterThan(3);
  });
});

describe('one sync per module at a time in one process', () => {
  it('lets concurrent triggers join the running sync and report its result', async () => {
    const database = await createTestDatabase();
    const sim = await startVmmanagerSimulator();
    opened.push(sim, database);
    const app = createSyncApp(database);
    const module = await addSimModule(app, sim, 'm', { clusterId: 1 });
    const stages: string[] = [];
    const runs = await Promise.all([
      app.sync.runSync(module.id, { trigger: 'initial', onProgress: (stage) => stages.push(stage) }),
      ...Array.from({ length: 19 }, () => app.sync.runSync(module.id, { trigger: 'manual' })),
      app.sync.runSync(module.id, { trigger: 'manual', dryRun: true }),
    ]);
    const real = runs.slice(0, 20);
    expect(new Set(real.map((r) => r.runId)).size).toBe(1);
    expect(real[0]).toMatchObject({ outcome: 'applied', trigger: 'initial' });
    expect(runs[20]).toMatchObject({ outcome: 'dry_run', counts: { added: 0, unchanged: 11 } });
    expect(stages).toEqual(['fetching', 'planning', 'applying', 'recording']);
    expect((await app.sync.listSyncRuns({ moduleId: module.id })).map((r) => r.outcome)).toEqual([
      'dry_run',
      'applied',
    ]);
    expect((await app.catalog.listTemplates()).length).toBe(11);
  });
});
