import { createApp } from '../app.js';
import { loadConfig } from '../config.js';
import { openStorage } from '../db/open.js';

// Child process of webhook-kill.test.ts: commits a change that announces a webhook event, says
// so, and waits to be SIGKILLed before any delivery could start (it runs no delivery worker).
const storage = await openStorage(loadConfig(process.env), 'webhook-kill-child');
const app = createApp({ database: storage.database, secrets: storage.secrets });
const tariff = await app.tariffs.createTariff(
  { name: 'Killed', moduleIds: [Number(process.env.MODULE_ID)] },
  'test',
);
process.stdout.write(`COMMITTED ${tariff.id}\n`);
await new Promise(() => undefined);
