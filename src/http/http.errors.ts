import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Server } from './http.server.js';
import { AppError, isAppError, type ErrorCode } from '../shared/errors.js';

/** The one place where an error code becomes an HTTP status. */
export function statusOfCode(code: ErrorCode): number {
  switch (code) {
    case 'invalid_input':
      return 400;
    case 'unauthorized':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'locked':
      return 423;
    case 'rate_limited':
      return 429;
    case 'upstream_unavailable':
    case 'upstream_auth':
    case 'upstream_invalid':
      return 502;
    case 'upstream_timeout':
      return 504;
    case 'internal':
      return 500;
  }
}

/** HTTP-only failures that Fastify raises before any of our code runs. */
const httpCodes: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_input' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_input' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_input' },
  FST_ERR_CTP_EMPTY_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_INVALID_TYPE: { status: 415, code: 'unsupported_media_type' },
};

interface ValidationIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Names the offending field of a schema violation, e.g. `tags.2` or `displayName`. */
function fieldOf(issue: ValidationIssue): string | undefined {
  const path = (issue.instancePath ?? '').split('/').filter(Boolean);
  const params = issue.params ?? {};
  const extra = params.requiredProperties ?? params.additionalProperties ?? params.missingProperty;
  const named = Array.isArray(extra) ? (extra[0] as unknown) : extra;
  if (typeof named === 'string') path.push(named);
  return path.length ? path.join('.') : undefined;
}

const send = (reply: FastifyReply, status: number, code: string, message: string, details: object) =>
  reply.status(status).type('application/json; charset=utf-8').send({ error: { code, message, details } });

function handleError(error: FastifyError | AppError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (isAppError(error)) {
    const status = statusOfCode(error.code);
    if (error.code === 'rate_limited' && typeof error.details.retryAfterSeconds === 'number') {
      void reply.header('retry-after', String(error.details.retryAfterSeconds));
    }
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return send(reply, status, error.code, error.message, error.details);
  }
  const fastifyError = error as FastifyError & { validation?: ValidationIssue[]; validationContext?: string };
  if (fastifyError.validation) {
    // An unknown key shows up as a `false` schema; report a real violation first when there is one.
    const issues = fastifyError.validation;
    const first: ValidationIssue = issues.find((i) => i.message !== 'schema is false') ?? issues[0] ?? {};
    const where = fastifyError.validationContext ?? 'request';
    const field = fieldOf(first);
    const text =
      first.message === 'schema is false' ? 'is not an allowed key' : (first.message ?? 'is invalid');
    const message = `${where}${field ? `.${field}` : ''} ${text}`;
    return send(reply, 400, 'invalid_input', message, { in: where, field: field ?? null });
  }
  const known = fastifyError.code ? httpCodes[fastifyError.code] : undefined;
  if (known) return send(reply, known.status, known.code, fastifyError.message, {});
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    // Another framework-level client error (e.g. a bad header): a 4xx with a code, no internals.
    return send(reply, status, 'invalid_input', 'the request is malformed', {});
  }
  request.log.error({ err: error }, 'unexpected error');
  return send(reply, 500, 'internal', `internal error (request ${request.id})`, { requestId: request.id });
}

/** Installs the error and not-found handlers: every failure answers `{error: {code, message, details}}`. */
export function installErrorHandling(server: Server): void {
  server.setErrorHandler(handleError);
  server.setNotFoundHandler((request, reply) =>
    send(
      reply,
      404,
      'not_found',
      `no route ${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 200)}`,
      {},
    ),
  );
}

export { AppError };
