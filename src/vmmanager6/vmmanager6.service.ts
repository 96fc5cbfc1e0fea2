import { AppError, isAppError } from '../shared/errors.js';
import type { VmmanagerClient } from './vmmanager6.client.js';
import { messageWithoutUpstreamText } from './vmmanager6.errors.js';
import type { VmCluster, VmUser } from './vmmanager6.schema.js';

/** Why a connection test failed, in a form the UI can switch on. */
export type ConnectionFailureReason =
  | 'wrong_password'
  | 'token_refused'
  | 'unconfirmed'
  | 'not_vmmanager'
  | 'redirect'
  | 'unreachable'
  | 'suspended'
  | 'tls'
  | 'not_admin'
  | 'timeout'
  | 'invalid_answer'
  | 'cluster_missing';

/**
 * The outcome of testing one module's connection. `clusterFound` is null when no cluster was
 * asked for; `warnings` say what the test could not check (a passed test still passed).
 */
export type ConnectionTestResult =
  | { ok: true; user: VmUser; clusters: VmCluster[]; clusterFound: boolean | null; warnings: string[] }
  | { ok: false; reason: ConnectionFailureReason; message: string };

// The role VMmanager 6 gives administrators (seen in ISPsystem's own WHMCS module).
const adminRole = '@admin';

/**
 * Logs in, looks the account up the way ISPsystem's WHMCS module does (`/vm/v3/account` by
 * email, its `roles` must hold `@admin`), reads whoami leniently and lists clusters; reports
 * the first failure in words an admin understands. When neither the account list nor whoami
 * says what roles the account has, the test passes with a warning: a working installation is
 * not refused for answering in a shape we do not know.
 */
export async function testVmmanagerConnection(
  client: VmmanagerClient,
  options: { email: string; clusterId?: number | null },
): Promise<ConnectionTestResult> {
  try {
    await client.signIn();
    const warnings: string[] = [];
    const whoami = await unlessUnclear(client.whoami(), 'whoami', warnings);
    const account = await unlessUnclear(client.findAccount(options.email), 'account', warnings);
    const roles = account?.roles ?? whoami?.roles ?? null;
    const email = account?.email ?? whoami?.email ?? options.email;
    if (roles !== null && !roles.includes(adminRole)) return notAdmin(email);
    if (roles === null) {
      warnings.push(
        `could not confirm that ${email} is a VMmanager administrator (neither /vm/v3/account nor /auth/v4/whoami listed its roles); the test went on, and a sync will fail if the account lacks the administrator role`,
      );
    }
    const user: VmUser = { id: account?.id ?? whoami?.id ?? null, email, roles: roles ?? [] };
    const clusters = await client.listClusters();
    const clusterId = options.clusterId ?? null;
    if (clusterId === null) return { ok: true, user, clusters, clusterFound: null, warnings };
    if (!clusters.some((cluster) => cluster.id === clusterId)) {
      const known = clusters.map((cluster) => `${cluster.id} (${cluster.name})`).join(', ') || 'none';
      return {
        ok: false,
        reason: 'cluster_missing',
        message: `VMmanager has no cluster with id ${clusterId}; the clusters it has are: ${known}.`,
      };
    }
    return { ok: true, user, clusters, clusterFound: true, warnings };
  } catch (error) {
    return describeFailure(error);
  }
}

/**
 * An answer that does not say what we asked (a shape we cannot read, a 4xx such as 404 or 403,
 * an email the filter cannot carry) is null and noted; the installation failing is not.
 */
async function unlessUnclear<T>(call: Promise<T>, what: string, warnings: string[]): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (!isAppError(error)) throw error;
    const status = Number(error.details.status);
    const unclear =
      error.code === 'invalid_input' ||
      (error.code === 'upstream_invalid' && error.details.reason !== 'redirect') ||
      (error.code === 'upstream_auth' && status === 403);
    if (!unclear) throw error;
    warnings.push(`VMmanager's ${what} answer could not be used (${status > 0 ? status : error.code})`);
    return null;
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
      if (details.reason === 'unconfirmed' || details.reason === 'token_refused')
        return { ok: false, reason: details.reason, message: error.message };
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
      if (details.reason === 'not_vmmanager' || details.reason === 'redirect')
        return { ok: false, reason: details.reason, message: error.message };
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
