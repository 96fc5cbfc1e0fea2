import type { Logger } from '../shared/logger.js';
import type { OutboundAllowList } from '../shared/outbound.js';
import { createVmmanagerClient, type VmmanagerClient } from './vmmanager6.client.js';

/**
 * What the connector needs to reach one processing module's VMmanager (decrypted: only the sync
 * and the connection test see it, never output).
 */
export interface VmmanagerModuleConnection {
  url: string;
  adminEmail: string;
  /** The password, or null when the module signs in with an API token (exactly one is set). */
  password: string | null;
  /** The long-lived API token, or null when the module signs in with the password. */
  apiToken: string | null;
  clusterId: number | null;
  verifyTls: boolean;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  maxAnswerBytes: number;
}

/** How a module's client signs in: with its API token when it has one, else its password. */
export const signInOptionsOf = (
  module: Pick<VmmanagerModuleConnection, 'password' | 'apiToken'>,
): { password: string } | { apiToken: string } =>
  module.apiToken !== null ? { apiToken: module.apiToken } : { password: module.password ?? '' };

/** Builds a client for one module; the composition root injects it so tests can point at the simulator. */
export type VmmanagerClientFactory = (module: VmmanagerModuleConnection) => VmmanagerClient;

/** The default factory: a real client per module with the module's TLS switch, timeouts and limits. */
export function createVmmanagerClientFactory(
  logger?: Logger,
  options: { allow?: OutboundAllowList | undefined } = {},
): VmmanagerClientFactory {
  return (module) =>
    createVmmanagerClient({
      url: module.url,
      email: module.adminEmail,
      ...signInOptionsOf(module),
      verifyTls: module.verifyTls,
      connectTimeoutMs: module.connectTimeoutMs,
      requestTimeoutMs: module.requestTimeoutMs,
      maxAnswerBytes: module.maxAnswerBytes,
      allow: options.allow,
      logger,
    });
}
