/**
 * `npm run bench:api [-- --json] [-- --seconds N]`: the storefront OS list of a tariff against its
 * floor (a benchmark-only route answering the same bytes from memory), plus /healthz, measured
 * with autocannon on loopback against one server in one run. Catalog: 5,000 templates over 20
 * modules, 1,000 tariffs using 1–3 modules each. PGlite in memory, or PostgreSQL with DATABASE_URL.
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { createApp } from '../src/app.js';
import { parameterValues } from '../src/catalog/catalog.tables.js';
import { selectOsParameter } from '../src/catalog/catalog.repository.js';
import { openPglite, openPostgres, type Database } from '../src/db/database.js';
import { migratePgliteDb, migratePostgres } from '../src/db/migrate.js';
import { buildHttpServer } from '../src/http/http.server.js';
import { moduleTemplates } from '../src/modules/modules.tables.js';
import { createLogger } from '../src/shared/logger.js';
import { createSecretBox } from '../src/shared/secrets.js';
import { tariffModules, tariffs } from '../src/tariffs/tariffs.tables.js';

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const seconds = Number(args[args.indexOf('--seconds') + 1]) || 8;
const connections = 20;
const log = (text: string) => (asJson ? process.stderr : process.stdout).write(text + '\n');

async function openDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (url) {
    await migratePostgres(url);
    return openPostgres(url, { max: 10 });
  }
  const database = await openPglite();
  await migratePgliteDb(database.pglite);
  return database;
}

/** A deterministic pseudo-random sequence, so every run builds the same catalog. */
function lcg(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
}

async function seedCatalog(app: ReturnType<typeof createApp>) {
  const random = lcg(42);
  const moduleIds: number[] = [];
  for (let m = 1; m <= 20; m += 1) {
    const module = await app.modules.createModule(
      {
        name: `cluster-${m}`,
        url: `https://vm${m}.example.test`,
        adminEmail: 'a@example.test',
        password: 'x',
        sort: m,
      },
      'bench',
    );
    moduleIds.push(module.id);
  }
  const parameter = (await selectOsParameter(app.db))!;
  for (let m = 0; m < 20; m += 1) {
    const values = Array.from({ length: 250 }, (_, i) => ({
      parameterId: parameter.id,
      internalName: `Repo${m}__OS template ${m}-${i}`,
      displayName: `OS template ${m}-${i}`,
      sort: random(10_000),
      minDiskMib: random(4) === 0 ? null : 5120 + random(8) * 5120,
    }));
    const rows = await app.db.insert(parameterValues).values(values).returning({ id: parameterValues.id });
    await app.db
      .insert(moduleTemplates)
      .values(rows.map((r) => ({ moduleId: moduleIds[m]!, valueId: r.id, connected: true })));
  }
  const tariffRows = await app.db
    .insert(tariffs)
    .values(
      Array.from({ length: 1000 }, (_, i) => ({
        productTypeId: parameter.productTypeId,
        name: `tariff-${i}`,
        diskMib: random(3) === 0 ? null : 20480 + random(10) * 10240,
      })),
    )
    .returning({ id: tariffs.id });
  const links: { tariffId: number; moduleId: number }[] = [];
  for (const t of tariffRows) {
    const count = 1 + random(3);
    const chosen = new Set<number>();
    while (chosen.size < count) chosen.add(moduleIds[random(20)]!);
    for (const moduleId of chosen) links.push({ tariffId: t.id, moduleId });
  }
  await app.db.insert(tariffModules).values(links);
  return tariffRows.map((t) => t.id);
}

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  /** This process's CPU time per request (server and client alike): barely moved by other processes. */
  cpuUs: number;
}

async function measure(url: string, headers: Record<string, string>, duration = seconds): Promise<Measured> {
  const before = process.cpuUsage();
  const result = await autocannon({ url, headers, connections, duration, pipelining: 1 });
  const used = process.cpuUsage(before);
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuUs: (used.user + used.system) / result.requests.total,
  };
}

/** The JSON document's shape (issue 5): rps and latencies only. */
const published = ({ rps, p50, p99 }: Measured) => ({ rps, p50, p99 });

async function main() {
  const database = await openDatabase();
  const app = createApp({
    database,
    secrets: createSecretBox(randomBytes(32)),
    logger: createLogger({ level: 'silent' }),
  });
  // A loaded machine makes the ratio meaningless; say how loaded it was.
  const load = () => loadavg()[0]!.toFixed(2);
  log(`load average ${load()} on ${cpus().length} CPUs at start`);
  log('seeding 20 modules, 5,000 templates, 1,000 tariffs …');
  const tariffIds = await seedCatalog(app);
  const token = (await app.auth.createToken({ name: 'bench', scope: 'storefront' }, 'bench')).secret;
  // The tariff with the longest list (the hardest realistic case).
  let tariffId = tariffIds[0]!;
  let longest = -1;
  for (const id of tariffIds.slice(0, 200)) {
    const n = (await app.tariffs.listOrderableTemplates(id)).length;
    if (n > longest) [tariffId, longest] = [id, n];
  }
  let floorBytes = Buffer.alloc(0);
  const server = await buildHttpServer(app, {
    configure: (s) => {
      s.get('/bench/floor', { schema: { hide: true } }, (_request, reply) => {
        void reply.type('application/json; charset=utf-8').send(floorBytes);
      });
    },
  });
  const base = await server.listen({ host: '127.0.0.1', port: 0 });
  const auth = { authorization: `Bearer ${token}` };
  const first = await fetch(`${base}/api/v1/storefront/tariffs/${tariffId}/os`, { headers: auth });
  // The same bytes as the route, held the way the route's cache holds them (a Buffer, sent as is).
  floorBytes = Buffer.from(await first.arrayBuffer());
  log(
    `tariff ${tariffId}: ${longest} templates, ${floorBytes.length} bytes per answer; ${seconds} s per route, ${connections} connections`,
  );
  const osListUrl = `${base}/api/v1/storefront/tariffs/${tariffId}/os`;
  const floorUrl = `${base}/bench/floor`;
  // Both routes get the very same request (the floor ignores the token), so only the server's work differs.
  // Warm both paths (JIT, caches) before measuring; then alternate so background load hits both alike.
  await measure(osListUrl, auth, 2);
  await measure(floorUrl, auth, 2);
  const rounds: [Measured, Measured][] = [];
  for (let i = 0; i < 4; i += 1) {
    rounds.push([await measure(osListUrl, auth, seconds / 4), await measure(floorUrl, auth, seconds / 4)]);
  }
  const mean = (pick: (r: [Measured, Measured]) => Measured): Measured => ({
    rps: Math.round(rounds.reduce((n, r) => n + pick(r).rps, 0) / rounds.length),
    p50: Math.max(...rounds.map((r) => pick(r).p50)),
    p99: Math.max(...rounds.map((r) => pick(r).p99)),
    cpuUs: rounds.reduce((n, r) => n + pick(r).cpuUs, 0) / rounds.length,
  });
  const osList = mean((r) => r[0]);
  const floor = mean((r) => r[1]);
  const healthz = await measure(`${base}/healthz`, {});
  const ratio = Math.round((osList.rps / floor.rps) * 100) / 100;
  const cpuRatio = Math.round((floor.cpuUs / osList.cpuUs) * 100) / 100;
  await server.close();
  await database.close();
  if (asJson) {
    log(`load average ${load()} at the end; CPU time ratio ${cpuRatio}`);
    const document = {
      osList: published(osList),
      floor: published(floor),
      healthz: published(healthz),
      ratio,
    };
    process.stdout.write(JSON.stringify(document) + '\n');
    return;
  }
  const row = (name: string, m: Measured) =>
    name.padEnd(34) + [m.rps, m.p50, m.p99, Math.round(m.cpuUs)].map((n) => String(n).padStart(9)).join('');
  log(`\n${'route'.padEnd(34)}${['req/s', 'p50 ms', 'p99 ms', 'CPU µs'].map((h) => h.padStart(9)).join('')}`);
  log(row('storefront OS list', osList));
  log(row('floor (same bytes from memory)', floor));
  log(row('/healthz', healthz));
  log(`\nratio OS list / floor: ${ratio} (target ≥ 0.8); load average ${load()} at the end`);
  log(`CPU time per request, floor / OS list: ${cpuRatio} (this process only; less sensitive to load)`);
}

await main();
