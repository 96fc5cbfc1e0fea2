import type { Logger } from '../shared/logger.js';
import type { OutboundAllowList } from '../shared/outbound.js';
import { createVmmanagerClient, type VmmanagerClient } from './vmmanager6.client.js';

/** The connection settings of one processing module, as the factory receives them. */
export interface VmmanagerModuleConnection {
  url: string;
  adminEmail: string;
  /** Exactly one of the two is set. */
  password: string | null;
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
