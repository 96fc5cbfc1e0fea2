import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { loadConfig } from '../config.js';
import { openStorage, type OpenedStorage } from '../db/open.js';
import { createWebhookDeliveryJob } from '../jobs/webhook-delivery.job.js';
import { addTestModule, connectTemplates, insertTemplates } from '../test/test-app.js';
import { childEnvironment, killWhenPrinted } from '../test/kill-child.js';
import { eventOf, startReceiver } from './webhooks.test-kit.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const child = fileURLToPath(new URL('./webhook-kill.child.ts', import.meta.url));

describe('a process killed right after committing a change', () => {
  it(
    'leaves its event in the outbox, and the restarted service delivers it',
    { timeout: 90_000 },
    async () => {
      const receiver = await startReceiver(200);
      cleanups.push(() => receiver.close());
      const env = await childEnvironment(
        'oscat-webhook-kill-',
        'webhook-kill-test-secret-0123456789',
        cleanups,
      );
      const open = async (): Promise<OpenedStorage> => openStorage(loadConfig(env), 'webhook-kill-test');

      let storage = await open();
      let app = createApp({ database: storage.database, secrets: storage.secrets });
      const ids = await insertTemplates(app.db, [{ internalName: 'ISPsystem__Ubuntu 24.04' }]);
      const module = await addTestModule(app, 'msk');
      await connectTemplates(app.db, module.id, ids);
      const { endpoint } = await app.webhooks.createEndpoint(
        { url: receiver.url, events: ['tariff.list_changed'] },
        'test',
      );
      await storage.close();

      // The child has committed its change when it prints COMMITTED; it is killed right there.
      const { match } = await killWhenPrinted(
        child,
        { ...env, MODULE_ID: String(module.id) },
        /COMMITTED (\d+)/,
      );
      const tariffId = Number(match[1]);
      expect(receiver.requests).toHaveLength(0);

      storage = await open();
      app = createApp({ database: storage.database, secrets: storage.secrets });
      const job = createWebhookDeliveryJob({
        database: storage.database,
        delivery: app.webhookDelivery,
        logger: app.logger,
      });
      cleanups.push(async () => {
        await job.stop();
        await app.webhookDelivery.close();
        await storage.close();
      });
      expect((await app.webhooks.listDeliveries(endpoint.id)).map((d) => d.state)).toEqual(['pending']);
      // The job's first pass at start sends what the killed process left.
      await job.start();
      await receiver.waitFor(1);
      expect(eventOf(receiver.requests[0]!)).toMatchObject({
        type: 'tariff.list_changed',
        data: {
          tariffs: [
            { tariffId, added: [{ id: ids[0], internalName: 'ISPsystem__Ubuntu 24.04' }], removed: [] },
          ],
        },
      });
      await job.stop();
      expect((await app.webhooks.listDeliveries(endpoint.id)).map((d) => d.state)).toEqual(['delivered']);
    },
  );
});
