import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../db/query.js';
import { createLogger } from '../shared/logger.js';
import { addSimModule } from '../sync/sync.test-kit.js';
import { useSyncTestbed } from '../sync/sync.test-helpers.js';
import { createScheduledSyncJob } from './scheduled-sync.job.js';
import { createSyncScheduler, slotOf } from './module-crons.js';
import { createAppScheduler } from './app-scheduler.js';
import { Cron } from 'croner';
import { defaultSyncSchedule } from '../modules/sync-schedule.js';

const bed = useSyncTestbed({ perFile: true });

const jobFor = (instanceId: string) =>
  createScheduledSyncJob({
    db: bed.app.db,
    clock: bed.app.clock,
    logger: bed.app.logger,
    instanceId,
    getModule: (id) => bed.app.modules.getModule(id),
    runScheduledSync: (id, slot) =>
      bed.app.sync.runSync(id, { trigger: 'schedule', actor: 'schedule', slot }),
  });

describe('slots', () => {
  it('name the scheduled time whether the cron fires a little late or a little early', () => {
    const cron = new Cron('54 * * * *', { paused: true });
    const slot = new Date('2025-03-01T10:54:00');
    expect(slotOf(cron, new Date(slot.getTime() + 30))).toEqual(slot);
    expect(slotOf(cron, new Date(slot.getTime() - 150))).toEqual(slot);
    expect(slotOf(cron, new Date(slot.getTime() + 400))).toEqual(slot);
    cron.stop();
  });
});

describe('the scheduled sync job', () => {
  it('runs a slot once, whichever instance claims it first', async () => {
    const module = await addSimModule(bed.app, bed.sim, 'claimed', { clusterId: 1 });
    const slot = new Date('2025-03-01T10:54:00Z');
    const results = await Promise.all(
      ['a', 'b', 'c', 'a'].map((id) => jobFor(id).handleScheduledSync(module.id, slot)),
    );
    expect(results.filter((r) => r.status === 'ran')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'claimed_elsewhere')).toHaveLength(3);
    const ran = results.find((r) => r.status === 'ran')!;
    expect(await bed.app.sync.getSyncRun((ran as { runId: number }).runId)).toMatchObject({
      trigger: 'schedule',
      slot,
      outcome: 'applied',
    });
    expect((await jobFor('d').handleScheduledSync(module.id, slot)).status).toBe('claimed_elsewhere');
    const next = await jobFor('d').handleScheduledSync(module.id, new Date(slot.getTime() + 3_600_000));
    expect(next).toMatchObject({ status: 'ran', outcome: 'no_change' });
  });

  it('does not run, nor claim, a disabled or unknown module', async () => {
    const module = await addSimModule(bed.app, bed.sim, 'disabled', { clusterId: 2 });
    await bed.app.modules.setModuleEnabled(module.id, false, 'test');
    const slot = new Date('2025-03-01T11:54:00Z');
    expect(await jobFor('a').handleScheduledSync(module.id, slot)).toEqual({ status: 'module_unavailable' });
    expect(await jobFor('a').handleScheduledSync(99_999, slot)).toEqual({ status: 'module_unavailable' });
    const claims = await queryRows<{ n: number }>(
      bed.app.db,
      sql`select count(*)::int as n from sync_slots where module_id = ${module.id}`,
    );
    expect(claims[0]!.n).toBe(0);
  });
});

describe('the scheduler', () => {
  it('keeps one cron per enabled module in line with the modules table', async () => {
    const schedules = new Map([
      [1, '54 * * * *'],
      [2, '*/5 * * * *'],
    ]);
    const scheduler = createSyncScheduler({
      listSchedules: async () => [...schedules].map(([moduleId, schedule]) => ({ moduleId, schedule })),
      handle: async () => undefined,
      logger: createLogger({ level: 'silent' }),
    });
    await scheduler.start();
    expect(scheduler.scheduled()).toEqual(schedules);
    schedules.set(1, '0 3 * * *');
    schedules.delete(2);
    schedules.set(3, 'not a cron');
    await scheduler.reconcile();
    expect(scheduler.scheduled()).toEqual(new Map([[1, '0 3 * * *']]));
    await scheduler.stop();
    expect(scheduler.scheduled().size).toBe(0);
  });

  it('fires each module’s cron and records one scheduled run per slot', async () => {
    const module = await addSimModule(bed.app, bed.sim, 'every second', { clusterId: 1 });
    await bed.app.modules.updateModule(module.id, { schedule: '* * * * * *' }, 'test');
    const scheduler = createAppScheduler(bed.app, { instanceId: 'test' });
    const scheduledRuns = async () =>
      (await bed.app.sync.listSyncRuns({ moduleId: module.id })).filter((r) => r.trigger === 'schedule');
    await scheduler.start();
    // Until two slots have run (a repeated no-change run folds into its row, counted there),
    // however long a sync takes on a loaded machine: not a fixed wait.
    const count = async () => (await scheduledRuns()).reduce((n, r) => n + r.runCount, 0);
    await expect.poll(count, { timeout: 50_000 }).toBeGreaterThanOrEqual(2);
    await scheduler.stop();
    // Every second is a slot: the module goes back to a schedule that never fires during the
    // tests after this one, which start schedulers of their own on the same database.
    await bed.app.modules.updateModule(module.id, { schedule: '0 0 30 2 *' }, 'test');
    const runs = await scheduledRuns();
    const slots = runs.map((r) => r.slot!.getTime());
    expect(new Set(slots).size).toBe(slots.length);
    expect(slots.every((s) => s % 1000 === 0)).toBe(true);
  });

  it('picks up a module added through onboarding at once', async () => {
    const scheduler = createAppScheduler(bed.app, { instanceId: 'test', reconcileEveryMs: 3_600_000 });
    await scheduler.start();
    const before = scheduler.scheduled().size;
    const { module } = await bed.app.onboarding.addModuleWithInitialSync(
      { name: 'late', url: bed.sim.url, adminEmail: bed.sim.email, password: bed.sim.password, clusterId: 2 },
      'test',
    );
    await expect.poll(() => scheduler.scheduled().get(module.id)).toBe(defaultSyncSchedule);
    expect(scheduler.scheduled().size).toBe(before + 1);
    await scheduler.stop();
  });
});
