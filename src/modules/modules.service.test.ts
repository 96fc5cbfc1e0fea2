import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../db/query.js';
import { createTestApp, type TestApp } from '../test/test-app.js';
import { randomBytes } from 'node:crypto';
import { createApp } from '../app.js';
import { createSecretBox } from '../shared/secrets.js';
import { createTestDatabase } from '../test/test-database.js';
import { startVmmanagerSimulator } from '../vmmanager6/simulator/simulator.js';
import {
  createVmmanagerClientFactory,
  type VmmanagerModuleConnection,
} from '../vmmanager6/vmmanager6.factory.js';

const password = 'S3cret-Pa55word!';

describe('processing modules', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => app?.close());

  it('stores the password encrypted, never in clear, and never returns it', async () => {
    const created = await app.modules.createModule(
      { name: 'cluster-1', url: 'https://vm6.example.test', adminEmail: 'admin@example.test', password },
      'admin:x',
    );
    const rows = await queryRows<Record<string, unknown>>(
      app.db,
      sql`select * from processing_modules where id = ${created.id}`,
    );
    const raw = JSON.stringify(rows);
    expect(raw).not.toContain(password);
    expect(String(rows[0]!.password_encrypted)).toMatch(/^v1:/);

    const everything = JSON.stringify([
      created,
      await app.modules.getModule(created.id),
      await app.modules.listModules(),
    ]);
    expect(everything).not.toContain(password);
    expect(everything).not.toContain('v1:');
    const audit = JSON.stringify(await app.audit.listAudit({ objectType: 'module' }));
    expect(audit).not.toContain(password);
    expect(audit).toContain('"password":"changed"');

    expect((await app.modules.getModuleConnection(created.id)).password).toBe(password);
  });

  it('applies the defaults the seed implies and validates the schedule', async () => {
    const created = await app.modules.createModule(
      { name: 'cluster-2', url: 'https://vm6.example.test', adminEmail: 'admin@example.test', password: 'x' },
      'admin:x',
    );
    expect(created).toMatchObject({
      kind: 'vmmanager6',
      schedule: '*/30 * * * * *',
      newTemplatePolicy: 'enable',
      verifyTls: true,
      enabled: true,
      clusterId: null,
      health: { consecutiveFailures: 0, lastSuccessAt: null, backoffUntil: null },
    });
    // BILLmanager's hourly schedule stays a valid choice.
    expect((await app.modules.updateModule(created.id, { schedule: '54 * * * *' }, 'admin:x')).schedule).toBe(
      '54 * * * *',
    );
    const updated = await app.modules.updateModule(
      created.id,
      { schedule: '*/5 * * * *', password: 'new-pass', clusterId: 2 },
      'admin:x',
    );
    expect(updated).toMatchObject({ schedule: '*/5 * * * *', clusterId: 2 });
    expect((await app.modules.getModuleConnection(created.id)).password).toBe('new-pass');
    const disabled = await app.modules.setModuleEnabled(created.id, false, 'admin:x');
    expect(disabled.enabled).toBe(false);
  });

  it('stores an API token instead of a password, encrypted, never shown, and switches back on a password', async () => {
    const apiToken = 'api-0123456789abcdef-token';
    const base = { name: 'by-token', url: 'https://vm6.example.test', adminEmail: 'admin@example.test' };
    await expect(app.modules.createModule(base, 'admin:x')).rejects.toMatchObject({
      code: 'invalid_input',
      details: { field: 'password' },
    });
    await expect(
      app.modules.createModule({ ...base, password: 'x', apiToken }, 'admin:x'),
    ).rejects.toMatchObject({ code: 'invalid_input', details: { field: 'apiToken' } });
    const created = await app.modules.createModule({ ...base, apiToken }, 'admin:x');
    expect(created.authMethod).toBe('token');
    expect(await app.modules.getModuleConnection(created.id)).toMatchObject({ apiToken, password: null });
    const rows = await queryRows<Record<string, unknown>>(
      app.db,
      sql`select * from processing_modules where id = ${created.id}`,
    );
    expect(JSON.stringify(rows)).not.toContain(apiToken);
    const shown = JSON.stringify([created, await app.modules.listModules()]);
    expect(shown).not.toContain(apiToken);
    const audit = JSON.stringify(
      await app.audit.listAudit({ objectType: 'module', objectId: String(created.id) }),
    );
    expect(audit).not.toContain(apiToken);
    expect(audit).toContain('"apiToken":"changed"');
    const back = await app.modules.updateModule(created.id, { password: 'pw' }, 'admin:x');
    expect(back.authMethod).toBe('password');
    expect(await app.modules.getModuleConnection(created.id)).toMatchObject({
      password: 'pw',
      apiToken: null,
    });
  });

  it('stores a URL pasted from the browser or with an API path as the installation base', async () => {
    const created = await app.modules.createModule(
      {
        name: 'pasted',
        url: 'https://VM6.example.test/vm/v3/',
        adminEmail: 'admin@example.test',
        password: 'x',
      },
      'admin:x',
    );
    expect(created.url).toBe('https://vm6.example.test');
    // The same host pasted another way is no new target: no password needed again.
    const same = await app.modules.updateModule(
      created.id,
      { url: 'https://vm6.example.test/vm/#/vm-list' },
      'admin:x',
    );
    expect(same.url).toBe('https://vm6.example.test');
    await expect(
      app.modules.updateModule(created.id, { url: 'https://other.example.test/auth/v4' }, 'admin:x'),
    ).rejects.toMatchObject({ code: 'invalid_input', details: { field: 'password' } });
    const moved = await app.modules.updateModule(
      created.id,
      { url: 'https://other.example.test/auth/v4', password: 'y' },
      'admin:x',
    );
    expect(moved.url).toBe('https://other.example.test');
  });
});

describe('the connection test', () => {
  it("uses the app's VMmanager client with a new module's defaults, and closes it whatever the outcome", async () => {
    const sim = await startVmmanagerSimulator();
    const database = await createTestDatabase();
    const opened: VmmanagerModuleConnection[] = [];
    let closed = 0;
    const real = createVmmanagerClientFactory();
    const app = createApp({
      database,
      secrets: createSecretBox(randomBytes(32)),
      vmmanagerClientFactory: (connection) => {
        opened.push(connection);
        const client = real(connection);
        return { ...client, close: async () => void ((closed += 1), await client.close()) };
      },
    });
    try {
      const settings = { url: sim.url, adminEmail: sim.email, password: sim.password };
      expect(await app.modules.testConnection(settings)).toMatchObject({ ok: true, clusterFound: null });
      expect(await app.modules.testConnection({ ...settings, url: `${sim.url}/vm/v3/` })).toMatchObject({
        ok: true,
        url: sim.url,
        warnings: [],
      });
      expect(await app.modules.testConnection({ ...settings, password: 'wrong' })).toMatchObject({
        ok: false,
        reason: 'wrong_password',
      });
      const module = await app.modules.createModule({ ...settings, name: 'sim' }, 'test');
      expect(await app.modules.testModuleConnection(module.id)).toMatchObject({ ok: true });
      expect(opened.map((c) => [c.verifyTls, c.connectTimeoutMs, c.requestTimeoutMs])).toEqual([
        [true, module.connectTimeoutMs, module.requestTimeoutMs],
        [true, module.connectTimeoutMs, module.requestTimeoutMs],
        [true, module.connectTimeoutMs, module.requestTimeoutMs],
        [true, module.connectTimeoutMs, module.requestTimeoutMs],
      ]);
      expect(closed).toBe(opened.length);
    } finally {
      await database.close();
      await sim.close();
    }
  });
});
