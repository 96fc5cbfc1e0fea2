import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../config.js';
import { queryRows } from '../db/query.js';
import { lendApp } from '../cli/cli-context.js';
import { runCliCaptured } from '../cli/cli.test-helpers.js';
import { createRetentionJob } from '../jobs/retention.job.js';
import type { Clock } from '../shared/clock.js';
import { insertSyncRun, type NewRun } from '../sync/sync-runs.repository.js';
import { emptyCounts, type SyncOutcome } from '../sync/sync.schema.js';
import { addTestModule, createTestApp, type TestApp } from '../test/test-app.js';
import { enqueueEvent } from '../webhooks/outbox.repository.js';
import { createRetentionService, defaultRetention } from './retention.service.js';

const now = new Date('2026-12-01T12:00:00Z');
const clock: Clock = { now: () => now };
const daysAgo = (days: number) => new Date(now.getTime() - days * 24 * 3600 * 1000);

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp({ clock });
});
afterEach(async () => app.close());

/** Records one run `days` ago; returns its id. */
async function runOf(moduleId: number, outcome: SyncOutcome, days: number, extra: Partial<NewRun> = {}) {
  const at = daysAgo(days);
  const row = await insertSyncRun(app.db, {
    moduleId,
    trigger: 'schedule',
    outcome,
    startedAt: at,
    finishedAt: at,
    counts: emptyCounts(),
    diff: null,
    guardReason: null,
    upstream: null,
    error: outcome === 'failed' ? { code: 'upstream_unavailable', message: 'down' } : null,
    actor: 'schedule',
    slot: null,
    appliedFromRunId: null,
    ...extra,
  });
  return row.id;
}

const setHeld = (id: number, state: string) =>
  app.db.execute(sql`update sync_runs set held_state = ${state} where id = ${id}`);

const remainingRuns = async () =>
  (await queryRows<{ id: number }>(app.db, sql`select id::int from sync_runs order by id`)).map((r) => r.id);

describe('pruning the sync history', () => {
  it('removes unchanged runs past 90 days and keeps the changes, pending held runs and each module’s newest run', async () => {
    const a = (await addTestModule(app, 'a')).id;
    const b = (await addTestModule(app, 'b')).id;
    const keep: number[] = [];
    const gone: number[] = [];
    keep.push(await runOf(a, 'applied', 400));
    gone.push(await runOf(a, 'no_change', 300));
    gone.push(await runOf(a, 'failed', 200));
    gone.push(await runOf(a, 'dry_run', 100));
    const discarded = await runOf(a, 'held', 100);
    await setHeld(discarded, 'discarded');
    gone.push(discarded);
    const approved = await runOf(a, 'held', 100);
    await setHeld(approved, 'applied');
    keep.push(approved, await runOf(a, 'applied', 100, { appliedFromRunId: approved }));
    const pending = await runOf(a, 'held', 95);
    await setHeld(pending, 'pending');
    keep.push(pending);
    // Folded: its first run is old, its last one recent, so it is recent.
    const folded = await runOf(a, 'no_change', 120);
    await app.db.execute(
      sql`update sync_runs set run_count = 500, last_finished_at = ${daysAgo(5).toISOString()}::timestamptz where id = ${folded}`,
    );
    keep.push(folded, await runOf(a, 'no_change', 89));
    keep.push(await runOf(b, 'no_change', 365)); // b's newest, however old

    const result = await app.retention.pruneNow();
    expect(result).toMatchObject({ syncRuns: gone.length });
    expect(await remainingRuns()).toEqual(keep.sort((x, y) => x - y));
    expect(await app.retention.pruneNow()).toMatchObject({ syncRuns: 0 });
  });

  it('removes changed runs too once the admin sets an age for them, but never a module’s newest run', async () => {
    const a = (await addTestModule(app, 'a')).id;
    const old = await runOf(a, 'applied', 200);
    const recent = await runOf(a, 'applied', 100);
    const newest = await runOf(a, 'applied', 190);
    const retention = createRetentionService({
      db: app.db,
      clock,
      settings: { ...defaultRetention, changedRunDays: 150 },
    });
    expect(await retention.pruneNow()).toMatchObject({ syncRuns: 1 });
    expect(await remainingRuns()).toEqual([recent, newest]);
    expect(old).toBeLessThan(recent);
  });

  it('prunes a long history in batches', async () => {
    const a = (await addTestModule(app, 'a')).id;
    await app.db.execute(
      sql`insert into sync_runs (module_id, trigger, outcome, started_at, finished_at)
          select ${a}, 'schedule', 'no_change', ${daysAgo(100).toISOString()}::timestamptz,
                 ${daysAgo(100).toISOString()}::timestamptz
          from generate_series(1, 12001)`,
    );
    expect(await app.retention.pruneNow()).toMatchObject({ syncRuns: 12_000 });
    expect(await remainingRuns()).toHaveLength(1);
  });
});

describe('pruning the webhook outbox', () => {
  it('removes done deliveries past 30 days and the events left without one; pending ones stay', async () => {
    await app.webhooks.createEndpoint(
      { url: 'https://shop.example.com/hook', events: ['module.sync_failed'] },
      'test',
    );
    const eventAt = async (days: number, state: 'pending' | 'delivered' | 'failed') => {
      const id = await app.db.transaction((tx) =>
        enqueueEvent(tx, { type: 'module.sync_failed', data: { days } }, daysAgo(days)),
      );
      await app.db.execute(sql`update webhook_deliveries set state = ${state} where event_id = ${id}`);
      return id!;
    };
    const delivered = await eventAt(40, 'delivered');
    const failed = await eventAt(31, 'failed');
    const pending = await eventAt(60, 'pending');
    const recent = await eventAt(29, 'delivered');

    expect(await app.retention.pruneNow()).toMatchObject({ webhookDeliveries: 2, webhookEvents: 2 });
    const events = await queryRows<{ id: string; deliveries: number }>(
      app.db,
      sql`select e.id, (select count(*)::int from webhook_deliveries d where d.event_id = e.id) as deliveries
          from webhook_events e order by e.created_at`,
    );
    expect(events).toEqual([
      { id: pending, deliveries: 1 },
      { id: recent, deliveries: 1 },
    ]);
    expect([delivered, failed]).not.toContain(pending);
  });
});

describe('the retention job', () => {
  it('prunes each hourly slot once across instances', async () => {
    const a = (await addTestModule(app, 'a')).id;
    await runOf(a, 'no_change', 200);
    await runOf(a, 'no_change', 1);
    const jobs = ['one', 'two'].map((instanceId) =>
      createRetentionJob({ db: app.db, clock, logger: app.logger, instanceId, retention: app.retention }),
    );
    const slot = new Date('2026-12-01T11:41:00Z');
    const statuses = await Promise.all(jobs.map((job) => job.handleRetention(slot)));
    expect(statuses.map((s) => s.status).sort()).toEqual(['claimed_elsewhere', 'ran']);
    expect(statuses.find((s) => s.status === 'ran')).toMatchObject({ syncRuns: 1 });
    expect((await jobs[1]!.handleRetention(new Date('2026-12-01T12:41:00Z'))).status).toBe('ran');
  });

  it('is configured by OSCAT_RETAIN_*, and refuses a bad value', () => {
    expect(loadConfig({}).retention).toEqual({ webhookDays: 30, unchangedRunDays: 90, changedRunDays: null });
    expect(
      loadConfig({
        OSCAT_RETAIN_WEBHOOK_DAYS: '7',
        OSCAT_RETAIN_UNCHANGED_RUNS_DAYS: '14',
        OSCAT_RETAIN_CHANGED_RUNS_DAYS: '730',
      }).retention,
    ).toEqual({ webhookDays: 7, unchangedRunDays: 14, changedRunDays: 730 });
    expect(loadConfig({ OSCAT_RETAIN_CHANGED_RUNS_DAYS: 'forever' }).retention.changedRunDays).toBeNull();
    for (const bad of ['0', '-1', '1.5', 'never'])
      expect(() => loadConfig({ OSCAT_RETAIN_UNCHANGED_RUNS_DAYS: bad })).toThrow(
        /OSCAT_RETAIN_UNCHANGED_RUNS_DAYS/,
      );
  });

  it('runs now from the CLI: os-catalog prune', async () => {
    const a = (await addTestModule(app, 'a')).id;
    await runOf(a, 'failed', 200);
    await runOf(a, 'no_change', 1);
    const human = await runCliCaptured(['prune'], { apps: lendApp(app) });
    expect(human).toMatchObject({ code: 0, err: '' });
    expect(human.out).toMatch(
      /^removed 1 sync runs \(unchanged over 90 days, changed kept for ever\), 0 webhook/,
    );
    const json = await runCliCaptured(['prune', '--json'], { apps: lendApp(app) });
    expect(JSON.parse(json.out)).toEqual([{ syncRuns: 0, webhookDeliveries: 0, webhookEvents: 0 }]);
  });
});
