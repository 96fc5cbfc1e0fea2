import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../db/query.js';
import { createTestApp, type TestApp } from '../test/test-app.js';

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
      schedule: '54 * * * *',
      newTemplatePolicy: 'enable',
      verifyTls: true,
      enabled: true,
      clusterId: null,
      health: { consecutiveFailures: 0, lastSuccessAt: null },
    });
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
});
