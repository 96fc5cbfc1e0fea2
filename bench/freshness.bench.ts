/**
 * `npm run bench:freshness [-- --json] [-- --modules N] [-- --rounds N] [-- --quick]`: how soon a
 * change in VMmanager is on the storefront, on the default schedule in real time, and what
 * keeping an unchanged module fresh costs in CPU. PGlite in memory, or PostgreSQL with
 * DATABASE_URL. Method and results: docs/performance.md, "Freshness".
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import { createApp, type App } from '../src/app.js';
import { queryRows } from '../src/db/query.js';
import { buildHttpServer } from '../src/http/http.server.js';
import { createAppScheduler } from '../src/jobs/app-scheduler.js';
import { defaultSyncSchedule } from '../src/modules/sync-schedule.js';
import { createLogger } from '../src/shared/logger.js';
import { createSecretBox } from '../src/shared/secrets.js';
import { startVmmanagerSimulator, type VmmanagerSimulator } from '../src/vmmanager6/simulator/simulator.js';
import { measurePollingCost, perModuleHour, type PollingCost } from './freshness-cpu.js';
import { openBenchDatabase } from './sync-bench.engines.js';

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const quick = args.includes('--quick');
const numberArg = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) || fallback : fallback;
};
const moduleCount = numberArg('--modules', 7);
const rounds = numberArg('--rounds', quick ? 1 : 3);
const templates = 200;
const pollEveryMs = 100;
const log = (text: string) => (asJson ? process.stderr : process.stdout).write(text + '\n');

type ChangeKind = 'add' | 'remove' | 'min disk';
const kinds: ChangeKind[] = ['add', 'remove', 'min disk'];

interface Change {
  module: number;
  kind: ChangeKind;
  /** Change → the storefront answer (ETag) changed. */
  totalMs: number;
  /** Change → the slot of the scheduled run that applied it (waiting for the schedule). */
  waitMs: number;
  /** That slot → the storefront answer changed (sync, commit, cache, HTTP). */
  pipelineMs: number;
  /** Change → the `tariff.list_changed` event naming the tariff's new ETag reached the receiver. */
  webhookMs: number;
}

/**
 * A storefront's webhook receiver on loopback: notes when each (tariff, ETag) was first announced.
 * `arrival` waits for one (at most a minute past the storefront's own change).
 */
async function startReceiver() {
  const arrivals = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = Date.now();
      res.writeHead(200).end();
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        type: string;
        data: { tariffs?: { tariffId: number; etag: string }[] };
      };
      for (const t of event.data.tariffs ?? []) {
        const key = `${t.tariffId} ${t.etag}`;
        if (!arrivals.has(key)) arrivals.set(key, at);
        waiters.get(key)?.();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    async arrival(tariffId: number, etag: string): Promise<number> {
      const key = `${tariffId} ${etag}`;
      if (!arrivals.has(key))
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`tariff ${tariffId}: no webhook for ${etag}`)),
            60_000,
          );
          waiters.set(key, () => {
            clearTimeout(timer);
            resolve();
          });
        });
      waiters.delete(key);
      return arrivals.get(key)!;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** A deterministic pseudo-random sequence, so every run makes the same changes at the same offsets. */
function lcg(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One change of `kind` in the simulator, to a template the module's tariff offers. */
function makeChange(sim: VmmanagerSimulator, kind: ChangeKind, tag: string): void {
  const offered = sim.state.listTemplates().filter((t) => t.state === 'active' && !t.adminonly);
  const target = offered[offered.length - 1]!;
  if (kind === 'add') sim.state.addTemplate({ name: `Fresh ${tag}`, clusterIds: [1, 2] });
  else if (kind === 'remove') sim.state.removeTemplate(target.id);
  else sim.state.setHddMibRequired(target.id, (target.hdd_mib_required ?? 0) + 1024);
}

interface Storefront {
  base: string;
  token: string;
}

/** Polls a tariff's list with If-None-Match until the answer is a 200 with another ETag. */
async function waitForNewList(storefront: Storefront, tariffId: number, etag: string): Promise<string> {
  const url = `${storefront.base}/api/v1/storefront/tariffs/${tariffId}/os`;
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const res = await fetch(url, {
      headers: { authorization: `Bearer ${storefront.token}`, 'if-none-match': etag },
    });
    await res.arrayBuffer();
    if (res.status === 200 && res.headers.get('etag') !== etag) return res.headers.get('etag')!;
    if (res.status !== 304 && res.status !== 200) throw new Error(`storefront answered ${res.status}`);
    await sleep(pollEveryMs);
  }
  throw new Error(`tariff ${tariffId}: the change never reached the storefront`);
}

async function currentEtag(storefront: Storefront, tariffId: number): Promise<string> {
  const res = await fetch(`${storefront.base}/api/v1/storefront/tariffs/${tariffId}/os`, {
    headers: { authorization: `Bearer ${storefront.token}` },
  });
  await res.arrayBuffer();
  return res.headers.get('etag')!;
}

/** The slot of the first scheduled run that applied something after `at`. */
async function applyingSlot(app: App, moduleId: number, at: number): Promise<number> {
  const runs = await app.sync.listSyncRuns({ moduleId, limit: 20 });
  const applied = runs
    .filter((r) => r.trigger === 'schedule' && r.outcome === 'applied' && r.finishedAt)
    .filter((r) => r.finishedAt!.getTime() >= at)
    .sort((a, b) => a.slot!.getTime() - b.slot!.getTime());
  if (!applied[0]) {
    const seen = runs.map(
      (r) =>
        `${r.trigger} ${r.outcome} slot ${r.slot?.toISOString()} ${r.startedAt.toISOString()}–${r.finishedAt?.toISOString()}`,
    );
    throw new Error(
      `module ${moduleId}: no scheduled run applied the change made at ${new Date(at).toISOString()}:\n${seen.join('\n')}`,
    );
  }
  return applied[0].slot!.getTime();
}

interface Target {
  sim: VmmanagerSimulator;
  moduleId: number;
  tariffId: number;
}

async function addTargets(app: App, count: number): Promise<Target[]> {
  const targets: Target[] = [];
  for (let i = 0; i < count; i += 1) {
    const sim = await startVmmanagerSimulator({ port: 0, seed: { templates } });
    // Installations of their own: a template is one catalog entry by name, so the same seed in
    // every simulator would make the modules share (and fight over) each template's minimum disk.
    sim.state.renameRepository(1, `Site${i}`);
    sim.state.renameRepository(2, `Site${i}-extra`);
    const module = await app.modules.createModule(
      { name: `fresh-${i}`, url: sim.url, adminEmail: sim.email, password: sim.password },
      'bench',
    );
    if (module.schedule !== defaultSyncSchedule) throw new Error('not the default schedule');
    await app.sync.runSync(module.id, { trigger: 'initial' });
    const rows = await queryRows<{ id: number }>(
      app.db,
      sql`with t as (insert into tariffs (product_type_id, name) values
            ((select id from product_types order by id limit 1), ${`Fresh ${i}`}) returning id)
          insert into tariff_modules (tariff_id, module_id) select id, ${module.id} from t returning tariff_id as id`,
    );
    targets.push({ sim, moduleId: module.id, tariffId: rows[0]!.id });
  }
  return targets;
}

/** Each module on its own: `rounds` times, wait a random 0–30 s, change, time the storefront. */
async function measureLatency(
  app: App,
  storefront: Storefront,
  receiver: Receiver,
  targets: Target[],
): Promise<Change[]> {
  const changes: Change[] = [];
  await Promise.all(
    targets.map(async (target, i) => {
      const random = lcg(1000 + i);
      for (let round = 0; round < rounds; round += 1) {
        const etag = await currentEtag(storefront, target.tariffId);
        await sleep(random(30_000));
        const kind = kinds[(i + round) % kinds.length]!;
        const at = Date.now();
        makeChange(target.sim, kind, `${i}-${round}`);
        const newEtag = await waitForNewList(storefront, target.tariffId, etag);
        const seen = Date.now();
        const announced = await receiver.arrival(target.tariffId, newEtag);
        const slot = await applyingSlot(app, target.moduleId, at);
        changes.push({
          module: i,
          kind,
          totalMs: seen - at,
          waitMs: Math.max(0, slot - at),
          pipelineMs: seen - Math.max(slot, at),
          webhookMs: announced - at,
        });
      }
    }),
  );
  return changes;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const seconds = (ms: number) => (ms / 1000).toFixed(2);

function formatTable(changes: Change[], cost: PollingCost): string {
  const row = (what: string, xs: number[], target = '') =>
    `| ${what} | ${xs.length} | ${seconds(median(xs))} s | ${seconds(Math.max(...xs))} s | ${target} |`;
  const perSync = perModuleHour(cost.perSyncMs);
  const window = perModuleHour(cost.windowPerRunMs);
  const pct = (share: number) => `${(share * 100).toFixed(3)} %`;
  return [
    '| measure | n | median | max | target |',
    '|---|--:|--:|--:|---|',
    row(
      'change → storefront answer changed',
      changes.map((c) => c.totalMs),
      'max ≤ 60 s',
    ),
    row(
      '… change → slot that applied it (schedule wait)',
      changes.map((c) => c.waitMs),
    ),
    row(
      '… slot → storefront changed (sync, commit, cache)',
      changes.map((c) => c.pipelineMs),
    ),
    row(
      'change → webhook arrived (tariff.list_changed with the new ETag)',
      changes.map((c) => c.webhookMs),
      'max ≤ 60 s',
    ),
    ...kinds
      .filter((k) => changes.some((c) => c.kind === k))
      .map((k) =>
        row(
          `change → storefront, ${k} only`,
          changes.filter((c) => c.kind === k).map((c) => c.totalMs),
        ),
      ),
    '',
    `| polling an unchanged ${cost.templates}-template module | CPU per sync | CPU per module-hour (×120) | share of a core | target |`,
    '|---|--:|--:|--:|---|',
    `| method 1: ${cost.syncs} back-to-back scheduled slots (${cost.outcomes}; ${cost.perSyncWallMs.toFixed(1)} ms wall each) | ${cost.perSyncMs.toFixed(2)} ms | ${perSync.seconds.toFixed(2)} s | ${pct(perSync.coreShare)} | ≤ 0.5 % |`,
    `| method 2: real scheduler at 1/s for ${cost.windowS} s, process CPU ÷ ${cost.windowRuns} runs | ${cost.windowPerRunMs.toFixed(2)} ms | ${window.seconds.toFixed(2)} s | ${pct(window.coreShare)} | ≤ 0.5 % |`,
  ].join('\n');
}

async function main() {
  const serverUrl = process.env.DATABASE_URL;
  const engine = serverUrl ? 'postgres' : 'pglite';
  log(`load average ${loadavg()[0]!.toFixed(2)} on ${cpus().length} CPUs at start; engine ${engine}`);
  const bench = await openBenchDatabase(engine, serverUrl);
  const app = createApp({
    database: bench.database,
    secrets: createSecretBox(randomBytes(32)),
    logger: createLogger({ level: 'silent' }),
  });
  const targets = await addTargets(app, moduleCount);
  const token = (await app.auth.createToken({ name: 'bench', scope: 'storefront' }, 'bench')).secret;
  const receiver = await startReceiver();
  await app.webhooks.createEndpoint({ url: receiver.url, events: ['tariff.list_changed'] }, 'bench');
  const server = await buildHttpServer(app);
  const storefront = { base: await server.listen({ host: '127.0.0.1', port: 0 }), token };
  const scheduler = createAppScheduler(app, { instanceId: 'bench' });
  await scheduler.start();
  log(
    `${moduleCount} modules × ${templates} templates on "${defaultSyncSchedule}", ${rounds} change(s) each; ` +
      `storefront polled every ${pollEveryMs} ms with If-None-Match …`,
  );
  let changes: Change[];
  try {
    changes = await measureLatency(app, storefront, receiver, targets);
  } finally {
    await scheduler.stop();
    await server.close();
    await receiver.close();
    await app.sync.close();
    for (const t of targets) await t.sim.close();
    await bench.dispose();
  }
  log('measuring the CPU of polling an unchanged module …');
  const cost = await measurePollingCost(engine, serverUrl, {
    templates,
    syncs: quick ? 20 : 60,
    windowS: quick ? 10 : 20,
  });
  if (asJson) {
    process.stdout.write(JSON.stringify({ engine, schedule: defaultSyncSchedule, changes, cost }) + '\n');
    return;
  }
  log('\n' + formatTable(changes, cost));
  const max = Math.max(...changes.flatMap((c) => [c.totalMs, c.webhookMs]));
  const share = perModuleHour(Math.max(cost.perSyncMs, cost.windowPerRunMs)).coreShare;
  log(
    `\nmax ${seconds(max)} s to the storefront or the webhook (target ≤ 60 s): ${max <= 60_000 ? 'met' : 'MISSED'}; ` +
      `polling ${(share * 100).toFixed(3)} % of a core per module (target ≤ 0.5 %): ${share <= 0.005 ? 'met' : 'MISSED'}; ` +
      `load average ${loadavg()[0]!.toFixed(2)} at the end`,
  );
  if (max > 60_000 || share > 0.005) process.exitCode = 1;
}

await main();
