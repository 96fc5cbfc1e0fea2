import { randomBytes } from 'node:crypto';
import { createApp } from '../app.js';
import { createSecretBox } from '../shared/secrets.js';
import {
  addTestModule,
  connectTemplates,
  createTestApp,
  insertTemplates,
  type TestApp,
} from '../test/test-app.js';
import type { WebhookEventType } from './webhooks.schema.js';
import { startReceiver, type Receiver } from './webhooks.test-kit.js';

/**
 * A test app for the webhook tests: three templates on a module, a clock at real time plus an
 * offset the retry tests move forward (signatures are checked against real time), and a known
 * secret key so that a second instance can read the endpoints' secrets.
 */
export async function createWebhookFixture() {
  let offsetMs = 0;
  const clock = { now: () => new Date(Date.now() + offsetMs) };
  const secretKey = randomBytes(32);
  const base = await createTestApp({ clock });
  const app: TestApp = {
    ...base,
    ...createApp({ database: base.testDatabase, secrets: createSecretBox(secretKey), clock }),
  };
  const templateIds = await insertTemplates(app.db, [
    { internalName: 'ISPsystem__Ubuntu 24.04' },
    { internalName: 'ISPsystem__Debian 12' },
    { internalName: 'ISPsystem__Alma 9' },
  ]);
  const moduleId = (await addTestModule(app, 'Cluster A')).id;
  await connectTemplates(app.db, moduleId, templateIds);
  const receivers: Receiver[] = [];
  let tariffCount = 0;

  return {
    app,
    clock,
    secretKey,
    moduleId,
    templateIds,
    advance: (ms: number) => void (offsetMs += ms),
    /** A receiver and an endpoint pointing at it. */
    async listen(answer: number | 'hang', events: WebhookEventType[] = ['tariff.list_changed']) {
      const receiver = await startReceiver(answer);
      receivers.push(receiver);
      const { endpoint, secret } = await app.webhooks.createEndpoint({ url: receiver.url, events }, 'test');
      return { receiver, endpoint, secret };
    },
    /** A committed admin change that alters a storefront list: a new tariff on the module. */
    newTariff: () =>
      app.tariffs.createTariff({ name: `Tariff ${(tariffCount += 1)}`, moduleIds: [moduleId] }, 'test'),
    /** After each test: the clock back, every endpoint disabled, the receivers closed. */
    async reset() {
      offsetMs = 0;
      for (const endpoint of await app.webhooks.listEndpoints())
        if (endpoint.enabled) await app.webhooks.updateEndpoint(endpoint.id, { enabled: false }, 'test');
      for (const receiver of receivers.splice(0)) await receiver.close();
    },
    async close() {
      await app.webhookDelivery.close();
      await app.close();
    },
  };
}

export type WebhookFixture = Awaited<ReturnType<typeof createWebhookFixture>>;
