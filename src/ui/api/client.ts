import type { Session } from '../types';

/** An error answered by the API: `{"error":{"code","message","details"}}` (docs/api.md). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
  }

  /** The form field the API blamed, when it named one. */
  get field(): string | undefined {
    const field = this.details['field'];
    return typeof field === 'string' ? field : undefined;
  }
}

let csrfToken: string | null = null;
let onUnauthorized: () => void = () => undefined;

/** Remembers the session's CSRF token (kept in memory only) for writes. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any request answers 401 after login: the UI goes back to the login form. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One JSON request to the API with the session cookie and, on writes, the CSRF header. */
export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'The server did not answer. Is os-catalog running?', {});
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const json = parseJson(text);
  if (response.ok) return json as T;
  const error = toApiError(response.status, json);
  if (response.status === 401 && !path.startsWith('/api/v1/auth/')) onUnauthorized();
  throw error;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function toApiError(status: number, json: unknown): ApiError {
  const error = (json as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)
    ?.error;
  const code = typeof error?.code === 'string' ? error.code : 'internal';
  const message = typeof error?.message === 'string' ? error.message : `The server answered ${status}.`;
  const details =
    error?.details && typeof error.details === 'object' ? (error.details as Record<string, unknown>) : {};
  return new ApiError(status, code, message, details);
}

/** Why a VMmanager 6 connection test failed, in words (`details.reason` / `ConnectionTest.reason`). */
export const CONNECTION_FAILURE_TEXT: Record<string, string> = {
  wrong_password: 'VMmanager 6 refused the email or password.',
  token_refused:
    "VMmanager 6 refused the module's API token (expired or deleted); create a new one in VMmanager and save it here.",
  unconfirmed:
    'VMmanager 6 took the password but did not confirm the session (a second factor?); use an account that signs in with the password alone, or an API token.',
  not_vmmanager:
    'This does not look like a VMmanager 6 address (its login path is not there); use the address VMmanager opens at in a browser.',
  redirect:
    'The address answered with a redirect, which is not followed; use the address it points to (https?).',
  not_admin: 'This account is not an administrator in VMmanager 6.',
  timeout: 'VMmanager 6 did not answer in time.',
  unreachable: 'VMmanager 6 could not be reached at this address.',
  suspended:
    'VMmanager 6 is suspended (it answered 503 until we gave up); open it in a browser to wake it, then try again.',
  tls: "The server's TLS certificate was rejected (self-signed? switch off certificate checking).",
  invalid_answer: 'The server answered, but not like VMmanager 6.',
  cluster_missing: 'The chosen cluster does not exist there.',
};

/** A sentence an admin can act on, for any error a request threw. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  const message = error.message.replace(/^(body|query|params)[./]/, '');
  const reason = error.details['reason'];
  if (typeof reason === 'string' && CONNECTION_FAILURE_TEXT[reason]) {
    return `${CONNECTION_FAILURE_TEXT[reason]} (${message})`;
  }
  switch (error.code) {
    case 'unauthorized':
      return message || 'Please log in again.';
    case 'forbidden':
      return error.details['reason'] === 'csrf'
        ? 'Your session token is out of date. Reload the page and try again.'
        : `Not allowed: ${message}`;
    case 'not_found':
      return `Not found: ${message}`;
    case 'conflict':
      return message;
    case 'locked':
      return 'This module is being synchronized right now. Try again in a moment.';
    case 'rate_limited':
      return `Too many attempts. ${message}`;
    case 'upstream_auth':
      return `VMmanager 6 refused the login: ${message}`;
    case 'upstream_unavailable':
      return `VMmanager 6 could not be reached: ${message}`;
    case 'upstream_timeout':
      return `VMmanager 6 did not answer in time: ${message}`;
    case 'upstream_invalid':
      return `VMmanager 6 sent an answer we cannot use: ${message}`;
    case 'internal':
      return 'Something went wrong on the server. The server log has the details.';
    default:
      return message;
  }
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  delete: (path: string) => request<undefined>('DELETE', path),
};

/** The admin API prefix. */
export const ADMIN = '/api/v1/admin';

export async function fetchSession(): Promise<Session | null> {
  try {
    return await request<Session>('GET', '/api/v1/auth/session');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/** Builds a query string from the defined values only. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
