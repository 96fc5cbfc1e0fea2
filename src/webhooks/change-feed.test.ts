import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Tx } from '../db/database.js';
import { queryRows } from '../db/query.js';
import { updateTemplateRow } from '../catalog/catalog.repository.js';
import type { StorefrontList } from '../tariffs/storefront-list.js';
import {
  addTestModule,
  connectTemplates,
  createTestApp,
  insertTemplates,
  type TestApp,
} from '../test/test-app.js';
import { announceListChanges, diffLists, type TariffListChange } from './change-feed.js';
import { startReceiver, type Receiver } from './webhooks.test-kit.js';

// The change feed renders only the lists a change can alter; its events must be exactly the
// ones rendering every tariff's list would give. Three tariffs share module A; T1 also uses X,
// T2 also uses Y. X offers x and w (deprecating, replaced by r), Y offers y and r.

let app: TestApp;
let receiver: Receiver;
const t: Record<'s1' | 's2' | 'x' | 'w' | 'y' | 'r', number> = { s1: 0, s2: 0, x: 0, w: 0, y: 0, r: 0 };
const m = { A: 0, X: 0, Y: 0 };
let T1: number;
let T2: number;
let T3: number;
let tariffIds: number[];

beforeAll(async () => {
  app = await createTestApp();
  const ids = await insertTemplates(app.db, [
    { internalName: 'ISPsystem__Shared 1' },
    { internalName: 'ISPsystem__Shared 2', minDiskMib: 10240 },
    { internalName: 'ISPsystem__Own X' },
    { internalName: 'ISPsystem__Old X' },
    { internalName: 'ISPsystem__Own Y' },
    { internalName: 'ISPsystem__New Y' },
  ]);
  [t.s1, t.s2, t.x, t.w, t.y, t.r] = ids as [number, number, number, number, number, number];
  await app.db.execute(
    sql`update parameter_values set eol_at = now() + interval '30 days', replacement_id = ${t.r} where id = ${t.w}`,
  );
  m.A = (await addTestModule(app, 'A')).id;
  m.X = (await addTestModule(app, 'X')).id;
  m.Y = (await addTestModule(app, 'Y')).id;
  await connectTemplates(app.db, m.A, [t.s1, t.s2]);
  await connectTemplates(app.db, m.X, [t.x, t.w]);
  await connectTemplates(app.db, m.Y, [t.y, t.r]);
  const tariff = async (name: string, moduleIds: number[]) =>
    (await app.tariffs.createTariff({ name, diskMib: 20480, moduleIds }, 'test')).id;
  T1 = await tariff('T1', [m.A, m.X]);
  T2 = await tariff('T2', [m.A, m.Y]);
  T3 = await tariff('T3', [m.A]);
  tariffIds = [T1, T2, T3];
  receiver = await startReceiver(200);
  await app.webhooks.createEndpoint({ url: receiver.url, events: ['tariff.list_changed'] }, 'test');
});
afterAll(async () => {
  await receiver?.close();
  await app?.close();
});

/** Every tariff's list as the storefront route answers it. */
const renderEveryList = async () =>
  new Map<number, StorefrontList>(
    await Promise.all(tariffIds.map(async (id) => [id, await app.tariffs.renderStorefrontList(id)] as const)),
  );

/** The event rendering every list gives: each tariff whose ETag moved, with what was added and removed. */
const fullRenderChanges = (before: Map<number, StorefrontList>, after: Map<number, StorefrontList>) =>
  tariffIds
    .filter((id) => before.get(id)!.etag !== after.get(id)!.etag)
    .map((id): TariffListChange => ({
      tariffId: id,
      etag: after.get(id)!.etag,
      ...diffLists(before.get(id)!.items, after.get(id)!.items),
    }));

/** Commits `write` with the feed as its last step; returns what the feed did and what a full render says. */
async function feed(write: (tx: Tx) => Promise<unknown>, before?: Map<number, StorefrontList>) {
  const listsBefore = before ?? (await renderEveryList());
  const announced = await app.db.transaction(async (tx) => {
    await write(tx);
    return announceListChanges(tx, new Date());
  });
  return { ...announced, expected: fullRenderChanges(listsBefore, await renderEveryList()) };
}
const run = (statement: SQL) => (tx: Tx) => tx.execute(statement);

describe('change feed', () => {
  test('an edit of a template only one tariff offers renders that list alone and announces it as a full render would', async () => {
    const result = await feed((tx) => updateTemplateRow(tx, t.x, { disabled: true }, new Date()));
    expect(result.renderedTariffIds).toEqual([T1]);
    expect(result.expected).toEqual([
      {
        tariffId: T1,
        etag: expect.any(String) as string,
        added: [],
        removed: [{ id: t.x, internalName: 'ISPsystem__Own X' }],
      },
    ]);
    expect(result.changes).toEqual(result.expected);
    const [event] = await queryRows<{ data: { tariffs: TariffListChange[] } }>(
      app.db,
      sql`select data from webhook_events order by created_at desc, id desc limit 1`,
    );
    expect(event!.data.tariffs).toEqual(result.expected);

    const back = await feed((tx) => updateTemplateRow(tx, t.x, { disabled: false }, new Date()));
    expect(back.renderedTariffIds).toEqual([T1]);
    expect(back.changes).toEqual(back.expected);
    expect(back.changes.map((c) => c.added)).toEqual([[{ id: t.x, internalName: 'ISPsystem__Own X' }]]);
  });

  test('an edit of a template every tariff offers renders and announces every tariff', async () => {
    const result = await feed((tx) => updateTemplateRow(tx, t.s1, { disabled: true }, new Date()));
    expect(result.renderedTariffIds).toEqual([T1, T2, T3]);
    expect(result.changes.map((c) => c.tariffId)).toEqual([T1, T2, T3]);
    expect(result.changes).toEqual(result.expected);
    const back = await feed((tx) => updateTemplateRow(tx, t.s1, { disabled: false }, new Date()));
    expect(back.changes.map((c) => c.tariffId)).toEqual([T1, T2, T3]);
    expect(back.changes).toEqual(back.expected);
  });

  test('each kind of change renders the lists it can alter and announces what a full render would', async () => {
    const steps: [string, (tx: Tx) => Promise<unknown>, number[]][] = [
      [
        'a per-tariff decision',
        run(sql`insert into tariff_template_settings (tariff_id, value_id, enabled, decided_by)
                values (${T2}, ${t.s2}, false, 'test')`),
        [T2],
      ],
      ['a module disabled', run(sql`update processing_modules set enabled = false where id = ${m.Y}`), [T2]],
      ['a module enabled', run(sql`update processing_modules set enabled = true where id = ${m.Y}`), [T2]],
      [
        'a connection dropped',
        run(
          sql`update module_templates set connected = false where module_id = ${m.Y} and value_id = ${t.y}`,
        ),
        [T2],
      ],
      ["a tariff's disk", run(sql`update tariffs set disk_mib = 1024 where id = ${T3}`), [T3]],
      // w's entry on T1 names its replacement r; r itself is listed on T2.
      [
        "a replacement's name",
        run(sql`update parameter_values set display_name = 'New Y renamed' where id = ${t.r}`),
        [T1, T2],
      ],
    ];
    for (const [name, write, tariffs] of steps) {
      const result = await feed(write);
      expect({ name, rendered: result.renderedTariffIds }).toEqual({ name, rendered: tariffs });
      expect(result.expected.length, name).toBeGreaterThan(0);
      expect({ name, changes: result.changes }).toEqual({ name, changes: result.expected });
    }
  });

  test("a module's health write renders nothing and announces nothing", async () => {
    const result = await feed(
      run(sql`update processing_modules set last_success_at = now(), consecutive_failures = 0,
                sync_upstream_hash = 'x' where id = ${m.A}`),
    );
    expect(result).toEqual({ changes: [], renderedTariffIds: [], expected: [] });
  });

  test('a change committed without the feed is announced by the next change that runs it', async () => {
    const before = await renderEveryList();
    await app.db.execute(sql`update parameter_values set sort = 0 where id = ${t.x}`);
    const result = await feed(run(sql`update tariffs set name = 'T3 renamed' where id = ${T3}`), before);
    expect(result.renderedTariffIds).toEqual([T1, T3]);
    expect(result.expected.map((c) => c.tariffId)).toEqual([T1]);
    expect(result.changes).toEqual(result.expected);
  });

  test('afterwards every recorded list is the one the storefront route answers', async () => {
    const lists = await renderEveryList();
    const recorded = await queryRows<{ tariff_id: number; etag: string }>(
      app.db,
      sql`select tariff_id, etag from webhook_tariff_lists order by tariff_id`,
    );
    expect(recorded).toEqual(tariffIds.map((id) => ({ tariff_id: id, etag: lists.get(id)!.etag })));
  });
});
