// `npm run bench:feed [-- --json] [-- --quick] [-- --repeat=N]`: what the change feed
// (tariff.list_changed) adds to an admin edit and a sync apply (see docs/performance.md).
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createApp, type App } from '../src/app.js';
import type { Engine } from '../src/db/database.js';
import { queryRows } from '../src/db/query.js';
import { createSecretBox } from '../src/shared/secrets.js';
import { startVmmanagerSimulator, type VmmanagerSimulator } from '../src/vmmanager6/simulator/simulator.js';
import { collectGarbage } from './sync-bench.floor.js';
import { findPostgres, openBenchDatabase } from './sync-bench.engines.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const quick = args.includes('--quick');
const repeat = Number(args.find((a) => a.startsWith('--repeat='))?.split('=')[1] ?? (quick ? 6 : 12));
const tariffCount = 50;
const sharedTemplates = 450;
const ownTemplates = 50; // each tariff lists 450 + 50 = 500 templates

type Case = 'edit, one tariff' | 'sync apply, one tariff' | 'edit, every tariff';
interface Timing {
  median: number;
  p95: number;
}
export interface FeedRow {
  case: Case;
  without: Timing;
  with: Timing;
  /** with ÷ without, of the medians. */
  ratio: number;
  /** Tariffs the last event with a subscriber named. */
  announced: number;
}

/**
 * 50 tariffs, each listing 500 templates: 450 on a module every tariff uses and 50 on a module
 * of its own. Tariff 1's own module is a VMmanager simulator (synced for real); the rest is
 * written straight into the catalog.
 */
async function seed(app: App, sim: VmmanagerSimulator) {
  const run = (text: string) => app.db.execute(sql.raw(text));
  const password = createSecretBox(randomBytes(32)).encrypt('a password');
  await run(`insert into processing_modules (product_type_id, name, url, admin_email, password_encrypted, sort)
    select 1, 'module ' || m, 'https://vm' || m || '.example.com', 'admin@example.com', '${password}', m
    from generate_series(0, ${tariffCount}) m where m <> 1`);
  const simModule = await app.modules.createModule(
    { name: 'module 1', url: sim.url, adminEmail: sim.email, password: sim.password, sort: 1 },
    'bench',
  );
  await run(`insert into parameter_values (parameter_id, display_name, internal_name, sort)
    select 1, 'Shared ' || i, 'Bench__Shared ' || i, i from generate_series(1, ${sharedTemplates}) i`);
  await run(`insert into module_templates (module_id, value_id, upstream_id)
    select (select id from processing_modules where name = 'module 0'), v.id, v.id
    from parameter_values v where v.internal_name like 'Bench__Shared %'`);
  await run(`insert into parameter_values (parameter_id, display_name, internal_name, sort)
    select 1, 'Own ' || m || '.' || i, 'Bench__Own ' || m || '.' || i, 1000 + i
    from generate_series(2, ${tariffCount}) m, generate_series(1, ${ownTemplates}) i`);
  await run(`insert into module_templates (module_id, value_id, upstream_id)
    select pm.id, v.id, v.id from parameter_values v
    join processing_modules pm on v.internal_name like 'Bench\\_\\_Own ' || split_part(pm.name, ' ', 2) || '.%'`);
  await run(`insert into tariffs (product_type_id, name, disk_mib)
    select 1, 'Feed ' || t, 102400 from generate_series(1, ${tariffCount}) t`);
  await run(`insert into tariff_modules (tariff_id, module_id)
    select t.id, pm.id from tariffs t join processing_modules pm
      on pm.name in ('module 0', 'module ' || split_part(t.name, ' ', 2))`);
  const applied = await app.sync.runSync(simModule.id, { trigger: 'initial' });
  if (applied.outcome !== 'applied') throw new Error(`initial sync: ${applied.outcome}`);
  const ids = async (like: string) =>
    (
      await queryRows<{ id: number }>(
        app.db,
        sql`select id from parameter_values where internal_name like ${like} order by id limit 1`,
      )
    )[0]!.id;
  return {
    simModuleId: simModule.id,
    ownTemplate: await ids('Bench__Own 2.%'),
    sharedTemplate: await ids('Bench__Shared %'),
  };
}

const round = (n: number) => Math.round(n * 10) / 10;
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const timingOf = (values: number[]): Timing => ({
  median: round(percentile(values, 50)),
  p95: round(percentile(values, 95)),
});

async function timed(run: () => Promise<unknown>): Promise<number> {
  collectGarbage();
  const start = performance.now();
  await run();
  return performance.now() - start;
}

async function benchEngine(engine: Engine, serverUrl: string | undefined): Promise<FeedRow[]> {
  const bench = await openBenchDatabase(engine, serverUrl);
  const sim = await startVmmanagerSimulator({ seed: { templates: ownTemplates } });
  try {
    const app = createApp({ database: bench.database, secrets: createSecretBox(randomBytes(32)) });
    const { simModuleId, ownTemplate, sharedTemplate } = await seed(app, sim);
    const flips = { own: false, sync: false, shared: false };
    const served = sim.state.listTemplates()[0]!;
    const cases: Record<Case, () => Promise<unknown>> = {
      // A template only tariff 2 offers, disabled and enabled in turn.
      'edit, one tariff': () =>
        app.catalog.setTemplateDisabled(ownTemplate, (flips.own = !flips.own), 'admin:bench'),
      // Tariff 1's own VMmanager changes one template's minimum disk; the sync applies it.
      'sync apply, one tariff': async () => {
        flips.sync = !flips.sync;
        sim.state.setHddMibRequired(served.id, (flips.sync ? 2 : 1) * 1024);
        const run = await app.sync.runSync(simModuleId, { trigger: 'manual' });
        if (run.outcome !== 'applied') throw new Error(`sync: ${run.outcome}`);
      },
      // A template every tariff offers: every list changes, so every list is read.
      'edit, every tariff': () =>
        app.catalog.setTemplateDisabled(sharedTemplate, (flips.shared = !flips.shared), 'admin:bench'),
    };
    const times = new Map<string, number[]>();
    const measureBlock = async (subscribed: boolean, n: number) => {
      for (const [name, run] of Object.entries(cases)) {
        await run(); // warm-up
        const list = times.get(`${name}|${subscribed}`) ?? [];
        for (let i = 0; i < n; i += 1) list.push(await timed(run));
        times.set(`${name}|${subscribed}`, list);
      }
    };
    // Two rounds of each, alternating, so a change in the machine's load hits both alike.
    const half = Math.ceil(repeat / 2);
    let endpointId: number | undefined;
    for (let r = 0; r < 2; r += 1) {
      await measureBlock(false, half);
      if (endpointId === undefined)
        endpointId = (
          await app.webhooks.createEndpoint(
            { url: 'https://shop.example.com/hooks/os', events: ['tariff.list_changed'] },
            'bench',
          )
        ).endpoint.id;
      else await app.webhooks.updateEndpoint(endpointId, { enabled: true }, 'bench');
      await measureBlock(true, half);
      await app.webhooks.updateEndpoint(endpointId, { enabled: false }, 'bench');
    }
    const announced = async (run: () => Promise<unknown>) => {
      await app.webhooks.updateEndpoint(endpointId!, { enabled: true }, 'bench');
      await run();
      const [last] = await queryRows<{ n: number }>(
        app.db,
        sql`select jsonb_array_length(data->'tariffs')::int as n from webhook_events
            where type = 'tariff.list_changed' order by created_at desc, id desc limit 1`,
      );
      await app.webhooks.updateEndpoint(endpointId!, { enabled: false }, 'bench');
      return last?.n ?? 0;
    };
    const rows: FeedRow[] = [];
    for (const [name, run] of Object.entries(cases) as [Case, () => Promise<unknown>][]) {
      const without = timingOf(times.get(`${name}|false`)!);
      const withSub = timingOf(times.get(`${name}|true`)!);
      rows.push({
        case: name,
        without,
        with: withSub,
        ratio: round(withSub.median / without.median),
        announced: await announced(run),
      });
    }
    return rows;
  } finally {
    await sim.close();
    await bench.dispose();
  }
}

const engines: { engine: Engine; rows: FeedRow[] }[] = [];
const pgServer = quick ? { note: 'PostgreSQL skipped (--quick)' } : await findPostgres();
for (const [engine, url] of [
  ['pglite', undefined],
  ...(pgServer.url ? [['postgres', pgServer.url]] : []),
] as [Engine, string | undefined][]) {
  engines.push({ engine, rows: await benchEngine(engine, url) });
}
if (json)
  console.log(
    JSON.stringify({ tariffs: tariffCount, listLength: sharedTemplates + ownTemplates, repeat, engines }),
  );
else {
  console.log(
    `${tariffCount} tariffs × ${sharedTemplates + ownTemplates} templates each, ${repeat} runs per case; ${pgServer.note}`,
  );
  console.log(
    '| engine | case | no subscriber median / p95 ms | subscriber median / p95 ms | ratio | tariffs announced |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: |');
  for (const { engine, rows } of engines)
    for (const r of rows)
      console.log(
        `| ${engine} | ${r.case} | ${r.without.median} / ${r.without.p95} | ${r.with.median} / ${r.with.p95} | ${r.ratio} | ${r.announced} |`,
      );
}
