import { AppError, isAppError } from '../shared/errors.js';
import type { VmmanagerClient } from './vmmanager6.client.js';
import { messageWithoutUpstreamText } from './vmmanager6.errors.js';
import type { VmCluster, VmUser } from './vmmanager6.schema.js';

/** Why a connection test failed, in a form the UI can switch on. */
export type ConnectionFailureReason =
  | 'wrong_password'
  | 'unreachable'
  | 'suspended'
  | 'tls'
  | 'not_admin'
  | 'timeout'
  | 'invalid_answer'
  | 'cluster_missing';

/** The outcome of testing one module's connection. `clusterFound` is null when no cluster was asked for. */
export type ConnectionTestResult =
  | { ok: true; user: VmUser; clusters: VmCluster[]; clusterFound: boolean | null }
  | { ok: false; reason: ConnectionFailureReason; message: string };

// The role VMmanager 6 gives administrators (seen in ISPsystem's own WHMCS module).
const adminRole = '@admin';

/** Logs in, asks who we are and lists clusters; reports the first failure in words an admin understands. */
export async function testVmmanagerConnection(
  client: VmmanagerClient,
  options: { clusterId?: number | null } = {},
): Promise<ConnectionTestResult> {
  try {
    const user = await client.whoami();
    if (user.roles.length > 0 && !user.roles.includes(adminRole)) return notAdmin(user.email);
    const clusters = await client.listClusters();
    const clusterId = options.clusterId ?? null;
    if (clusterId === null) return { ok: true, user, clusters, clusterFound: null };
    if (!clusters.some((cluster) => cluster.id === clusterId)) {
      const known = clusters.map((cluster) => `${cluster.id} (${cluster.name})`).join(', ') || 'none';
      return {
        ok: false,
        reason: 'cluster_missing',
        message: `VMmanager has no cluster with id ${clusterId}; the clusters it has are: ${known}.`,
      };
    }
    return { ok: true, user, clusters, clusterFound: true };
  } catch (error) {
    return describeFailure(error);
  }
}

const notAdmin = (email: string): ConnectionTestResult => ({
  ok: false,
  reason: 'not_admin',
  message: `The account ${email} is not a VMmanager administrator; use an account with the administrator role.`,
});

// The URL under test may be any service's: messages say what kind of failure it was and never
// quote what the service answered (no port-scan oracle, no internal error text).
function describeFailure(thrown: unknown): ConnectionTestResult {
  if (!isAppError(thrown)) throw thrown;
  const details = thrown.details;
  const error = new AppError(thrown.code, messageWithoutUpstreamText(thrown), details);
  switch (error.code) {
    case 'upstream_auth':
      if (details.status === 403) {
        return {
          ok: false,
          reason: 'not_admin',
          message: `${error.message}. The account needs the administrator role.`,
        };
      }
      return {
        ok: false,
        reason: 'wrong_password',
        message: 'VMmanager did not accept the email or password.',
      };
    case 'upstream_timeout':
      return {
        ok: false,
        reason: 'timeout',
        message: `${error.message}. Check the address, firewall or timeouts.`,
      };
    case 'upstream_invalid':
      return {
        ok: false,
        reason: 'invalid_answer',
        message: `${error.message}. Is the URL the address of a VMmanager 6 installation?`,
      };
    case 'upstream_unavailable':
      if (details.reason === 'tls') return { ok: false, reason: 'tls', message: error.message };
      if (details.reason === 'suspended') return { ok: false, reason: 'suspended', message: error.message };
      return { ok: false, reason: 'unreachable', message: error.message };
    default:
      throw error;
  }
}
