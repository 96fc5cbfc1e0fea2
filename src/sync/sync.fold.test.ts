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

  it('a held run is never folded: every re-hold is its own row, and the older one is superseded without its upstream set', async () => {
    const { module, scheduled, history } = await setUp();
    await scheduled(2);
    bed.sim.injectFault({ kind: 'empty_list', path: '/vm/v3/os', times: 'always' });
    await scheduled(3);
    expect((await history()).map((r) => `${r.outcome} ×${r.runCount}`)).toEqual([
      'held ×1',
      'held ×1',
      'held ×1',
      'no_change ×2',
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
  });
});
