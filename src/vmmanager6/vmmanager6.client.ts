import { createHash } from 'node:crypto';
import type { TSchema, Static } from 'typebox';
import { AppError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { checkOutboundUrl, createOutboundAgent, type OutboundAllowList } from '../shared/outbound.js';
import { parseWith } from '../shared/validate.js';
import {
  decodeJson,
  readVmError,
  sendWithRetries,
  urlOf,
  type HttpAnswer,
  type HttpContext,
} from './vmmanager6.http.js';
import { mapStatusError } from './vmmanager6.errors.js';
import { ClusterListAnswerSchema, clusterItemToCluster, type VmCluster } from './vmmanager6.schema.js';
import { parseAccountList, parseWhoami, type VmAccount } from './vmmanager6.account.js';
import { loginPath, readLoginAnswer } from './vmmanager6.login.js';
import { normalizeVmmanagerUrl } from './vmmanager6.url.js';
import { checkListComplete, parseOsList, type OsList, type VmOsTemplate } from './vmmanager6.os-list.js';
import {
  defaultRetryPolicy,
  defaultSuspensionPolicy,
  realTimers,
  type RetryPolicy,
  type RetryTimers,
  type SuspensionPolicy,
} from './vmmanager6.retry.js';
import { whereCondition, type WhereFilter } from './vmmanager6.where.js';

/** How to reach one VMmanager 6 installation. */
export interface VmmanagerClientOptions {
  url: string;
  /** The admin account: it logs in with the password, and names the account in messages. */
  email: string;
  /** The password; unused when `apiToken` is given. */
  password?: string;
  /**
   * A long-lived VMmanager token (`POST /auth/v4/token`) used instead of logging in: sent as the
   * session token is, never renewed (a refused token is an error of its own).
   */
  apiToken?: string;
  verifyTls?: boolean;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** The most bytes one answer may have (default `defaultMaxAnswerBytes`). */
  maxAnswerBytes?: number;
  /** Retries of 5xx other than 503 and of network failures (default `defaultRetryPolicy`). */
  retries?: RetryPolicy;
  /** Retries of 503, a suspended VMmanager (default `defaultSuspensionPolicy`). */
  suspension?: SuspensionPolicy;
  /** Time for the retries (tests: a fake clock, so that a long suspension takes no real time). */
  timers?: RetryTimers;
  /** `OSCAT_OUTBOUND_ALLOW`, when set: connections go only where it allows. */
  allow?: OutboundAllowList | undefined;
  logger?: Logger;
}

/**
 * The default answer limit: 32 MiB, about 50,000 templates (a 5,000-template list is 3 MB);
 * parsing that much takes well under a second and a few hundred MB at most.
 */
export const defaultMaxAnswerBytes = 32 * 1024 * 1024;

/** Options of the list calls. */
export interface ListOptions {
  where?: WhereFilter;
}

/** An OS list answer, or `list: null` when its body is byte for byte the one already seen. */
export interface OsTemplatesAnswer {
  /** A digest of the answer's body. */
  digest: string;
  list: OsList | null;
}

/** A logged-in conversation with one VMmanager 6; the token is reused across calls. */
export interface VmmanagerClient {
  /** The OS list item by item: usable templates, skipped items with their reasons, the count listed. */
  listOsList(options?: ListOptions): Promise<OsList>;
  /** The usable templates of the OS list (`listOsList().templates`). */
  listOsTemplates(options?: ListOptions): Promise<VmOsTemplate[]>;
  /**
   * The OS list, unless its body's digest equals `seenDigest`: then nothing is parsed (a 5,000-
   * template answer is 3 MB of JSON) and `list` is null.
   */
  listOsTemplatesIfChanged(seenDigest: string | null): Promise<OsTemplatesAnswer>;
  listClusters(options?: ListOptions): Promise<VmCluster[]>;
  /** Logs in unless a session is open (every other call does so on its own). */
  signIn(): Promise<void>;
  /** `/auth/v4/whoami`, read leniently: fields VMmanager did not send are null. */
  whoami(): Promise<VmAccount>;
  /**
   * The account with this email in `/vm/v3/account` (the way ISPsystem's WHMCS module checks
   * for `@admin`), or null when the list has none.
   */
  findAccount(email: string): Promise<VmAccount | null>;
  close(): Promise<void>;
}

const osPath = '/vm/v3/os';

// VMmanager's "session expired" error code as seen in public clients (not documented).
const sessionExpiredCode = 1000;

// The address as pasted is cut to the installation's base (`…/vm/v3/` → `…`).
const parseBaseUrl = (pasted: string): URL => {
  const url = normalizeVmmanagerUrl(pasted);
  let parsed: URL;
  try {
    parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('protocol');
  } catch {
    throw new AppError(
      'invalid_input',
      'the VMmanager URL must be an http(s) address such as https://vm.example.com',
      {},
    );
  }
  return checkOutboundUrl(url, 'url');
};

/** Creates a VMmanager 6 client; the password and token live only in this closure. */
export function createVmmanagerClient(options: VmmanagerClientOptions): VmmanagerClient {
  const { email, password = '', apiToken } = options;
  const baseUrl = parseBaseUrl(options.url);
  const ctx: HttpContext = {
    baseUrl,
    agent: createOutboundAgent({
      allow: options.allow,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      verifyTls: options.verifyTls ?? true,
    }),
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    maxAnswerBytes: options.maxAnswerBytes ?? defaultMaxAnswerBytes,
    retries: options.retries ?? defaultRetryPolicy,
    suspension: options.suspension ?? defaultSuspensionPolicy,
    timers: options.timers ?? realTimers,
    suspendedWaitMs: 0,
    allow: options.allow,
    logger: options.logger?.child({ vmmanager: baseUrl.origin }),
  };
  let token: string | null = null;
  let pendingLogin: Promise<string> | null = null;

  const login = async (): Promise<string> => {
    const answer = await sendWithRetries(ctx, {
      method: 'POST',
      path: loginPath,
      headers: { 'content-type': 'application/json' },
      body: { email, password },
    });
    const loginToken = readLoginAnswer(answer, { url: urlOf(ctx), email });
    ctx.logger?.info({ email }, 'logged in to VMmanager');
    return loginToken;
  };

  // Concurrent calls share one login instead of each opening a session.
  const ensureToken = async (): Promise<string> => {
    if (apiToken !== undefined) return apiToken;
    if (token) return token;
    pendingLogin ??= login().finally(() => (pendingLogin = null));
    token = await pendingLogin;
    return token;
  };

  const sendAuthed = async (path: string, query: string | undefined, current: string): Promise<HttpAnswer> =>
    sendWithRetries(ctx, {
      method: 'GET',
      path,
      query,
      headers: { 'x-xsrf-token': current, cookie: `ses6=${current}` },
    });

  const getJson = async (path: string, query?: string): Promise<unknown> =>
    decodeJson(await getAnswer(path, query), path);

  const getAnswer = async (path: string, query?: string): Promise<HttpAnswer> => {
    let answer = await sendAuthed(path, query, await ensureToken());
    if (apiToken !== undefined && needsLogin(answer)) throw tokenRefused(answer, urlOf(ctx), path);
    if (needsLogin(answer)) {
      ctx.logger?.info({ path, status: answer.status }, 'VMmanager session expired, logging in again');
      token = null;
      answer = await sendAuthed(path, query, await ensureToken());
      if (needsLogin(answer)) {
        token = null;
        throw new AppError('upstream_auth', `VMmanager rejected a fresh session for ${path}`, {
          status: answer.status,
          path,
          ...readVmError(answer.text),
        });
      }
    }
    if (answer.status >= 400)
      throw mapStatusError(answer.status, readVmError(answer.text), { url: urlOf(ctx), path });
    return answer;
  };

  const getList = async <S extends TSchema>(
    schema: S,
    path: string,
    options?: ListOptions,
  ): Promise<Static<S>> => {
    const query = options?.where ? `where=${options.where}` : undefined;
    return parseList(schema, await getJson(path, query), path);
  };

  return {
    async listOsList(listOptions) {
      const query = listOptions?.where ? `where=${listOptions.where}` : undefined;
      return parseOsList(await getJson(osPath, query), osPath);
    },
    async listOsTemplates(listOptions) {
      return (await this.listOsList(listOptions)).templates;
    },
    async listOsTemplatesIfChanged(seenDigest) {
      const answer = await getAnswer(osPath);
      const digest = createHash('sha512').update(answer.text).digest('base64url');
      if (digest === seenDigest) return { digest, list: null };
      return { digest, list: parseOsList(decodeJson(answer, osPath), osPath) };
    },
    async listClusters(listOptions) {
      return (await getList(ClusterListAnswerSchema, '/vm/v3/cluster', listOptions)).list.map(
        clusterItemToCluster,
      );
    },
    async signIn() {
      await ensureToken();
    },
    async whoami() {
      return parseWhoami(await getJson('/auth/v4/whoami'));
    },
    async findAccount(accountEmail) {
      const where = whereCondition({ field: 'email', value: accountEmail });
      return parseAccountList(await getJson('/vm/v3/account', `where=${where}`));
    },
    async close() {
      token = null;
      await ctx.agent.close();
    },
  };
}

/** True when VMmanager says the session is gone: HTTP 401 or error code 1000 in any answer. */
function needsLogin(answer: HttpAnswer): boolean {
  if (answer.status === 401) return true;
  // A body without an "error" key cannot carry the code: skip parsing a large list twice.
  if (!answer.text.includes('"error"')) return false;
  return Number(readVmError(answer.text).vmCode) === sessionExpiredCode;
}

// An API token cannot be renewed by logging in: the admin has to make a new one.
const tokenRefused = (answer: HttpAnswer, url: string, path: string): AppError =>
  new AppError(
    'upstream_auth',
    `VMmanager at ${url} refused the module's API token (${answer.status} at ${path}): it has expired or was deleted; create a new token in VMmanager and save it in the module`,
    { status: answer.status, path, reason: 'token_refused', ...readVmError(answer.text) },
  );

/** Parses a list answer with its schema and checks that it is complete. */
function parseList<S extends TSchema>(schema: S, value: unknown, path: string): Static<S> {
  const body = parseWith(schema, value, { code: 'upstream_invalid', what: `${path} answer` });
  checkListComplete(body, path);
  return body;
}
