import type { SecretBox } from '../shared/secrets.js';
import type { ModuleRow } from '../modules/modules.repository.js';
import { moduleRowToConnection } from '../modules/modules.service.js';
import type { VmmanagerClient } from '../vmmanager6/vmmanager6.client.js';
import type { VmmanagerClientFactory } from '../vmmanager6/vmmanager6.factory.js';

/**
 * One VMmanager client per module, kept across runs so that its session and connection are
 * reused: an hourly sync logs in once per session lifetime instead of once per run (the client
 * logs in again by itself when VMmanager ends the session). A client is replaced when the
 * module's connection settings change and dropped after a failed fetch.
 */
export function createModuleClients(factory: VmmanagerClientFactory, secrets: SecretBox) {
  const cache = new Map<number, { key: string; client: VmmanagerClient }>();
  const closeQuietly = (client: VmmanagerClient) => client.close().catch(() => undefined);
  const keyOf = (m: ModuleRow) =>
    JSON.stringify([
      m.url,
      m.adminEmail,
      m.passwordEncrypted,
      m.verifyTls,
      m.connectTimeoutMs,
      m.requestTimeoutMs,
    ]);

  return {
    clientFor(module: ModuleRow): VmmanagerClient {
      const key = keyOf(module);
      const cached = cache.get(module.id);
      if (cached?.key === key) return cached.client;
      if (cached) void closeQuietly(cached.client);
      const client = factory(moduleRowToConnection(module, secrets));
      cache.set(module.id, { key, client });
      return client;
    },
    async drop(moduleId: number): Promise<void> {
      const cached = cache.get(moduleId);
      cache.delete(moduleId);
      if (cached) await closeQuietly(cached.client);
    },
    async closeAll(): Promise<void> {
      const clients = [...cache.values()];
      cache.clear();
      await Promise.all(clients.map((c) => closeQuietly(c.client)));
    },
  };
}
