import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createApp, type App } from '../app.js';
import { queryRows } from '../db/query.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../shared/logger.js';
import { parseOutboundAllowList } from '../shared/outbound.js';
import { createSecretBox } from '../shared/secrets.js';
import { dumpCatalog } from '../test/test-app.js';
import { createTestDatabase, type TestDatabase } from '../test/test-database.js';
import { startVmmanagerSimulator, type VmmanagerSimulator } from '../vmmanager6/simulator/simulator.js';
import { markModuleFailed } from './sync-runs.repository.js';
import { addSimModule, createSyncApp, withoutHealth } from './sync.test-kit.js';

// What a hostile VMmanager or a hostile webhook target can do to a sync, on both engines.
let database: TestDatabase;
let sim: VmmanagerSimulator;
let app: App;
let moduleId: number;
const secretKey = randomBytes(32);
const os = '/vm/v3/os';
const MiB = 1024 * 1024;

/** An app with the real client factory (so the allow-list applies) and its log lines. */
function loggedApp(options: { alertWebhook?: string; allow?: string } = {}) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logged = createApp({
    database,
    secrets: createSecretBox(secretKey),
    logger: createLogger({ level: 'debug', destination }),
    ...(options.alertWebhook ? { alertWebhook: options.alertWebhook } : {}),
    ...(options.allow ? { outboundAllow: parseOutboundAllowList(options.allow) } : {}),
  });
  return { app: logged, lines };
}

/** A plain HTTP server (a webhook target, or an internal service a redirect points at). */
async function startTarget(answer: (req: IncomingMessage, res: ServerResponse) => void) {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}`);
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  sim = await startVmmanagerSimulator();
  app = createSyncApp(database, { secretKey });
  moduleId = (await addSimModule(app, sim, 'msk', { clusterId: 1 })).id;
  await app.sync.runSync(moduleId, { trigger: 'initial' });
});
afterAll(async () => {
  await sim?.close();
  await database?.close();
});
beforeEach(() => {
  sim.clearFaults();
  sim.requests.length = 0;
});

describe('an over-size VMmanager answer', () => {
  it('fails the run with its own reason after one request, and changes nothing', async () => {
    await app.modules.updateModule(moduleId, { maxAnswerBytes: MiB }, 'test');
    const before = withoutHealth(await dumpCatalog(app.db));
    sim.injectFault({ kind: 'oversize', path: os, bytes: 100 * MiB, times: 'always' });
    const run = await app.sync.runSync(moduleId, { trigger: 'manual' });
    expect(run.outcome).toBe('failed');
    expect(run.error).toMatchObject({ code: 'upstream_invalid' });
    expect(run.error!.message).toMatch(/more than 1 MiB \(the module's answer limit\)/);
    expect(sim.requests.filter((r) => r.path === os)).toHaveLength(1);
    expect(withoutHealth(await dumpCatalog(app.db))).toBe(before);
    const module = await app.modules.getModule(moduleId);
    expect(module.maxAnswerBytes).toBe(MiB);
    expect(module.health.lastFailureMessage).toMatch(/more than 1 MiB/);
    await app.modules.updateModule(moduleId, { maxAnswerBytes: 32 * MiB }, 'test');
  });

  it('limits are whole numbers between 64 KiB and 256 MiB', async () => {
    for (const maxAnswerBytes of [1000, 512 * MiB, 1.5]) {
      await expect(app.modules.updateModule(moduleId, { maxAnswerBytes }, 'test')).rejects.toMatchObject({
        code: 'invalid_input',
      });
    }
  });
});

describe('long upstream error text', () => {
  it('is stored cut to a few KB in the run and the module health, and the run list stays small', async () => {
    sim.injectFault({ kind: 'http_error', status: 400, code: 2002, msg: 'y'.repeat(5 * MiB), path: os });
    const run = await app.sync.runSync(moduleId, { trigger: 'manual' });
    expect(run.outcome).toBe('failed');
    expect(run.error!.message.length).toBeLessThan(5000);
    const health = (await app.modules.getModule(moduleId)).health;
    expect(health.lastFailureMessage!.length).toBeLessThan(5000);
    const list = JSON.stringify(await app.sync.listSyncRuns({ moduleId }));
    expect(list.length).toBeLessThan(100_000);
  });

  it('is cut when stored even if it did not come through the client (20 MB message)', async () => {
    await markModuleFailed(app.db, moduleId, 'z'.repeat(20 * MiB), new Date());
    const stored = (await app.modules.getModule(moduleId)).health.lastFailureMessage!;
    expect(stored.length).toBeLessThan(5000);
    expect(stored).toMatch(/z… \[cut, 20971520 characters\]$/);
  });
});

describe('alert webhooks', () => {
  it('are not followed through a redirect: the Location gets nothing and the delivery is logged as failed', async () => {
    const internal = await startTarget((_req, res) => res.writeHead(204).end());
    const hook = await startTarget((_req, res) =>
      res.writeHead(307, { location: `${internal.url}/internal-admin` }).end(),
    );
    const { app: alerting, lines } = loggedApp({ alertWebhook: `${hook.url}/alerts` });
    try {
      sim.injectFault({ kind: 'http_error', status: 500, path: os, times: 'always' });
      await alerting.sync.runSync(moduleId, { trigger: 'manual' });
      await alerting.sync.flushAlerts();
      expect(hook.seen).toEqual(['POST /alerts']);
      expect(internal.seen).toEqual([]);
      const failure = lines.find((l) => l.includes('sync alert could not be delivered'));
      expect(failure).toMatch(/redirect/);
    } finally {
      await alerting.sync.close();
      await hook.close();
      await internal.close();
    }
  });

  it('log nothing of a failed webhook URL but its origin (answering 500, dead, or with user:pass@ stored before)', async () => {
    const hook = await startTarget((_req, res) => res.writeHead(500).end('no'));
    const secretPath = '/hooks/T0KEN-IN-PATH?sig=S1GNATURE';
    const { app: alerting, lines } = loggedApp({ alertWebhook: `${hook.url}${secretPath}` });
    const other = await addSimModule(alerting, sim, 'old-row', {
      webhookUrl: `http://127.0.0.1:1${secretPath}`,
    });
    // A row written before user:pass@ was refused at input: it must not be sent nor logged.
    const withUser = hook.url.replace('//', '//alice:s3cret@') + secretPath;
    await queryRows(
      alerting.db,
      sql`update processing_modules set webhook_url = ${withUser} where id = ${moduleId}`,
    );
    try {
      sim.injectFault({ kind: 'http_error', status: 500, path: os, times: 'always' });
      await alerting.sync.runSync(moduleId, { trigger: 'manual' });
      await alerting.sync.runSync(other.id, { trigger: 'manual' });
      await alerting.sync.flushAlerts();
      const failures = lines.filter((l) => l.includes('sync alert could not be delivered'));
      expect(failures).toHaveLength(4);
      expect(hook.seen).toEqual(Array(6).fill(`POST ${secretPath}`));
      const log = lines.join('\n');
      expect(log).not.toMatch(/T0KEN-IN-PATH|S1GNATURE|\/hooks|alice|s3cret/);
      expect(failures.join('\n')).toContain(hook.url);
    } finally {
      await alerting.modules.updateModule(moduleId, { webhookUrl: null }, 'test');
      await alerting.sync.close();
      await hook.close();
    }
  });

  it('refuse user:pass@ in URLs when they are entered', async () => {
    const withUser = 'https://alice:s3cret@hooks.example.test/x';
    await expect(app.modules.updateModule(moduleId, { webhookUrl: withUser }, 'test')).rejects.toMatchObject({
      code: 'invalid_input',
      details: { field: 'webhookUrl' },
    });
    await expect(
      app.modules.updateModule(
        moduleId,
        { url: 'https://alice:s3cret@vm.example.test', password: 'x' },
        'test',
      ),
    ).rejects.toMatchObject({ code: 'invalid_input', details: { field: 'url' } });
    expect(() => loadConfig({ OSCAT_ALERT_WEBHOOK: withUser })).toThrow(/user name or password/);
    expect((await app.modules.getModule(moduleId)).webhookUrl).toBeNull();
  });
});

describe('OSCAT_OUTBOUND_ALLOW', () => {
  it('refuses a module URL outside the list when it is entered', async () => {
    const { app: limited } = loggedApp({ allow: '10.0.0.0/8, vm.example.test' });
    await expect(
      limited.modules.createModule(
        { name: 'outside', url: sim.url, adminEmail: sim.email, password: sim.password },
        'test',
      ),
    ).rejects.toMatchObject({ code: 'invalid_input', details: { field: 'url' } });
    await expect(
      limited.modules.updateModule(moduleId, { webhookUrl: 'http://192.0.2.1/hook' }, 'test'),
    ).rejects.toMatchObject({ code: 'invalid_input', details: { field: 'webhookUrl' } });
  });

  it('checks a host name at connect time: one that resolves outside the listed networks is never reached', async () => {
    const byName = await addSimModule(
      app,
      { ...sim, url: sim.url.replace('127.0.0.1', 'localhost') },
      'by-name',
    );
    const { app: limited, lines } = loggedApp({ allow: '10.0.0.0/8' });
    try {
      const run = await limited.sync.runSync(byName.id, { trigger: 'manual' });
      expect(run.outcome).toBe('failed');
      expect(run.error!.message).toMatch(/not on the outbound allow-list \(OSCAT_OUTBOUND_ALLOW\)/);
      expect(sim.requests).toEqual([]);
      expect(lines.join('\n')).not.toContain(sim.password);
    } finally {
      await limited.sync.close();
    }
  });

  it('lets listed hosts through (a listed name resolves anywhere)', async () => {
    const { app: limited } = loggedApp({ allow: 'localhost, 10.0.0.0/8' });
    const byName = (await limited.modules.listModules()).find((m) => m.name === 'by-name')!;
    try {
      const run = await limited.sync.runSync(byName.id, { trigger: 'manual' });
      expect(run.outcome, JSON.stringify(run.error)).not.toBe('failed');
    } finally {
      await limited.sync.close();
    }
  });

  it('keeps alerts away from addresses outside the list', async () => {
    const hook = await startTarget((_req, res) => res.writeHead(204).end());
    const { app: limited, lines } = loggedApp({
      allow: '10.0.0.0/8',
      alertWebhook: hook.url.replace('127.0.0.1', 'localhost') + '/x',
    });
    try {
      const byName = (await limited.modules.listModules()).find((m) => m.name === 'by-name')!;
      const run = await limited.sync.runSync(byName.id, { trigger: 'manual' });
      expect(run.outcome).toBe('failed');
      await limited.sync.flushAlerts();
      expect(hook.seen).toEqual([]);
      expect(lines.find((l) => l.includes('sync alert could not be delivered'))).toMatch(/allow-list/);
    } finally {
      await limited.sync.close();
      await hook.close();
    }
  });
});
