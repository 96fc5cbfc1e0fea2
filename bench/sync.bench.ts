// `npm run bench:sync [-- --json] [-- --quick] [-- --repeat=N]`: sync timings against the floor (see docs/performance.md).
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createApp, type App } from '../src/app.js';
import type { Engine } from '../src/db/database.js';
import { selectOsParameter } from '../src/catalog/catalog.repository.js';
import { queryRows } from '../src/db/query.js';
import { createSecretBox } from '../src/shared/secrets.js';
import { startVmmanagerSimulator, type VmmanagerSimulator } from '../src/vmmanager6/simulator/simulator.js';
import { toUpstreamSet } from '../src/sync/sync.upstream.js';
import { findPostgres, openBenchDatabase, statementCounter } from './sync-bench.engines.js';
import { collectGarbage, measureFloor, prepareFloor, type FloorKind } from './sync-bench.floor.js';

const tariffCount = 1000;
type Case = 'first' | 'no-op' | '10% changed';

export interface BenchRun {
  templates: number;
  tariffs: number;
  case: Case;
  ms: number;
  floorMs: number;
  ratio: number;
  /** The schema floor: the fetch plus the same rows written into copies of the catalog's tables. */
  schemaFloorMs: number;
  schemaRatio: number;
  statements: number;
  outcome: string;
}

const floorOf: Record<Exclude<Case, 'no-op'>, FloorKind> = {
  first: 'fetch+insert',
  '10% changed': 'fetch+upsert',
};
const schemaFloorOf: Record<Exclude<Case, 'no-op'>, FloorKind> = {
  first: 'fetch+schema-insert',
  '10% changed': 'fetch+schema-upsert',
};

async function addTariffs(app: App, moduleId: number): Promise<void> {
  await queryRows(
    app.db,
    sql`with t as (
          insert into tariffs (product_type_id, name, disk_mib)
          select (select id from product_types order by id limit 1), 'Bench ' || g, 10240 * (1 + g % 5)
          from generate_series(1, ${tariffCount}) g returning id)
        insert into tariff_modules (tariff_id, module_id) select id, ${moduleId} from t returning 1`,
  );
}

// 10 % of the served templates: a third removed, a third with a new minimum disk, a third new.
function changeTenPercent(sim: VmmanagerSimulator, n: number): void {
  const step = Math.floor(n / 10 / 3);
  const list = sim.state.listTemplates();
  for (const t of list.slice(0, step)) sim.state.removeTemplate(t.id);
  for (const t of list.slice(step, 2 * step))
    sim.state.setHddMibRequired(t.id, (t.hdd_mib_required ?? 0) + 1024);
  for (let i = 0; i < n / 10 - 2 * step; i += 1)
    sim.state.addTemplate({ name: `Bench new ${i}`, clusterIds: [1, 2] });
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T; statements: number }> {
  collectGarbage();
  const before = statementCounter.count;
  const start = performance.now();
  const value = await run();
  return { ms: performance.now() - start, value, statements: statementCounter.count - before };
}

async function benchSize(engine: Engine, serverUrl: string | undefined, n: number): Promise<BenchRun[]> {
  const bench = await openBenchDatabase(engine, serverUrl);
  const { database } = bench;
  const sim = await startVmmanagerSimulator({ seed: { templates: n } });
  try {
    const app = createApp({ database, secrets: createSecretBox(randomBytes(32)) });
    const module = await app.modules.createModule(
      { name: 'bench', url: sim.url, adminEmail: sim.email, password: sim.password },
      'bench',
    );
    await addTariffs(app, module.id);
    const parameter = await selectOsParameter(database.db);
    const floor = await prepareFloor(database.db, sim, { moduleId: module.id, parameterId: parameter!.id });
    const runs: BenchRun[] = [];
    const scope = { clusterId: null, clusters: [], includeNoOs: false };
    const rows = async () => toUpstreamSet(await floor.fetchTemplates(), scope).templates;
    const record = (
      kind: Case,
      ms: number,
      floorMs: number,
      schemaFloorMs: number,
      statements: number,
      outcome: string,
    ) =>
      runs.push({
        templates: n,
        tariffs: tariffCount,
        case: kind,
        ms: round(ms),
        floorMs: round(floorMs),
        ratio: round(ms / floorMs),
        schemaFloorMs: round(schemaFloorMs),
        schemaRatio: round(ms / schemaFloorMs),
        statements,
        outcome,
      });
    const measure = async (kind: Exclude<Case, 'no-op'>, run: () => Promise<{ outcome: string }>) => {
      const served = await rows();
      const result = await timed(run);
      const floorMs = await measureFloor(floor, floorOf[kind], served);
      const schemaFloorMs = await measureFloor(floor, schemaFloorOf[kind], served);
      record(kind, result.ms, floorMs, schemaFloorMs, result.statements, result.value.outcome);
    };
    // A no-op can repeat: five syncs interleaved with five bare fetches, medians of each.
    const measureNoop = async () => {
      const syncs: Awaited<ReturnType<typeof timed<{ outcome: string }>>>[] = [];
      const fetches: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        syncs.push(await timed(() => app.sync.runSync(module.id, { trigger: 'manual' })));
        fetches.push(await measureFloor(floor, 'fetch', [], 1));
      }
      const ms = median(syncs.map((r) => r.ms));
      const floorMs = median(fetches);
      const outcomes = [...new Set(syncs.map((r) => r.value.outcome))].join(', ');
      record('no-op', ms, floorMs, floorMs, Math.max(...syncs.map((r) => r.statements)), outcomes);
    };
    await measure('first', () => app.sync.runSync(module.id, { trigger: 'initial' }));
    await measureNoop();
    changeTenPercent(sim, n);
    await measure('10% changed', () => app.sync.runSync(module.id, { trigger: 'manual' }));
    return runs;
  } finally {
    await sim.close();
    await bench.dispose();
  }
}

const round = (x: number): number => Math.round(x * 100) / 100;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// Each repetition runs every case on a fresh database; each figure is the median over them (a
// ratio is the median of the per-repetition ratios: sync and floor measured side by side).
function medianRuns(reps: BenchRun[][]): BenchRun[] {
  return reps[0]!.map((first, i) => {
    const same = reps.map((rep) => rep[i]!);
    const of = (pick: (r: BenchRun) => number) => round(median(same.map(pick)));
    return {
      ...first,
      ms: of((r) => r.ms),
      floorMs: of((r) => r.floorMs),
      ratio: of((r) => r.ratio),
      schemaFloorMs: of((r) => r.schemaFloorMs),
      schemaRatio: of((r) => r.schemaRatio),
      statements: Math.max(...same.map((r) => r.statements)),
    };
  });
}

/** Runs the sync benchmark on every reachable engine; prints a table, or JSON with `--json`. */
export async function runSyncBench(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const quick = argv.includes('--quick');
  const log = (line: string) => void (json ? undefined : console.log(line));
  const sizes = quick ? [5000] : [100, 1000, 5000];
  const repeatArg = argv.find((a) => a.startsWith('--repeat='));
  const repeat = repeatArg ? Math.max(1, Number(repeatArg.slice('--repeat='.length)) || 1) : 3;
  const engines: { engine: Engine; url?: string | undefined; skipped?: string }[] = [{ engine: 'pglite' }];
  if (!quick) {
    const found = await findPostgres();
    engines.push(
      found.url ? { engine: 'postgres', url: found.url } : { engine: 'postgres', skipped: found.note },
    );
  }
  const results: { engine: Engine; runs?: BenchRun[]; skipped?: string }[] = [];
  for (const target of engines) {
    if (target.skipped) {
      log(`${target.engine}: ${target.skipped}`);
      results.push({ engine: target.engine, skipped: target.skipped });
      continue;
    }
    const runs: BenchRun[] = [];
    for (const n of sizes) {
      const reps: BenchRun[][] = [];
      for (let r = 0; r < repeat; r += 1) reps.push(await benchSize(target.engine, target.url, n));
      runs.push(...medianRuns(reps));
    }
    results.push({ engine: target.engine, runs });
    log(formatTable(target.engine, runs));
  }
  if (json) console.log(JSON.stringify({ engines: results }, null, 2));
}

function formatTable(engine: Engine, runs: BenchRun[]): string {
  const head =
    '| engine | templates | tariffs | case | ms | floor ms | ratio | schema floor ms | schema ratio | statements | outcome |';
  const rule = '|---|--:|--:|---|--:|--:|--:|--:|--:|--:|---|';
  const rows = runs.map(
    (r) =>
      `| ${engine} | ${r.templates} | ${r.tariffs} | ${r.case} | ${r.ms.toFixed(0)} | ${r.floorMs.toFixed(0)} | ` +
      `${r.ratio.toFixed(2)} | ${r.schemaFloorMs.toFixed(0)} | ${r.schemaRatio.toFixed(2)} | ${r.statements} | ${r.outcome} |`,
  );
  return [head, rule, ...rows, ''].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runSyncBench(process.argv.slice(2));
  process.exit(0);
}
