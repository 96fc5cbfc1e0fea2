import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { queryRows } from '../db/query.js';
import { addSimModule } from '../sync/sync.test-kit.js';
import { startVmmanagerSimulator, type VmmanagerSimulator } from '../vmmanager6/simulator/simulator.js';
import { bearer, createSyncHttpKit, type HttpKit } from './http.test-kit.js';

// The storefront answer cache is emptied by the database's NOTIFY on a change an answer can
// depend on; a sync's health write (every 30 s per module) is not one.

let kit: HttpKit;
let sim: VmmanagerSimulator;
let moduleId: number;
let tariffId: number;

beforeAll(async () => {
  kit = await createSyncHttpKit();
  sim = await startVmmanagerSimulator();
  moduleId = (await addSimModule(kit.app, sim, 'msk', { clusterId: 1 })).id;
  tariffId = (await kit.app.tariffs.createTariff({ name: 'VPS', moduleIds: [moduleId] }, 'test')).id;
  expect((await kit.app.sync.runSync(moduleId, { trigger: 'initial' })).outcome).toBe('applied');
});
afterAll(async () => {
  await kit?.close();
  await sim?.close();
});

const osList = async () => {
  const res = await kit.server.inject({
    method: 'GET',
    url: `/api/v1/storefront/tariffs/${tariffId}/os`,
    headers: bearer(kit.storefrontToken),
  });
  expect(res.statusCode).toBe(200);
  return { etag: res.headers.etag as string, items: res.json<{ items: { internalName: string }[] }>().items };
};

/** The cache's figures as `/metrics` exports them. */
const cacheMetrics = async () => {
  const text = (await kit.server.inject({ method: 'GET', url: '/metrics' })).body;
  const value = (name: string, label: string) =>
    Number(new RegExp(`^${name}\\{${label}\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return {
    hits: value('oscat_storefront_cache_lookups_total', 'result="hit"'),
    misses: value('oscat_storefront_cache_lookups_total', 'result="miss"'),
    moduleInvalidations: value('oscat_storefront_cache_invalidations_total', 'cause="processing_modules"'),
  };
};

/**
 * Waits until every notification committed so far has reached this instance: one connection
 * receives them in commit order, so once a marker sent now arrives, an earlier one has too.
 */
const allNotificationsArrived = async () => {
  const marker = randomUUID();
  let arrived!: () => void;
  const seen = new Promise<void>((resolve) => (arrived = resolve));
  const unlisten = await kit.app.database.listen('oscat_test_marker', (payload) => {
    if (payload === marker) arrived();
  });
  await kit.app.db.execute(sql`select pg_notify('oscat_test_marker', ${marker})`);
  await seen;
  await unlisten();
};

const lastSuccessAt = async () =>
  (
    await queryRows<{ at: string }>(
      kit.app.db,
      sql`select last_success_at::text as at from processing_modules where id = ${moduleId}`,
    )
  )[0]!.at;

describe('storefront answer cache', () => {
  test('a sync that finds nothing to do keeps the cached answer, though it writes the module health', async () => {
    const cached = await osList();
    await osList();
    await allNotificationsArrived();
    const before = await cacheMetrics();
    const healthBefore = await lastSuccessAt();

    expect((await kit.app.sync.runSync(moduleId, { trigger: 'schedule' })).outcome).toBe('no_change');
    expect(await lastSuccessAt()).not.toBe(healthBefore);
    await allNotificationsArrived();

    expect(await osList()).toEqual(cached);
    const after = await cacheMetrics();
    expect(after).toEqual({ ...before, hits: before.hits + 1 });
  });

  test.each([
    ['sort', (id: number) => sql`update processing_modules set sort = sort + 1 where id = ${id}`],
    ['cluster_id', (id: number) => sql`update processing_modules set cluster_id = 2 where id = ${id}`],
    ['name', (id: number) => sql`update processing_modules set name = 'msk-renamed' where id = ${id}`],
  ])('a change to the module %s empties the cache', async (_column, change) => {
    await osList();
    await allNotificationsArrived();
    const before = await cacheMetrics();
    await kit.app.db.execute(change(moduleId));
    await allNotificationsArrived();
    await osList();
    expect(await cacheMetrics()).toMatchObject({
      misses: before.misses + 1,
      moduleInvalidations: before.moduleInvalidations + 1,
    });
  });

  test('disabling the module empties the cache, and the list no longer offers its templates', async () => {
    const offered = await osList();
    expect(offered.items.length).toBeGreaterThan(0);
    await allNotificationsArrived();
    const before = await cacheMetrics();
    await kit.app.modules.setModuleEnabled(moduleId, false, 'test');
    await allNotificationsArrived();
    expect((await osList()).items).toEqual([]);
    expect((await cacheMetrics()).moduleInvalidations).toBeGreaterThan(before.moduleInvalidations);
    await kit.app.modules.setModuleEnabled(moduleId, true, 'test');
    await allNotificationsArrived();
    expect(await osList()).toEqual(offered);
  });

  test('every module column is either one an answer reads (and notifies) or listed here as bookkeeping', async () => {
    // Written by syncs and admins but read by no storefront answer: changing them keeps the cache.
    const bookkeeping = [
      'kind',
      'url',
      'admin_email',
      'password_encrypted',
      'auth_method',
      'verify_tls',
      'schedule',
      'new_template_policy',
      'guard_max_disconnect_share',
      'connect_timeout_ms',
      'request_timeout_ms',
      'max_answer_bytes',
      'webhook_url',
      'include_no_os',
      'last_success_at',
      'last_failure_at',
      'last_failure_message',
      'consecutive_failures',
      'sync_upstream_hash',
      'sync_catalog_revision',
      'created_at',
      'updated_at',
    ];
    const columns = await queryRows<{ name: string }>(
      kit.app.db,
      sql`select column_name as name from information_schema.columns
          where table_schema = 'public' and table_name = 'processing_modules'`,
    );
    const [facts] = await queryRows<{ keys: string[] }>(
      kit.app.db,
      sql`select array(select jsonb_object_keys(oscat_module_storefront_facts(m))) as keys
          from processing_modules m where id = ${moduleId}`,
    );
    expect(facts!.keys.filter((k) => bookkeeping.includes(k))).toEqual([]);
    expect([...facts!.keys, ...bookkeeping].sort()).toEqual(columns.map((c) => c.name).sort());
  });
});
