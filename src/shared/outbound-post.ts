import type { Agent } from 'undici';
import {
  answerTooLargeCode,
  checkOutboundTarget,
  checkOutboundUrl,
  createOutboundAgent,
  discardBody,
  originOf,
  outboundDeniedCode,
  readCapped,
  type OutboundAllowList,
} from './outbound.js';
import { isAppError } from './errors.js';

/** Why an outgoing POST did not deliver; `origin` and `message` show the URL's origin only. */
export type PostFailureReason =
  'invalid_url' | 'not_allowed' | 'redirect' | 'status' | 'timeout' | 'too_large' | 'network';

export type PostOutcome =
  | { ok: true; status: number }
  | { ok: false; reason: PostFailureReason; status?: number; origin: string; message: string };

export interface OutboundPosterOptions {
  allow?: OutboundAllowList | undefined;
  /** Whole call: connect, send, answer (default 5 s). */
  timeoutMs?: number;
  /** How much of the answer is read before the connection is cut (default 64 KiB; it is discarded). */
  maxAnswerBytes?: number;
}

/** POSTs small JSON documents to admin-configured URLs (alert webhooks; storefront webhooks). */
export interface OutboundPoster {
  /** Never throws: the outcome says whether it was delivered and, if not, why. */
  post(url: string, body: string, headers?: Record<string, string>): Promise<PostOutcome>;
  close(): Promise<void>;
}

/**
 * The one way os-catalog POSTs to a URL an admin gave: the allow-list, a total timeout, a byte
 * limit on the answer, redirects answered but never followed (a 307 would re-post the document
 * wherever it points), and failure messages that show the origin only (paths and queries often
 * carry secrets).
 */
export function createOutboundPoster(options: OutboundPosterOptions = {}): OutboundPoster {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const maxAnswerBytes = options.maxAnswerBytes ?? 64 * 1024;
  let agent: Agent | undefined;
  const agentFor = () =>
    (agent ??= createOutboundAgent({ allow: options.allow, connectTimeoutMs: timeoutMs }));

  const send = async (url: URL, body: string, headers: Record<string, string>): Promise<PostOutcome> => {
    const origin = url.origin;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      checkOutboundTarget(url, options.allow);
      const answer = await agentFor().request({
        origin,
        path: url.pathname + url.search,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        signal,
      });
      const status = answer.statusCode;
      if (status >= 300 && status < 400) {
        discardBody(answer.body);
        return failed(origin, 'redirect', `answered ${status} (a redirect, not followed)`, status);
      }
      await readCapped(answer.body, maxAnswerBytes).catch((error: unknown) => {
        if ((error as { code?: unknown }).code !== answerTooLargeCode) throw error;
      });
      if (status >= 400) return failed(origin, 'status', `answered ${status}`, status);
      return { ok: true, status };
    } catch (error) {
      if (signal.aborted) return failed(origin, 'timeout', `did not answer within ${timeoutMs} ms`);
      const code = (error as { code?: unknown }).code;
      if (code === outboundDeniedCode)
        return failed(origin, 'not_allowed', 'is not on the outbound allow-list (OSCAT_OUTBOUND_ALLOW)');
      // Only the error code: a message may quote the URL with its path and query.
      return failed(origin, 'network', `could not be reached (${typeof code === 'string' ? code : 'error'})`);
    }
  };

  return {
    async post(url, body, headers = {}) {
      let parsed: URL;
      try {
        parsed = checkOutboundUrl(url, 'url');
      } catch (error) {
        const why = isAppError(error) ? error.message.split(';')[0]! : 'url is not a URL';
        return failed(originOf(url), 'invalid_url', why);
      }
      return send(parsed, body, headers);
    },
    async close() {
      await agent?.close();
      agent = undefined;
    },
  };
}

// The message starts with the origin, the most of the URL it may show.
const failed = (origin: string, reason: PostFailureReason, what: string, status?: number): PostOutcome => ({
  ok: false,
  reason,
  origin,
  message: `${origin} ${what}`,
  ...(status !== undefined ? { status } : {}),
});
