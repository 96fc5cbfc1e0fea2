// `npm run bench:sync [-- --json] [-- --quick]`: sync timings against the floor (see docs/performance.md).
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createApp, type App } from '../src/app.js';
import type { Engine } from '../src/db/database.js';
import { queryRows } from '../src/db/query.js';
import { createSecretBox } from '../src/shared/secrets.js';
import { startVmmanagerSimulator, type VmmanagerSimulator } from '../src/vmmanager6/simulator/simulator.js';
import { selectModuleTemplates, internalNameOf } from '../src/vmmanager6/vmmanager6.templates.js';
import { findPostgres, openBenchDatabase, statementCounter } from './sync-bench.engines.js';
import { measureFloor, prepareFloor, type FloorKind } from './sync-bench.floor.js';

const tariffCount = 1000;
type Case = 'first' | 'no-op' | '10% changed';

export interface BenchRun {
  templates: number;
  tariffs: number;
  case: Case;
  ms: number;
  floorMs: number;
  ratio: number;
  statements: number;
  outcome: string;
}

const floorOf: Record<Case, FloorKind> = {
  first: 'fetch+insert',
  'no-op': 'fetch',
  '10% changed': 'fetch+upsert',
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
    const floor = await prepareFloor(database.db, sim);
    const runs: BenchRun[] = [];
    const measure = async (kind: Case, run: () => Promise<{ outcome: string }>) => {
      const rows = selectModuleTemplates(await floor.fetchTemplates(), null).map((t) => ({
        internalName: internalNameOf(t),
        displayName: t.name,
        minDiskMib: t.hddMibRequired,
        upstreamId: t.id,
        tags: t.tags,
      }));
      const result = await timed(run);
      const floorMs = await measureFloor(floor, floorOf[kind], rows);
      runs.push({
        templates: n,
        tariffs: tariffCount,
        case: kind,
        ms: round(result.ms),
        floorMs: round(floorMs),
        ratio: round(result.ms / floorMs),
        statements: result.statements,
        outcome: result.value.outcome,
      });
    };
    await measure('first', () => app.sync.runSync(module.id, { trigger: 'initial' }));
    await measure('no-op', () => app.sync.runSync(module.id, { trigger: 'manual' }));
    changeTenPercent(sim, n);
    await measure('10% changed', () => app.sync.runSync(module.id, { trigger: 'manual' }));
    return runs;
  } finally {
    await sim.close();
    await bench.dispose();
  }
}

const round = (x: number): number => Math.round(x * 100) / 100;

/** Runs the sync benchmark on every reachable engine; prints a table, or JSON with `--json`. */
export async function runSyncBench(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const quick = argv.includes('--quick');
  const log = (line: string) => void (json ? undefined : console.log(line));
  const sizes = quick ? [5000] : [100, 1000, 5000];
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
    for (const n of sizes) runs.push(...(await benchSize(target.engine, target.url, n)));
    results.push({ engine: target.engine, runs });
    log(formatTable(target.engine, runs));
  }
  if (json) console.log(JSON.stringify({ engines: results }, null, 2));
}

function formatTable(engine: Engine, runs: BenchRun[]): string {
  const head = '| engine | templates | tariffs | case | ms | floor ms | ratio | statements | outcome |';
  const rule = '|---|--:|--:|---|--:|--:|--:|--:|---|';
  const rows = runs.map(
    (r) =>
      `| ${engine} | ${r.templates} | ${r.tariffs} | ${r.case} | ${r.ms.toFixed(0)} | ${r.floorMs.toFixed(0)} | ${r.ratio.toFixed(2)} | ${r.statements} | ${r.outcome} |`,
  );
  return [head, rule, ...rows, ''].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runSyncBench(process.argv.slice(2));
  process.exit(0);
}
