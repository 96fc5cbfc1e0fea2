import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../db/query.js';
import type { Clock } from '../shared/clock.js';
import { countSyncRunsByOutcome } from './sync-runs.repository.js';
import type { SyncRunResult } from './sync.schema.js';
import { addSimModule, createSyncApp } from './sync.test-kit.js';
import { useSyncTestbed } from './sync.test-helpers.js';

const bed = useSyncTestbed();

/** A clock the test moves: every scheduled slot is 30 s after the one before. */
function slotClock(start = Date.parse('2026-12-01T10:00:00Z')) {
  let now = start;
  const clock: Clock = { now: () => new Date(now) };
  return { clock, advance: (ms = 30_000) => (now += ms), at: () => new Date(now) };
}

async function setUp() {
  const time = slotClock();
  await bed.app.sync.close();
  bed.app = createSyncApp(bed.database, { clock: time.clock });
  const module = await addSimModule(bed.app, bed.sim, 'msk', { clusterId: 1 });
  await bed.app.sync.runSync(module.id, { trigger: 'initial' });
  const scheduled = async (times: number) => {
    let last: SyncRunResult | undefined;
    for (let i = 0; i < times; i += 1) {
      time.advance();
      last = await bed.app.sync.runSync(module.id, {
        trigger: 'schedule',
        actor: 'schedule',
        slot: time.at(),
      });
    }
    return last!;
  };
  const history = async () =>
    (await bed.app.sync.listSyncRuns({ moduleId: module.id, limit: 200 })).map((r) => ({
      outcome: r.outcome,
      trigger: r.trigger,
      runCount: r.runCount,
    }));
  return { time, module, scheduled, history };
}

describe('repeated no-change runs fold into one history entry', () => {
  it('200 unchanged scheduled runs are one row with a run count of 200, from the first start to the last finish', async () => {
    const { time, module, scheduled } = await setUp();
    const firstSlot = new Date(time.at().getTime() + 30_000);
    const last = await scheduled(200);

    const rows = await queryRows<{ n: number }>(
      bed.app.db,
      sql`select count(*)::int as n from sync_runs where module_id = ${module.id}`,
    );
    expect(rows[0]!.n).toBe(2);
    const [folded, initial] = await bed.app.sync.listSyncRuns({ moduleId: module.id });
    expect(initial).toMatchObject({ outcome: 'applied', runCount: 1 });
    expect(folded).toMatchObject({ outcome: 'no_change', runCount: 200, slot: firstSlot });
    expect(folded!.startedAt).toEqual(firstSlot);
    expect(folded!.lastFinishedAt).toEqual(time.at());
    // Every caller got the entry it was folded into, and the health moved with each run.
    expect(last).toMatchObject({ runId: folded!.runId, runCount: 200, lastFinishedAt: time.at() });
    expect((await bed.app.modules.getModule(module.id)).health.lastSuccessAt).toEqual(time.at());
    // The metric still counts runs, not rows.
    const byOutcome = await countSyncRunsByOutcome(bed.app.db);
    expect(byOutcome.find((r) => r.outcome === 'no_change')?.n).toBe(200);
  });

  it('a change in between starts new rows: no change ×5, applied, no change ×5', async () => {
    const { scheduled, history } = await setUp();
    await scheduled(5);
    bed.sim.state.addTemplate({ name: 'Rocky 9', clusterIds: [1] });
    await scheduled(6);
    expect(await history()).toEqual([
      { outcome: 'no_change', trigger: 'schedule', runCount: 5 },
      { outcome: 'applied', trigger: 'schedule', runCount: 1 },
      { outcome: 'no_change', trigger: 'schedule', runCount: 5 },
      { outcome: 'applied', trigger: 'initial', runCount: 1 },
    ]);
  });

  it('a failure, a manual run, a dry run or a template becoming unavailable starts a new row', async () => {
    const { module, scheduled, history } = await setUp();
    await scheduled(3);
    bed.sim.injectFault({ kind: 'http_error', status: 500, path: '/vm/v3/os', times: 'always' });
    expect((await scheduled(1)).outcome).toBe('failed');
    bed.sim.clearFaults();
    await scheduled(2);
    await bed.app.sync.runSync(module.id, { trigger: 'manual', actor: 'admin' });
    await bed.app.sync.runSync(module.id, { trigger: 'manual', actor: 'admin' });
    await scheduled(2);
    await bed.app.sync.dryRun(module.id, 'admin');
    await scheduled(2);
    const debian = bed.sim.state.listTemplates().find((t) => t.name === 'Debian 12')!;
    bed.sim.state.updateTemplate(debian.id, { state: 'updating' });
    await scheduled(3);
    // New upstream, not in the catalog and unavailable: nothing to apply, but a different record.
    bed.sim.state.addTemplate({ name: 'Rocky 9', clusterIds: [1], state: 'updating' });
    // The first run after it plans in full, the next takes the shortcut: one entry all the same.
    expect((await scheduled(2)).outcome).toBe('no_change');
    const runs = await history();
    expect(runs.map((r) => `${r.outcome}/${r.trigger} ×${r.runCount}`)).toEqual([
      'no_change/schedule ×2',
      'no_change/schedule ×2',
      'applied/schedule ×1',
      'no_change/schedule ×2',
      'dry_run/manual ×1',
      'no_change/schedule ×2',
      'no_change/manual ×2',
      'no_change/schedule ×2',
      'failed/schedule ×1',
      'no_change/schedule ×3',
      'applied/initial ×1',
    ]);
  });

  it('10 held runs of one plan are one pending row of 10 that keeps its id, announced once; its apply applies it', async () => {
    const { time, module, scheduled, history } = await setUp();
    await bed.app.webhooks.createEndpoint(
      { url: 'http://127.0.0.1:9/hook', events: ['module.sync_held'] },
      'test',
    );
    await scheduled(2);
    bed.sim.injectFault({ kind: 'empty_list', path: '/vm/v3/os', times: 'always' });
    const firstSlot = new Date(time.at().getTime() + 30_000);
    const first = await scheduled(1);
    // An admin's "Synchronize now" held on the same plan answers the plan that waits.
    const manual = await bed.app.sync.runSync(module.id, { trigger: 'manual', actor: 'admin' });
    // An admin's preview in between is a row of its own and leaves the plan waiting.
    await scheduled(3);
    expect(await bed.app.sync.dryRun(module.id, 'admin')).toMatchObject({ outcome: 'dry_run' });
    const last = await scheduled(5);
    expect(first).toMatchObject({ outcome: 'held', heldState: 'pending', runCount: 1 });
    expect(manual).toMatchObject({ runId: first.runId, runCount: 2 });
    expect(last).toMatchObject({ runId: first.runId, runCount: 10, lastFinishedAt: time.at() });
    expect(await history()).toEqual([
      { outcome: 'dry_run', trigger: 'manual', runCount: 1 },
      { outcome: 'held', trigger: 'schedule', runCount: 10 },
      { outcome: 'no_change', trigger: 'schedule', runCount: 2 },
      { outcome: 'applied', trigger: 'initial', runCount: 1 },
    ]);
    const [, pending] = await bed.app.sync.listSyncRuns({ moduleId: module.id, limit: 2 });
    expect(pending).toMatchObject({ runId: first.runId, heldState: 'pending', startedAt: firstSlot });
    // module.sync_held once, for the first of the ten.
    const events = await queryRows<{ run_id: number }>(
      bed.app.db,
      sql`select (data->>'runId')::int as run_id from webhook_events where type = 'module.sync_held'`,
    );
    expect(events.map((e) => e.run_id)).toEqual([first.runId]);

    const applied = await bed.app.sync.applyHeldRun(first.runId, 'admin');
    expect(applied).toMatchObject({
      outcome: 'applied',
      appliedFromRunId: first.runId,
      counts: { disconnected: 11 },
    });
    expect(await bed.app.sync.getSyncRun(first.runId)).toMatchObject({ heldState: 'applied', runCount: 10 });
    expect((await bed.app.catalog.listTemplates()).filter((t) => t.connectedModuleIds.length > 0)).toEqual(
      [],
    );
  });

  it('a held run of another plan supersedes the pending one, and the next held run folds into the newer', async () => {
    const { module, scheduled, history } = await setUp();
    await scheduled(1);
    bed.sim.injectFault({ kind: 'empty_list', path: '/vm/v3/os', times: 'always' });
    const empty = await scheduled(3);
    // Another plan: six of the eleven templates gone, not all (another reason and counts).
    bed.sim.clearFaults();
    for (const id of [8201, 8202, 8203, 8204, 8205, 8206]) bed.sim.state.removeTemplate(id);
    const six = await scheduled(2);
    expect(six).toMatchObject({ outcome: 'held', guardReason: 'too_many_disconnects', runCount: 2 });
    // One more gone: the same reason, another plan.
    bed.sim.state.removeTemplate(8208);
    const seven = await scheduled(3);
    expect(seven).toMatchObject({ outcome: 'held', counts: { disconnected: 7 }, runCount: 3 });
    expect(new Set([empty.runId, six.runId, seven.runId]).size).toBe(3);
    expect((await history()).map((r) => `${r.outcome} ×${r.runCount}`)).toEqual([
      'held ×3',
      'held ×2',
      'held ×3',
      'no_change ×1',
      'applied ×1',
    ]);
    const held = await bed.app.sync.listSyncRuns({ moduleId: module.id, limit: 3 });
    expect(held.map((r) => r.heldState)).toEqual(['pending', 'superseded', 'superseded']);
    // Only the pending one keeps the upstream set it would apply.
    const stored = await queryRows<{ id: number; has: boolean }>(
      bed.app.db,
      sql`select id::int, upstream is not null as has from sync_runs
          where module_id = ${module.id} and outcome = 'held' order by id desc`,
    );
    expect(stored.map((r) => r.has)).toEqual([true, false, false]);
    await expect(bed.app.sync.applyHeldRun(six.runId, 'admin')).rejects.toMatchObject({ code: 'conflict' });
    expect(await bed.app.sync.applyHeldRun(seven.runId, 'admin')).toMatchObject({
      outcome: 'applied',
      counts: { disconnected: 7 },
    });
  });
});
