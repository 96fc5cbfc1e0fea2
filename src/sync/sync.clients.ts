import type { SecretBox } from '../shared/secrets.js';
import type { ModuleRow } from '../modules/modules.repository.js';
import { moduleRowToConnection } from '../modules/modules.service.js';
import type { VmmanagerClient } from '../vmmanager6/vmmanager6.client.js';
import type { VmmanagerClientFactory } from '../vmmanager6/vmmanager6.factory.js';
import type { ModuleScope } from '../vmmanager6/vmmanager6.templates.js';
import { toUpstreamSet, type FetchedUpstream } from './sync.upstream.js';

interface ModuleEntry {
  key: string;
  client: VmmanagerClient;
  /** The last OS list answer's digest and the upstream set made from it for the scope `scopeKey`. */
  last?: { digest: string; scopeKey: string; upstream: FetchedUpstream };
}

// What the upstream set depends on besides the OS list: the module's settings and the clusters' kinds.
const scopeKeyOf = (scope: ModuleScope) =>
  JSON.stringify([
    scope.clusterId,
    scope.includeNoOs,
    scope.clusters.map((c) => [c.id, c.virtualizationType]),
  ]);

/**
 * One VMmanager client per module, kept across runs so that its session and connection are
 * reused: an hourly sync logs in once per session lifetime instead of once per run (the client
 * logs in again by itself when VMmanager ends the session). With it the module's last upstream
 * set: an answer byte for byte like the last one is not parsed again. A client is replaced when
 * the module's connection settings change and dropped after a failed fetch.
 */
export function createModuleClients(factory: VmmanagerClientFactory, secrets: SecretBox) {
  const cache = new Map<number, ModuleEntry>();
  const closeQuietly = (client: VmmanagerClient) => client.close().catch(() => undefined);
  const keyOf = (m: ModuleRow) =>
    JSON.stringify([
      m.url,
      m.adminEmail,
      m.authMethod,
      m.passwordEncrypted,
      m.verifyTls,
      m.connectTimeoutMs,
      m.requestTimeoutMs,
      m.maxAnswerBytes,
    ]);

  const entryFor = (module: ModuleRow): ModuleEntry => {
    const key = keyOf(module);
    const cached = cache.get(module.id);
    if (cached?.key === key) return cached;
    if (cached) void closeQuietly(cached.client);
    const entry = { key, client: factory(moduleRowToConnection(module, secrets)) };
    cache.set(module.id, entry);
    return entry;
  };

  const drop = async (moduleId: number): Promise<void> => {
    const cached = cache.get(moduleId);
    cache.delete(moduleId);
    if (cached) await closeQuietly(cached.client);
  };

  return {
    /**
     * The module's upstream set (and its fingerprint), from VMmanager: its clusters (KVM or LXD),
     * then its OS list.
     */
    async fetchUpstream(module: ModuleRow): Promise<FetchedUpstream> {
      const entry = entryFor(module);
      try {
        const clusters = await entry.client.listClusters();
        const scope = { clusterId: module.clusterId, clusters, includeNoOs: module.includeNoOs };
        const scopeKey = scopeKeyOf(scope);
        const last = entry.last?.scopeKey === scopeKey ? entry.last : undefined;
        const answer = await entry.client.listOsTemplatesIfChanged(last?.digest ?? null);
        if (answer.list === null && last) return last.upstream;
        const upstream = toUpstreamSet(answer.list ?? { templates: [], skipped: [], listed: 0 }, scope);
        entry.last = { digest: answer.digest, scopeKey, upstream };
        return upstream;
      } catch (error) {
        await drop(module.id);
        throw error;
      }
    },
    async closeAll(): Promise<void> {
      const entries = [...cache.values()];
      cache.clear();
      await Promise.all(entries.map((e) => closeQuietly(e.client)));
    },
  };
}
