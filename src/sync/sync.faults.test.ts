import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.js';
import { dumpCatalog } from '../test/test-app.js';
import { createTestDatabase, type TestDatabase } from '../test/test-database.js';
import type { SimFault } from '../vmmanager6/simulator/sim-faults.js';
import { startVmmanagerSimulator, type VmmanagerSimulator } from '../vmmanager6/simulator/simulator.js';
import { addSimModule, createSyncApp, hastyClientFactory, withoutHealth } from './sync.test-kit.js';

interface Received {
  path: string;
  body: Record<string, unknown>;
}

let database: TestDatabase;
let sim: VmmanagerSimulator;
let app: App;
/** The same app with 300 ms timeouts, for the faults that need one to end (timeout, slow drip). */
let hasty: App;
let moduleId: number;
let hook: Server;
let hookUrl: string;
const received: Received[] = [];
let failNextHookCalls = 0;

beforeAll(async () => {
  hook = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (failNextHookCalls > 0) {
        failNextHookCalls -= 1;
        res.writeHead(500).end();
        return;
      }
      received.push({
        path: req.url ?? '',
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
  database = await createTestDatabase();
  sim = await startVmmanagerSimulator();
  // One key for both apps: each decrypts the module's password.
  const secretKey = randomBytes(32);
  app = createSyncApp(database, { alertWebhook: `${hookUrl}/global`, secretKey });
  hasty = createSyncApp(database, {
    alertWebhook: `${hookUrl}/global`,
    secretKey,
    vmmanagerClientFactory: hastyClientFactory,
  });
  moduleId = (await addSimModule(app, sim, 'msk', { clusterId: 1, webhookUrl: `${hookUrl}/module` })).id;
  await app.tariffs.createTariff({ name: 'VPS', moduleIds: [moduleId] }, 'test');
  await app.sync.runSync(moduleId, { trigger: 'initial' });
  const some = (await app.catalog.listTemplates())[0]!;
  await app.catalog.setTemplateDisabled(some.id, true, 'admin:a@example.test');
});
afterAll(async () => {
  await sim?.close();
  await database?.close();
  await new Promise((resolve) => hook?.close(resolve));
});
afterEach(async () => {
  sim.clearFaults();
  await app.sync.flushAlerts();
  await hasty.sync.flushAlerts();
  received.length = 0;
});

const os = '/vm/v3/os';
const faults: [string, SimFault, 'failed' | 'held', string | null][] = [
  ['a timeout', { kind: 'timeout', path: os, times: 'always' }, 'failed', 'upstream_timeout'],
  [
    'HTTP 500',
    { kind: 'http_error', status: 500, path: os, times: 'always' },
    'failed',
    'upstream_unavailable',
  ],
  [
    'HTTP 503',
    { kind: 'http_error', status: 503, path: os, times: 'always' },
    'failed',
    'upstream_unavailable',
  ],
  ['HTTP 401', { kind: 'unauthorized', path: os, times: 'always' }, 'failed', 'upstream_auth'],
  [
    'an expired token, every time',
    { kind: 'expire_tokens', path: os, times: 'always' },
    'failed',
    'upstream_auth',
  ],
  ['a body that is not JSON', { kind: 'non_json', path: os, times: 'always' }, 'failed', 'upstream_invalid'],
  ['an empty list', { kind: 'empty_list', path: os, times: 'always' }, 'held', null],
  ['a truncated list', { kind: 'truncated_list', path: os, times: 'always' }, 'failed', 'upstream_invalid'],
  [
    'a list without `list`',
    { kind: 'wrong_schema', path: os, times: 'always' },
    'failed',
    'upstream_invalid',
  ],
  ['a refused connection', { kind: 'refuse', times: 'always' }, 'failed', 'upstream_unavailable'],
  ['a slow drip', { kind: 'slow_drip', path: os, times: 'always' }, 'failed', 'upstream_timeout'],
  [
    'a failed login',
    { kind: 'http_error', status: 503, path: '/auth/v4/public/token', times: 'always' },
    'failed',
    'upstream_unavailable',
  ],
];

describe('a sync under every simulator fault', () => {
  it.each(faults)(
    '%s leaves the catalog unchanged and records the run',
    async (_name, fault, outcome, code) => {
      const before = withoutHealth(await dumpCatalog(app.db));
      const healthBefore = (await app.modules.getModule(moduleId)).health;
      sim.injectFault(fault);
      const runner = code === 'upstream_timeout' ? hasty : app;
      const run = await runner.sync.runSync(moduleId, { trigger: 'schedule' });
      expect(run.outcome).toBe(outcome);
      expect(run.error?.code ?? null).toBe(code);
      expect(withoutHealth(await dumpCatalog(app.db))).toBe(before);
      expect((await app.sync.getSyncRun(run.runId)).outcome).toBe(outcome);
      const health = (await app.modules.getModule(moduleId)).health;
      if (outcome === 'failed') {
        expect(health.consecutiveFailures).toBe(healthBefore.consecutiveFailures + 1);
        expect(health.lastFailureMessage).toBe(run.error?.message);
      } else {
        expect(health).toEqual(healthBefore);
      }
      await runner.sync.flushAlerts();
      expect(received.map((r) => [r.path, r.body.event, r.body.runId])).toEqual([
        ['/global', `sync.${outcome}`, run.runId],
        ['/module', `sync.${outcome}`, run.runId],
      ]);
      expect(JSON.stringify(received)).not.toContain(sim.password);
    },
  );

  it('recovers on the next run and resets the failure count', async () => {
    sim.injectFault({ kind: 'http_error', status: 500, path: os, times: 'always' });
    await app.sync.runSync(moduleId, { trigger: 'schedule' });
    sim.clearFaults();
    const run = await app.sync.runSync(moduleId, { trigger: 'schedule' });
    expect(run.outcome).toBe('no_change');
    expect((await app.modules.getModule(moduleId)).health).toMatchObject({
      consecutiveFailures: 0,
      lastSuccessAt: run.finishedAt,
    });
  });
});

describe('alerts', () => {
  it('are retried when the webhook fails, and sent once it answers', async () => {
    failNextHookCalls = 2;
    sim.injectFault({ kind: 'http_error', status: 500, path: os, times: 'always' });
    await app.modules.updateModule(moduleId, { webhookUrl: null }, 'test');
    const run = await app.sync.runSync(moduleId, { trigger: 'schedule' });
    await app.sync.flushAlerts();
    expect(received.map((r) => [r.path, r.body.runId])).toEqual([['/global', run.runId]]);
    expect(received[0]?.body).toMatchObject({ event: 'sync.failed', moduleName: 'msk', outcome: 'failed' });
  });

  it('never fail a sync when the webhook is dead', async () => {
    const dead = createSyncApp(database, { alertWebhook: 'http://127.0.0.1:1/dead' });
    sim.injectFault({ kind: 'http_error', status: 500, path: os, times: 'always' });
    const run = await dead.sync.runSync(moduleId, { trigger: 'schedule' });
    expect(run.outcome).toBe('failed');
    await dead.sync.flushAlerts();
  });

  it('page operators once while a held plan waits, not on every slot after it', async () => {
    sim.injectFault({ kind: 'empty_list', path: os, times: 'always' });
    await app.modules.updateModule(moduleId, { webhookUrl: null }, 'test');
    const first = await app.sync.runSync(moduleId, { trigger: 'schedule' });
    const again = await app.sync.runSync(moduleId, { trigger: 'schedule' });
    await app.sync.flushAlerts();
    expect([first.outcome, again.outcome]).toEqual(['held', 'held']);
    expect(received.map((r) => [r.body.event, r.body.runId])).toEqual([['sync.held', first.runId]]);
    await app.sync.discardHeldRun(again.runId, 'admin:a@example.test');
  });
});
