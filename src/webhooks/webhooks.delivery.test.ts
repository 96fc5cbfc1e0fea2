import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { queryRows } from '../db/query.js';
import { createMetrics } from '../metrics/metrics.js';
import { recordAuditedChange } from '../audit/audited-change.js';
import { updateTemplateRow } from '../catalog/catalog.repository.js';
import { insertTemplates, type TestApp } from '../test/test-app.js';
import { eventOf } from './webhooks.test-kit.js';
import { createWebhookFixture, type WebhookFixture } from './webhooks.test-helpers.js';

let fixture: WebhookFixture;
let app: TestApp;
let templateIds: number[];

beforeAll(async () => {
  fixture = await createWebhookFixture();
  ({ app, templateIds } = fixture);
});
afterEach(async () => fixture.reset());
afterAll(async () => fixture.close());

const listen = (...args: Parameters<WebhookFixture['listen']>) => fixture.listen(...args);
const newTariff = () => fixture.newTariff();

const countOutbox = async () =>
  (
    await queryRows<{ events: number; deliveries: number }>(
      app.db,
      sql`select (select count(*)::int from webhook_events) as events,
                 (select count(*)::int from webhook_deliveries) as deliveries`,
    )
  )[0]!;

/** The verification snippet exactly as docs/api.md shows it, as a module to import. */
async function loadDocumentedVerifier() {
  const doc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
  const block = /<!-- webhook-verify-snippet -->\s*```js\n([\s\S]*?)```/.exec(doc);
  if (!block) throw new Error('docs/api.md has no webhook verification snippet');
  const file = join(mkdtempSync(join(tmpdir(), 'oscat-verify-')), 'verify.mjs');
  writeFileSync(file, block[1]!);
  const module = (await import(pathToFileURL(file).href)) as {
    verifyOsCatalogSignature: (
      secret: string,
      header: string,
      body: string,
      tolerance?: number,
      now?: number,
    ) => boolean;
  };
  return module.verifyOsCatalogSignature;
}

describe('signed deliveries', () => {
  test('a delivery verifies with the documented snippet; a changed body or an old timestamp does not', async () => {
    const { receiver, endpoint, secret } = await listen(200);
    const tariff = await newTariff();
    expect(await app.webhookDelivery.handleWebhookDeliveries()).toEqual({
      delivered: 1,
      retrying: 0,
      failed: 0,
    });
    expect(receiver.requests).toHaveLength(1);
    const request = receiver.requests[0]!;
    const header = request.headers['x-oscatalog-signature'] as string;
    const verify = await loadDocumentedVerifier();
    expect(verify(secret, header, request.body)).toBe(true);
    expect(verify(secret, header, request.body.replace('"tariffId"', '"tariffID"'))).toBe(false);
    expect(verify(secret, header, request.body + ' ')).toBe(false);
    expect(verify(`${secret}x`, header, request.body)).toBe(false);
    const t = Number(/t=(\d+)/.exec(header)![1]);
    expect(verify(secret, header, request.body, 300, t + 301)).toBe(false);
    expect(verify(secret, header, request.body, 300, t + 299)).toBe(true);

    const event = eventOf(request);
    expect(request.headers['x-oscatalog-event-id']).toBe(event.id);
    expect(request.headers['x-oscatalog-event']).toBe('tariff.list_changed');
    expect(request.headers['content-type']).toBe('application/json');
    // The announced ETag is the one the storefront list answers.
    const list = await app.tariffs.renderStorefrontList(tariff.id);
    expect(event.data).toEqual({
      tariffs: [
        {
          tariffId: tariff.id,
          etag: list.etag,
          added: list.items,
          removed: [],
        },
      ],
    });
    const [logged] = await app.webhooks.listDeliveries(endpoint.id);
    expect(logged).toMatchObject({
      eventId: event.id,
      eventType: 'tariff.list_changed',
      state: 'delivered',
      attempts: 1,
      lastStatusCode: 200,
      lastError: null,
    });
    const metrics = await createMetrics(app).registry.metrics();
    expect(metrics).toMatch(/oscat_webhook_deliveries\{outcome="delivered"\} [1-9]/);
  });

  test('a rotated secret signs the next delivery; the old one no longer verifies', async () => {
    const { receiver, endpoint, secret } = await listen(200);
    const rotated = await app.webhooks.rotateSecret(endpoint.id, 'test');
    await newTariff();
    await app.webhookDelivery.handleWebhookDeliveries();
    const request = receiver.requests[0]!;
    const verify = await loadDocumentedVerifier();
    const header = request.headers['x-oscatalog-signature'] as string;
    expect(verify(rotated.secret, header, request.body)).toBe(true);
    expect(verify(secret, header, request.body)).toBe(false);
  });
});

describe('the outbox', () => {
  test('a change that rolls back writes no event; one that commits writes one event per change set', async () => {
    const { receiver } = await listen(200, ['tariff.list_changed', 'template.deprecated']);
    const tariff = await newTariff();
    await app.webhookDelivery.handleWebhookDeliveries();
    const before = await countOutbox();
    // A change to a listed template whose transaction fails after the change and its outbox rows.
    await expect(
      app.db.transaction(async (tx) => {
        await recordAuditedChange(tx, app.clock, async (t, at) => ({
          result: await updateTemplateRow(t, templateIds[0]!, { disabled: true }, at),
          audit: {
            actor: 'test',
            action: 'template.disable',
            objectType: 'template',
            objectId: templateIds[0]!,
          },
        }));
        const inside = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from webhook_events`);
        expect(inside[0]!.n).toBe(before.events + 1);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await countOutbox()).toEqual(before);
    expect(await app.webhookDelivery.handleWebhookDeliveries()).toEqual({
      delivered: 0,
      retrying: 0,
      failed: 0,
    });

    // The EOL job moves two templates at once: one event for both, and one list event.
    await app.db.execute(
      sql`update parameter_values set eol_at = ${new Date(Date.now() - 1000).toISOString()}::timestamptz
          where id in (${templateIds[1]!}, ${templateIds[2]!})`,
    );
    await app.lifecycle.deprecatePastEol();
    await app.webhookDelivery.handleWebhookDeliveries();
    const events = receiver.requests.slice(1).map(eventOf);
    expect(events.map((e) => e.type).sort()).toEqual(['tariff.list_changed']);
    const listEvent = events[0]!.data as { tariffs: { tariffId: number; removed: { id: number }[] }[] };
    expect(listEvent.tariffs.find((t) => t.tariffId === tariff.id)!.removed.map((r) => r.id)).toEqual([
      templateIds[1],
      templateIds[2],
    ]);
  });

  test('the EOL job sends one template.eol_reached event for every template it moves', async () => {
    const { receiver } = await listen(200, ['template.eol_reached']);
    const ids = await insertTemplates(app.db, [
      { internalName: 'ISPsystem__Old 1' },
      { internalName: 'ISPsystem__Old 2' },
    ]);
    await app.db.execute(
      sql`update parameter_values set eol_at = ${new Date(Date.now() - 1000).toISOString()}::timestamptz
          where id in (${ids[0]!}, ${ids[1]!})`,
    );
    expect((await app.lifecycle.deprecatePastEol()).sort()).toEqual(ids);
    await app.webhookDelivery.handleWebhookDeliveries();
    expect(receiver.requests.map(eventOf)).toEqual([
      expect.objectContaining({
        type: 'template.eol_reached',
        data: {
          templates: ids.map((id, i): unknown =>
            expect.objectContaining({ id, internalName: `ISPsystem__Old ${i + 1}` }),
          ),
        },
      }),
    ]);
    // Nothing left to move: no second event.
    await app.lifecycle.deprecatePastEol();
    await app.webhookDelivery.handleWebhookDeliveries();
    expect(receiver.requests).toHaveLength(1);
  });

  test('a deprecation sends template.deprecated; a change that leaves every list as it is sends no list event', async () => {
    const { receiver } = await listen(200, ['template.deprecated', 'tariff.list_changed']);
    const [id] = await insertTemplates(app.db, [{ internalName: 'ISPsystem__Nowhere' }]);
    // Connected nowhere: on no list, so no list event.
    await app.catalog.editTemplate(id!, { displayName: 'Nowhere Linux' }, 'test');
    await app.lifecycle.deprecateTemplate(id!, { eolAt: '2099-01-01T00:00:00Z' }, 'test');
    await app.webhookDelivery.handleWebhookDeliveries();
    expect(receiver.requests.map(eventOf)).toEqual([
      expect.objectContaining({
        type: 'template.deprecated',
        data: {
          templates: [
            expect.objectContaining({ id, lifecycle: 'deprecating', eolAt: '2099-01-01T00:00:00.000Z' }),
          ],
        },
      }),
    ]);
  });
});

describe('the change feed with and without subscribers', () => {
  test('changes while nobody listens are not announced later; the first change after registering is, exactly', async () => {
    const quiet = await newTariff();
    await app.catalog.setTemplateOnTariffs(templateIds[0]!, [quiet.id], false, 'test');
    const { receiver } = await listen(200);
    await app.catalog.setTemplateOnTariffs(templateIds[0]!, [quiet.id], true, 'test');
    await app.webhookDelivery.handleWebhookDeliveries();
    const list = await app.tariffs.renderStorefrontList(quiet.id);
    expect(receiver.requests.map(eventOf)).toEqual([
      expect.objectContaining({
        type: 'tariff.list_changed',
        data: {
          tariffs: [
            {
              tariffId: quiet.id,
              etag: list.etag,
              added: list.items.filter((i) => i.id === templateIds[0]),
              removed: [],
            },
          ],
        },
      }),
    ]);
  });
});

describe('a dead endpoint', () => {
  test('holds only the delivery worker: admin edits commit while it holds the request', async () => {
    const { receiver, endpoint } = await listen('hang');
    await newTariff();
    const pass = app.webhookDelivery.handleWebhookDeliveries();
    await receiver.waitFor(1);
    // The endpoint holds the request; changes still commit and queue their events.
    await newTariff();
    await app.catalog.editTemplate(templateIds[0]!, { sort: 5 }, 'test');
    expect(receiver.requests[0]!.answered).toBe(false);
    const pending = await queryRows<{ n: number }>(
      app.db,
      sql`select count(*)::int as n from webhook_deliveries where state = 'pending' and attempts = 0`,
    );
    expect(pending[0]!.n).toBeGreaterThanOrEqual(2);
    // The one being sent cannot be redelivered meanwhile.
    const inFlight = (await app.webhooks.listDeliveries(endpoint.id)).at(-1)!;
    await expect(app.webhooks.redeliver(endpoint.id, inFlight.id, 'test')).rejects.toMatchObject({
      code: 'conflict',
    });
    receiver.release();
    await pass;
  });
});
