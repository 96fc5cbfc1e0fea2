import type { Agent, Dispatcher } from 'undici';
import { AppError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import {
  checkOutboundTarget,
  discardBody,
  readCapped,
  tooLargeError,
  type OutboundAllowList,
} from '../shared/outbound.js';
import { cleanUpstreamText } from '../shared/text.js';
import { mapNetworkError, mapStatusError, redirectRefused } from './vmmanager6.errors.js';
import {
  computeRetryDelay,
  suspensionDelay,
  type RetryPolicy,
  type RetryTimers,
  type SuspensionPolicy,
} from './vmmanager6.retry.js';

/** How one client reaches one VMmanager: the pooled agent, the base URL, timeouts and retry policy. */
export interface HttpContext {
  agent: Agent;
  baseUrl: URL;
  requestTimeoutMs: number;
  /** The most bytes one answer may have; reading stops there and the call fails (never retried). */
  maxAnswerBytes: number;
  retries: RetryPolicy;
  /** The retries of 503 (a suspended VMmanager), with their own, longer budget. */
  suspension: SuspensionPolicy;
  timers: RetryTimers;
  /**
   * The waiting spent on the current suspension: consecutive 503 answers, over all the calls of
   * this client (so a run's calls share `suspension.maxWaitMs`); back to 0 on any other outcome.
   */
  suspendedWaitMs: number;
  /** `OSCAT_OUTBOUND_ALLOW`, when set. */
  allow?: OutboundAllowList | undefined;
  logger?: Logger;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  /** Path below the base URL, e.g. `/vm/v3/os`. */
  path: string;
  /** Raw query string, sent exactly as given (the `where` syntax must not be re-encoded). */
  query?: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface HttpAnswer {
  status: number;
  text: string;
}

const urlOf = (ctx: HttpContext): string => ctx.baseUrl.origin + ctx.baseUrl.pathname.replace(/\/$/, '');

/**
 * Sends one request under the total timeout and reads at most `maxAnswerBytes` of the answer; a
 * redirect is refused, never followed. Network failures become AppErrors.
 */
async function sendOnce(ctx: HttpContext, request: HttpRequest): Promise<HttpAnswer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ctx.requestTimeoutMs);
  const prefix = ctx.baseUrl.pathname.replace(/\/$/, '');
  try {
    checkOutboundTarget(ctx.baseUrl, ctx.allow);
    const answer = await ctx.agent.request({
      origin: ctx.baseUrl.origin,
      path: prefix + request.path + (request.query ? `?${request.query}` : ''),
      method: request.method,
      headers: { accept: 'application/json', ...request.headers },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: controller.signal,
    });
    if (answer.statusCode >= 300 && answer.statusCode < 400) {
      discardBody(answer.body);
      throw redirectRefused(answer.statusCode, answer.headers.location, {
        base: ctx.baseUrl,
        path: request.path,
      });
    }
    return {
      status: answer.statusCode,
      text: (await readAnswer(answer, ctx.maxAnswerBytes)).toString('utf8'),
    };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw mapNetworkError(error, {
      url: urlOf(ctx),
      path: request.path,
      timedOut: controller.signal.aborted,
      limitBytes: ctx.maxAnswerBytes,
    });
  } finally {
    clearTimeout(timer);
  }
}

// A Content-Length over the limit fails at once; without one, reading stops at the limit.
const readAnswer = async (answer: Dispatcher.ResponseData, maxBytes: number): Promise<Buffer> => {
  if (Number(answer.headers['content-length'] ?? 0) > maxBytes) {
    discardBody(answer.body);
    throw tooLargeError(maxBytes);
  }
  return readCapped(answer.body, maxBytes);
};

const isRetryable = (outcome: HttpAnswer | AppError): boolean =>
  outcome instanceof AppError ? outcome.details.retryable === true : outcome.status >= 500;

const isSuspended = (outcome: HttpAnswer | AppError): boolean =>
  !(outcome instanceof AppError) && outcome.status === 503;

/**
 * Sends a request with retries; 4xx answers are returned as they are. A 503 (VMmanager
 * suspended) is retried under `ctx.suspension`; other 5xx answers and network errors under
 * `ctx.retries`, except that the same 5xx answer twice in a row is not retried again.
 */
export async function sendWithRetries(ctx: HttpContext, request: HttpRequest): Promise<HttpAnswer> {
  let failures = 0;
  let suspensions = 0;
  let previous: string | undefined;
  for (;;) {
    const started = ctx.timers.now();
    const outcome = await sendOnce(ctx, request).catch((error: AppError) => error);
    const status = outcome instanceof AppError ? outcome.code : outcome.status;
    const attempt = failures + suspensions + 1;
    ctx.logger?.debug(
      { method: request.method, path: request.path, status, attempt, ms: ctx.timers.now() - started },
      'vmmanager call',
    );
    let delay: number;
    if (isSuspended(outcome)) {
      suspensions += 1;
      delay = suspensionDelay(suspensions, ctx.suspension);
      if (suspensions >= ctx.suspension.attempts || ctx.suspendedWaitMs + delay > ctx.suspension.maxWaitMs)
        throw stillSuspended(ctx, request, outcome as HttpAnswer, attempt);
      ctx.suspendedWaitMs += delay;
    } else {
      ctx.suspendedWaitMs = 0;
      if (!isRetryable(outcome)) return finish(ctx, request, outcome);
      failures += 1;
      // A deterministic failure (the same answer again) will not go away by asking a third time.
      const same = outcome instanceof AppError ? undefined : `${outcome.status}\n${outcome.text}`;
      if (failures >= ctx.retries.attempts || (same !== undefined && same === previous))
        return finish(ctx, request, outcome);
      previous = same;
      delay = computeRetryDelay(failures, ctx.retries.baseDelayMs);
    }
    ctx.logger?.warn(
      { path: request.path, status, attempt, delayMs: delay },
      'vmmanager call failed, retrying',
    );
    await ctx.timers.sleep(delay);
  }
}

// The 503 that outlasted the suspension budget: what happened and what to do, in one line.
function stillSuspended(
  ctx: HttpContext,
  request: HttpRequest,
  answer: HttpAnswer,
  attempts: number,
): AppError {
  const base = mapStatusError(503, readVmError(answer.text), { url: urlOf(ctx), path: request.path });
  const seconds = Math.round(ctx.suspendedWaitMs / 1000);
  return new AppError(
    'upstream_unavailable',
    `VMmanager at ${urlOf(ctx)} stayed suspended (503) for ${seconds} s over ${attempts} attempts at ` +
      `${request.path}; an idle installation wakes up when used, so try again in a minute`,
    { ...base.details, reason: 'suspended', attempts, waitedMs: ctx.suspendedWaitMs, retryable: false },
  );
}

const finish = (ctx: HttpContext, request: HttpRequest, outcome: HttpAnswer | AppError): HttpAnswer => {
  if (outcome instanceof AppError) throw outcome;
  if (outcome.status >= 500) {
    throw mapStatusError(outcome.status, readVmError(outcome.text), { url: urlOf(ctx), path: request.path });
  }
  return outcome;
};

/** Parses a body as JSON; anything else is `upstream_invalid`. */
export function decodeJson(answer: HttpAnswer, path: string): unknown {
  try {
    return JSON.parse(answer.text) as unknown;
  } catch {
    // The body itself is never quoted: it may be any service's (see the connection test).
    throw new AppError('upstream_invalid', `VMmanager answered ${path} with something that is not JSON`, {
      status: answer.status,
      path,
    });
  }
}

/** The most of VMmanager's own error message we keep: enough for any real one. */
const maxVmMsgChars = 300;

/** Reads `{"error":{"code","msg"}}` from a body if it has one; the message is cleaned and cut. */
export function readVmError(text: string): { vmCode?: number | string; vmMsg?: string } {
  try {
    const error = (JSON.parse(text) as { error?: { code?: unknown; msg?: unknown } })?.error;
    if (!error || typeof error !== 'object') return {};
    const code = error.code;
    const vmCode =
      typeof code === 'number' ? code : typeof code === 'string' ? cleanUpstreamText(code, 40) : undefined;
    const vmMsg = typeof error.msg === 'string' ? cleanUpstreamText(error.msg, maxVmMsgChars) : undefined;
    return { vmCode, vmMsg };
  } catch {
    return {};
  }
}

export { urlOf };
