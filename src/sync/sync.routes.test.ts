import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addSimModule } from './sync.test-kit.js';
import { startVmmanagerSimulator, type VmmanagerSimulator } from '../vmmanager6/simulator/simulator.js';
import { bearer, createSyncHttpKit, errorOf, type HttpKit } from '../http/http.test-kit.js';

let kit: HttpKit;
let sim: VmmanagerSimulator;
let moduleId: number;

beforeAll(async () => {
  sim = await startVmmanagerSimulator();
  kit = await createSyncHttpKit();
  moduleId = (await addSimModule(kit.app, sim, 'msk', { clusterId: 1 })).id;
});
afterAll(async () => {
  await kit.close();
  await sim.close();
});

const call = async (method: 'GET' | 'POST', url: string, payload?: object) =>
  kit.server.inject({ method, url, headers: bearer(kit.adminToken), ...(payload ? { payload } : {}) });

interface Run {
  trigger: string;
  moduleId: number;
  error: unknown;
  runId: number;
  outcome: string;
  heldState: string | null;
  actor: string | null;
  counts: Record<string, number>;
  diff: unknown;
  runCount: number;
  lastFinishedAt: string | null;
}

describe('sync routes', () => {
  test('a dry run plans without changing the catalog', async () => {
    const res = await call('POST', `/api/v1/admin/modules/${moduleId}/dry-run`);
    expect(res.statusCode).toBe(200);
    const run = res.json<Run>();
    expect(run).toMatchObject({ outcome: 'dry_run', actor: 'token:script' });
    expect(run.counts.added).toBeGreaterThan(0);
    expect(await kit.app.catalog.listTemplates()).toHaveLength(0);
  });

  test('sync now applies, and the history lists the run with its diff', async () => {
    const res = await call('POST', `/api/v1/admin/modules/${moduleId}/sync`, {});
    expect(res.statusCode).toBe(200);
    const run = res.json<Run>();
    expect(run.outcome).toBe('applied');
    expect((await kit.app.catalog.listTemplates()).length).toBe(run.counts.added);
    const list = await call('GET', `/api/v1/admin/sync-runs?moduleId=${moduleId}&limit=10`);
    const items = list.json<{ items: Run[] }>().items;
    expect(items[0]!.runId).toBe(run.runId);
    expect(items[0]).not.toHaveProperty('diff');
    const one = await call('GET', `/api/v1/admin/sync-runs/${run.runId}`);
    expect(one.json<Run>().diff).toBeTruthy();
    expect((await call('GET', '/api/v1/admin/sync-runs/999999')).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/admin/sync-runs?limit=1000')).statusCode).toBe(400);
  });

  test('repeated no-change syncs are one history entry with their run count', async () => {
    const first = (await call('POST', `/api/v1/admin/modules/${moduleId}/sync`, {})).json<Run>();
    const second = (await call('POST', `/api/v1/admin/modules/${moduleId}/sync`, {})).json<Run>();
    expect(first).toMatchObject({ outcome: 'no_change', runCount: 1 });
    expect(second).toMatchObject({ outcome: 'no_change', runId: first.runId, runCount: 2 });
    const list = await call('GET', `/api/v1/admin/sync-runs?moduleId=${moduleId}&limit=10`);
    const items = list.json<{ items: Run[] }>().items;
    expect(items[0]).toMatchObject({
      runId: first.runId,
      runCount: 2,
      lastFinishedAt: second.lastFinishedAt,
    });
    expect(items[1]).toMatchObject({ outcome: 'applied', runCount: 1 });
  });

  test('a guarded run is held; it can be discarded or applied once', async () => {
    sim.state.replaceTemplates([]);
    const held = (await call('POST', `/api/v1/admin/modules/${moduleId}/sync`)).json<Run>();
    expect(held).toMatchObject({ outcome: 'held', heldState: 'pending' });
    const discarded = await call('POST', `/api/v1/admin/sync-runs/${held.runId}/discard`);
    expect(discarded.json<Run>().heldState).toBe('discarded');
    const again = await call('POST', `/api/v1/admin/sync-runs/${held.runId}/discard`);
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('conflict');
    const heldAgain = (await call('POST', `/api/v1/admin/modules/${moduleId}/sync`)).json<Run>();
    const applied = await call('POST', `/api/v1/admin/sync-runs/${heldAgain.runId}/apply`);
    expect(applied.statusCode).toBe(200);
    expect(applied.json<Run>().outcome).toBe('applied');
    expect((await call('POST', '/api/v1/admin/sync-runs/999999/apply')).statusCode).toBe(404);
  });

  test('sync of an unknown module is 404; a force flag of the wrong type is 400', async () => {
    expect((await call('POST', '/api/v1/admin/modules/999/sync')).statusCode).toBe(404);
    expect((await call('POST', `/api/v1/admin/modules/${moduleId}/sync`, { force: 'yes' })).statusCode).toBe(
      400,
    );
  });

  test('rename candidates list, remap validation', async () => {
    const res = await call('GET', `/api/v1/admin/rename-candidates?moduleId=${moduleId}`);
    expect(res.statusCode).toBe(200);
    expect(Array.isArray(res.json<{ items: unknown[] }>().items)).toBe(true);
    const unknown = await call('POST', '/api/v1/admin/rename-candidates/remap', {
      fromValueId: 999998,
      toValueId: 999999,
    });
    expect(unknown.statusCode).toBe(404);
    const bad = await call('POST', '/api/v1/admin/rename-candidates/remap', { fromValueId: 1 });
    expect(bad.statusCode).toBe(400);
  });
});

describe('adding a module', () => {
  test('tests the connection, creates the module and runs the initial sync; no password in the answer', async () => {
    const res = await call('POST', '/api/v1/admin/modules', {
      name: 'spb',
      url: sim.url,
      adminEmail: sim.email,
      password: sim.password,
      clusterId: 1,
      verifyTls: false,
    });
    expect(res.statusCode).toBe(201);
    const body = res.json<{
      module: { id: number; name: string };
      initialSync: Run;
      connection: { email: string };
    }>();
    expect(body.module.name).toBe('spb');
    expect(body.initialSync).toMatchObject({ trigger: 'initial', moduleId: body.module.id, error: null });
    expect(body.connection.email).toBe(sim.email);
    expect(res.body).not.toContain(sim.password);
    const audit = await kit.app.audit.listAudit({ objectType: 'module', objectId: String(body.module.id) });
    expect(audit[0]?.actor).toBe('token:script');
  });

  test('a failed connection test creates nothing', async () => {
    const before = (await kit.app.modules.listModules()).length;
    const res = await call('POST', '/api/v1/admin/modules', {
      name: 'wrong',
      url: sim.url,
      adminEmail: sim.email,
      password: 'not-the-password',
      verifyTls: false,
    });
    expect(res.statusCode).toBe(502);
    expect(errorOf(res)).toMatchObject({ code: 'upstream_auth', details: { reason: 'wrong_password' } });
    expect(res.body).not.toContain('not-the-password');
    expect((await kit.app.modules.listModules()).length).toBe(before);
    expect((await call('POST', '/api/v1/admin/modules', { name: 'x' })).statusCode).toBe(400);
  });
});
