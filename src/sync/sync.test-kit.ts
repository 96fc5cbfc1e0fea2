import { randomBytes } from 'node:crypto';
import { createApp, type App } from '../app.js';
import type { Database } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { createSecretBox } from '../shared/secrets.js';
import { createVmmanagerClient } from '../vmmanager6/vmmanager6.client.js';
import { signInOptionsOf, type VmmanagerClientFactory } from '../vmmanager6/vmmanager6.factory.js';
import type { VmmanagerSimulator } from '../vmmanager6/simulator/simulator.js';
import { fastSuspension } from '../vmmanager6/vmmanager6.test-kit.js';

// Support for the sync tests and their child processes (no vitest imports here: children load it).

const clientFactoryWithin =
  (timeouts: { connectTimeoutMs?: number; requestTimeoutMs?: number }): VmmanagerClientFactory =>
  (module) =>
    createVmmanagerClient({
      url: module.url,
      email: module.adminEmail,
      ...signInOptionsOf(module),
      verifyTls: module.verifyTls,
      ...timeouts,
      maxAnswerBytes: module.maxAnswerBytes,
      retries: { attempts: 2, baseDelayMs: 5 },
      suspension: fastSuspension,
    });

/**
 * A client factory with tiny retry delays, so fault tests stay fast, and the client's own
 * timeouts: a shorter one fails a correct sync whose answer a loaded machine delays (on PGlite
 * another run's statements hold the same event loop).
 */
export const fastClientFactory: VmmanagerClientFactory = clientFactoryWithin({});

/** The fast factory with 300 ms timeouts, for the tests of an answer that never comes. */
export const hastyClientFactory: VmmanagerClientFactory = clientFactoryWithin({
  connectTimeoutMs: 300,
  requestTimeoutMs: 300,
});

export interface SyncAppOptions {
  clock?: Clock;
  /** Another client factory than `fastClientFactory` (e.g. the default budgets on a fake clock). */
  vmmanagerClientFactory?: VmmanagerClientFactory;
  alertWebhook?: string;
  secretKey?: Buffer;
}

/** A full app on `database` whose sync talks to VMmanager through the fast factory. */
export function createSyncApp(database: Database, options: SyncAppOptions = {}): App {
  return createApp({
    database,
    secrets: createSecretBox(options.secretKey ?? randomBytes(32)),
    vmmanagerClientFactory: options.vmmanagerClientFactory ?? fastClientFactory,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.alertWebhook ? { alertWebhook: options.alertWebhook } : {}),
  });
}

/** A processing module pointing at the simulator. */
export async function addSimModule(
  app: App,
  sim: Pick<VmmanagerSimulator, 'url' | 'email' | 'password'>,
  name: string,
  extra: {
    clusterId?: number | null;
    newTemplatePolicy?: 'enable' | 'hold';
    guardMaxDisconnectShare?: number;
    webhookUrl?: string;
  } = {},
) {
  return app.modules.createModule(
    { name, url: sim.url, adminEmail: sim.email, password: sim.password, ...extra },
    'test',
  );
}

const healthKeys = ['last_success_at', 'last_failure_at', 'last_failure_message', 'consecutive_failures'];

/**
 * A `dumpCatalog` text without the module health columns: a failed sync must change nothing in
 * the catalog, but it does (and must) record the failure in the module's health.
 */
export function withoutHealth(dump: string): string {
  return dump
    .split('\n')
    .map((line) => {
      if (!line.startsWith('processing_modules: ')) return line;
      const rows = JSON.parse(line.slice('processing_modules: '.length)) as Record<string, unknown>[];
      for (const row of rows) for (const key of healthKeys) delete row[key];
      return `processing_modules: ${JSON.stringify(rows)}`;
    })
    .join('\n');
}

/** A clock that moves one second per reading, so every timestamp differs and orders. */
export function steppingClock(start = Date.parse('2025-01-01T00:00:00Z')): Clock {
  let now = start;
  return {
    now() {
      now += 1000;
      return new Date(now);
    },
  };
}
