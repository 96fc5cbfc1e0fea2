import { AppError } from '../shared/errors.js';
import { answerTooLargeCode, formatBytes, outboundDeniedCode } from '../shared/outbound.js';

/** What went wrong at the network level, kept in `details.reason` for the test-connection service. */
export type NetworkReason =
  'tls' | 'refused' | 'unreachable' | 'timeout' | 'connect_timeout' | 'reset' | 'not_allowed';

const tlsCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

const unreachableCodes = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

const codeOf = (error: unknown): string => {
  const own = (error as { code?: unknown })?.code;
  const inner = (error as { cause?: { code?: unknown } })?.cause?.code;
  const code = own ?? inner;
  return typeof code === 'string' || typeof code === 'number' ? String(code) : '';
};

const isTlsCode = (code: string): boolean =>
  tlsCodes.has(code) || code.startsWith('ERR_SSL') || code.includes('CERT');

/** Turns a low-level HTTP failure into an AppError whose message an admin can act on; never keeps the cause. */
export function mapNetworkError(
  error: unknown,
  where: { url: string; path: string; timedOut: boolean; limitBytes: number },
): AppError {
  const code = codeOf(error);
  const base = { path: where.path, causeCode: code || undefined };
  if (code === answerTooLargeCode) return tooLarge(where);
  if (code === outboundDeniedCode) {
    return new AppError(
      'upstream_unavailable',
      `VMmanager at ${where.url} is not on the outbound allow-list (OSCAT_OUTBOUND_ALLOW)`,
      { ...base, reason: 'not_allowed' satisfies NetworkReason, retryable: false },
    );
  }
  if (where.timedOut || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new AppError(
      'upstream_timeout',
      `VMmanager at ${where.url} did not answer ${where.path} in time`,
      {
        ...base,
        reason: 'timeout' satisfies NetworkReason,
        retryable: false,
      },
    );
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new AppError('upstream_timeout', `could not connect to VMmanager at ${where.url} in time`, {
      ...base,
      reason: 'connect_timeout' satisfies NetworkReason,
      retryable: true,
    });
  }
  if (isTlsCode(code)) return tlsError(code, where.url, base);
  const reason: NetworkReason =
    code === 'ECONNREFUSED' ? 'refused' : unreachableCodes.has(code) ? 'unreachable' : 'reset';
  const words = {
    refused: 'refused the connection',
    unreachable: 'cannot be reached (check the host name and network)',
    reset: 'closed the connection without answering',
  }[reason];
  return new AppError('upstream_unavailable', `VMmanager at ${where.url} ${words}`, {
    ...base,
    reason,
    retryable: true,
  });
}

// Over the module's answer limit: its own reason, never retried (the next answer is as large).
const tooLarge = (where: { url: string; path: string; limitBytes: number }): AppError =>
  new AppError(
    'upstream_invalid',
    `VMmanager at ${where.url} answered ${where.path} with more than ${formatBytes(where.limitBytes)} (the module's answer limit); raise the limit in the module's settings if the installation really lists that much`,
    { path: where.path, reason: 'too_large', limitBytes: where.limitBytes, retryable: false },
  );

/**
 * A 3xx answer: redirects are never followed (the request, with the password at login, would go
 * wherever the answer says). The admin is told where it pointed when that is the same host.
 */
export function redirectRefused(
  status: number,
  location: string | string[] | undefined,
  where: { base: URL; path: string },
): AppError {
  let target: URL | undefined;
  try {
    target = typeof location === 'string' ? new URL(location, where.base) : undefined;
  } catch {
    target = undefined;
  }
  const sameHost = target?.hostname === where.base.hostname;
  const toHttps = sameHost && where.base.protocol === 'http:' && target!.protocol === 'https:';
  const prefix = where.base.pathname.replace(/\/$/, '');
  const hint = toHttps
    ? `; it points to https: use ${target!.origin}${prefix} as the module URL`
    : sameHost
      ? `; it points to ${target!.origin}: check the module URL's scheme, port and path`
      : '';
  return new AppError(
    'upstream_invalid',
    `VMmanager at ${where.base.origin} answered ${where.path} with a redirect (${status}), which is not followed${hint}`,
    {
      status,
      path: where.path,
      reason: 'redirect',
      retryable: false,
      ...(sameHost ? { location: target!.origin } : {}),
    },
  );
}

/**
 * An error's message without VMmanager's own text (`vmMsg`): for the connection test, whose URL
 * may be any service's, so that its answers are never echoed, only the kind of failure.
 */
export function messageWithoutUpstreamText(error: AppError): string {
  const said = error.details.vmMsg;
  const suffix = `: ${String(said)}`;
  return typeof said === 'string' && error.message.endsWith(suffix)
    ? error.message.slice(0, -suffix.length)
    : error.message;
}

const tlsError = (code: string, url: string, base: Record<string, unknown>): AppError => {
  const selfSigned = code.includes('SELF_SIGNED') || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE';
  const hint = selfSigned
    ? 'its certificate is self-signed; install a trusted certificate or turn off TLS verification for this module'
    : `its TLS certificate was rejected (${code})`;
  return new AppError('upstream_unavailable', `VMmanager at ${url} failed the TLS check: ${hint}`, {
    ...base,
    reason: 'tls' satisfies NetworkReason,
    retryable: false,
  });
};

/** The VMmanager error body fields we carry in AppError details. */
export interface VmErrorInfo {
  vmCode?: number | string;
  vmMsg?: string;
}

/** Turns a non-success HTTP answer into an AppError (5xx and 4xx other than the re-login cases). */
export function mapStatusError(
  status: number,
  info: VmErrorInfo,
  where: { url: string; path: string },
): AppError {
  const details = { status, ...info, path: where.path };
  const said = info.vmMsg ? `: ${info.vmMsg}` : '';
  if (status === 503) {
    return new AppError(
      'upstream_unavailable',
      `VMmanager at ${where.url} is suspended or busy (503)${said}`,
      details,
    );
  }
  if (status >= 500) {
    return new AppError(
      'upstream_unavailable',
      `VMmanager at ${where.url} failed on ${where.path} (${status})${said}`,
      details,
    );
  }
  if (status === 401 || status === 403) {
    return new AppError(
      'upstream_auth',
      `VMmanager refused ${where.path} for this account (${status})${said}`,
      details,
    );
  }
  return new AppError('upstream_invalid', `VMmanager answered ${where.path} with ${status}${said}`, details);
}
