import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { App } from '../app.js';
import { queryRows } from '../db/query.js';
import { createTestDatabase, type TestDatabase } from '../test/test-database.js';
import { addSimModule, createSyncApp } from '../sync/sync.test-kit.js';
import { startVmmanagerSimulator, type VmmanagerSimulator } from '../vmmanager6/simulator/simulator.js';
import { eventOf, startReceiver, type Receiver } from './webhooks.test-kit.js';

let database: TestDatabase;
let sim: VmmanagerSimulator;
let app: App;
let receiver: Receiver;
let moduleId: number;
let tariffId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  sim = await startVmmanagerSimulator();
  app = createSyncApp(database);
  receiver = await startReceiver(200);
  await app.webhooks.createEndpoint(
    { url: receiver.url, events: ['tariff.list_changed', 'module.sync_failed', 'module.sync_held'] },
    'test',
  );
  moduleId = (await addSimModule(app, sim, 'msk', { clusterId: 1 })).id;
  tariffId = (await app.tariffs.createTariff({ name: 'VPS', moduleIds: [moduleId] }, 'test')).id;
});
afterAll(async () => {
  await receiver?.close();
  await app?.webhookDelivery.close();
  await sim?.close();
  await database?.close();
});

const deliverAll = async () => {
  const before = receiver.requests.length;
  await app.webhookDelivery.handleWebhookDeliveries();
  return receiver.requests.slice(before).map(eventOf);
};

describe('sync and webhooks', () => {
  test('a sync that adds many templates sends one event with all of them and the ETag the list answers', async () => {
    await deliverAll();
    const run = await app.sync.runSync(moduleId, { trigger: 'initial' });
    expect(run.outcome).toBe('applied');
    const events = await deliverAll();
    expect(events).toHaveLength(1);
    const list = await app.tariffs.renderStorefrontList(tariffId);
    expect(list.items.length).toBeGreaterThan(3);
    expect(events[0]).toMatchObject({
      type: 'tariff.list_changed',
      data: { tariffs: [{ tariffId, etag: list.etag, added: list.items, removed: [] }] },
    });
    // A no-op sync changes no list and sends nothing.
    expect((await app.sync.runSync(moduleId, { trigger: 'manual' })).outcome).toBe('no_change');
    expect(await deliverAll()).toEqual([]);
  });

  test('a dead endpoint does not hold up a sync: it completes while the endpoint still holds the request', async () => {
    receiver.answer = 'hang';
    const before = receiver.requests.length;
    sim.state.addTemplate({ id: 9101, name: 'First New', clusterIds: [1] });
    expect((await app.sync.runSync(moduleId, { trigger: 'manual' })).outcome).toBe('applied');
    const pass = app.webhookDelivery.handleWebhookDeliveries();
    await receiver.waitFor(before + 1);
    const held = receiver.requests[before]!;

    sim.state.addTemplate({ id: 9102, name: 'Second New', clusterIds: [1] });
    const run = await app.sync.runSync(moduleId, { trigger: 'manual' });
    expect(run).toMatchObject({ outcome: 'applied', counts: { added: 1 } });
    // The sync is recorded and its event queued while the first delivery is still unanswered.
    expect(held.answered).toBe(false);
    const queued = await queryRows<{ n: number }>(
      app.db,
      sql`select count(*)::int as n from webhook_deliveries where state = 'pending' and lease_owner is null`,
    );
    expect(queued[0]!.n).toBe(1);
    receiver.answer = 200;
    receiver.release();
    await pass;
    const [second] = await deliverAll();
    expect(second).toMatchObject({
      data: { tariffs: [{ tariffId, added: [{ internalName: 'ISPsystem__Second New' }], removed: [] }] },
    });
  });

  test('a failing module is announced once when it starts failing; a held plan once while it waits', async () => {
    await deliverAll();
    const dead = await addSimModule(app, { ...sim, url: 'http://127.0.0.1:9' }, 'dead');
    for (let i = 0; i < 2; i += 1)
      expect((await app.sync.runSync(dead.id, { trigger: 'manual' })).outcome).toBe('failed');
    const failed = await deliverAll();
    expect(failed.map((e) => e.type)).toEqual(['module.sync_failed']);
    expect(failed[0]!.data).toMatchObject({ moduleId: dead.id, moduleName: 'dead' });
    expect(failed[0]!.data.error).toMatchObject({ code: 'upstream_unavailable' });

    // Most of the module's templates gone at once: the guard holds the plan.
    for (const t of sim.state.listTemplates().slice(2)) sim.state.removeTemplate(t.id);
    const runs = [];
    for (let i = 0; i < 2; i += 1) runs.push(await app.sync.runSync(moduleId, { trigger: 'manual' }));
    expect(runs.map((r) => r.outcome)).toEqual(['held', 'held']);
    const held = await deliverAll();
    expect(held.map((e) => e.type)).toEqual(['module.sync_held']);
    expect(held[0]!.data).toMatchObject({
      moduleId,
      runId: runs[0]!.runId,
      guardReason: runs[0]!.guardReason,
    });
  });
});
