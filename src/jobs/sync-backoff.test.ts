import { sql } from 'drizzle-orm';
import { Cron } from 'croner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.js';
import { queryRows } from '../db/query.js';
import { defaultSyncSchedule, syncBackoffUntil } from '../modules/sync-schedule.js';
import { addSimModule, createSyncApp } from '../sync/sync.test-kit.js';
import { createTestDatabase, type TestDatabase } from '../test/test-database.js';
import { startVmmanagerSimulator, type VmmanagerSimulator } from '../vmmanager6/simulator/simulator.js';
import { slotOf } from './module-crons.js';
import { createScheduledSyncJob, type ScheduledSyncStatus } from './scheduled-sync.job.js';

const t0 = Date.parse('2025-06-01T10:00:00Z');
const minute = 60_000;

describe('the backoff rule', () => {
  const at = (failures: number) =>
    syncBackoffUntil({ consecutiveFailures: failures, lastFailureAt: new Date(t0) })?.getTime() ?? null;

  it('lets one failure pass, then waits 1, 2, 4, 8 and at most 15 minutes after the last failure', () => {
    expect(at(0)).toBeNull();
    expect(at(1)).toBeNull();
    expect([2, 3, 4, 5, 6, 7, 50].map((n) => (at(n)! - t0) / minute)).toEqual([1, 2, 4, 8, 15, 15, 15]);
    expect(syncBackoffUntil({ consecutiveFailures: 3, lastFailureAt: null })).toBeNull();
  });
});

describe('the default schedule', () => {
  it('fires every 30 seconds, and each firing names its own slot', () => {
    const cron = new Cron(defaultSyncSchedule, { paused: true });
    const runs = cron.nextRuns(4, new Date(t0 + 1_000)).map((d) => d.getTime() - t0);
    expect(runs).toEqual([30_000, 60_000, 90_000, 120_000]);
    expect(slotOf(cron, new Date(t0 + 30_000 + 40)).getTime()).toBe(t0 + 30_000);
    cron.stop();
  });
});

describe('a module whose VMmanager keeps failing', () => {
  let database: TestDatabase;
  let sim: VmmanagerSimulator;
  let app: App;
  // The injectable clock: the sync stamps failures with it, the test moves it slot by slot.
  let now = t0;
  const clock = { now: () => new Date(now) };

  beforeAll(async () => {
    database = await createTestDatabase();
    sim = await startVmmanagerSimulator();
    app = createSyncApp(database, { clock });
  });
  afterAll(async () => {
    await app?.sync.close();
    await sim?.close();
    await database?.close();
  });

  const jobFor = (instanceId: string) =>
    createScheduledSyncJob({
      db: app.db,
      clock,
      logger: app.logger,
      instanceId,
      getModule: (id) => app.modules.getModule(id),
      runScheduledSync: (id, slot) => app.sync.runSync(id, { trigger: 'schedule', actor: 'schedule', slot }),
    });

  /** Every 30 s slot from `from` for `minutes`, each handled by two instances, the clock 1 s past it. */
  const runSlots = async (moduleId: number, from: number, minutes: number) => {
    const outcomes: { slot: number; statuses: ScheduledSyncStatus[] }[] = [];
    for (let slot = from; slot < from + minutes * minute; slot += 30_000) {
      now = slot + 1_000;
      const statuses = await Promise.all(
        ['a', 'b'].map((id) => jobFor(id).handleScheduledSync(moduleId, new Date(slot))),
      );
      outcomes.push({ slot, statuses });
    }
    return outcomes;
  };
  const ranAt = (outcomes: Awaited<ReturnType<typeof runSlots>>) =>
    outcomes.filter((o) => o.statuses.some((s) => s.status === 'ran')).map((o) => (o.slot - t0) / 1000);

  it('skips slots with a growing wait up to 15 minutes, runs each slot once, and recovers by itself', async () => {
    const module = await addSimModule(app, sim, 'flaky', { clusterId: 1 });
    expect(module.schedule).toBe(defaultSyncSchedule);
    sim.injectFault({ kind: 'http_error', status: 500, path: '/vm/v3/os', times: 'always' });
    const osCalls = () => sim.requests.filter((r) => r.path === '/vm/v3/os').length;
    const callsBefore = osCalls();

    const failing = await runSlots(module.id, t0, 60);
    // Two instances per slot, never both running it; a skipped slot is not even claimed.
    for (const { statuses } of failing) {
      expect(statuses.filter((s) => s.status === 'ran').length).toBeLessThanOrEqual(1);
    }
    // Failures at 0 s and 30 s; then waits of 1, 2, 4, 8, 15, 15 min after each (stamped 1 s after its slot).
    expect(ranAt(failing)).toEqual([0, 30, 120, 270, 540, 1050, 1980, 2910]);
    const health = (await app.modules.getModule(module.id)).health;
    expect(health.consecutiveFailures).toBe(8);
    expect(health.backoffUntil).toEqual(new Date(t0 + 2_911_000 + 15 * minute));
    const claims = await queryRows<{ n: number }>(
      app.db,
      sql`select count(*)::int as n from sync_slots where module_id = ${module.id}`,
    );
    expect(claims[0]!.n).toBe(8);
    // 120 slots in the hour, 8 attempts: VMmanager saw a handful of calls, not one per slot.
    expect(osCalls() - callsBefore).toBeLessThanOrEqual(8 * 3);

    sim.clearFaults();
    const recovering = await runSlots(module.id, t0 + 60 * minute, 20);
    // The wait ends at 63:31; the slot at 64:00 runs, succeeds and every slot after it runs again.
    expect(ranAt(recovering)[0]).toBe(3840);
    expect(ranAt(recovering)).toHaveLength(recovering.filter((o) => o.slot >= t0 + 3_840_000).length);
    const recovered = await app.modules.getModule(module.id);
    expect(recovered.health).toMatchObject({ consecutiveFailures: 0, backoffUntil: null });
    const runs = await app.sync.listSyncRuns({ moduleId: module.id, limit: 200 });
    expect(runs.filter((r) => r.outcome === 'failed')).toHaveLength(8);
    expect(runs.find((r) => r.outcome === 'applied')?.slot).toEqual(new Date(t0 + 3_840_000));
  });

  it('still runs a manual sync while backing off, and its success ends the backoff', async () => {
    now = t0 + 24 * 60 * minute;
    const module = await addSimModule(app, sim, 'manual', { clusterId: 2 });
    sim.injectFault({ kind: 'http_error', status: 500, path: '/vm/v3/os', times: 2 * 3 });
    for (const slot of [now, now + 30_000]) {
      now = slot + 1_000;
      expect(await jobFor('a').handleScheduledSync(module.id, new Date(slot))).toMatchObject({
        status: 'ran',
        outcome: 'failed',
      });
    }
    const slot = now + 29_000;
    expect(await jobFor('a').handleScheduledSync(module.id, new Date(slot))).toMatchObject({
      status: 'backing_off',
    });
    sim.clearFaults();
    expect((await app.sync.runSync(module.id, { trigger: 'manual', actor: 'test' })).outcome).toBe('applied');
    expect((await app.modules.getModule(module.id)).health.backoffUntil).toBeNull();
    expect(await jobFor('a').handleScheduledSync(module.id, new Date(slot + 30_000))).toMatchObject({
      status: 'ran',
    });
  });
});
