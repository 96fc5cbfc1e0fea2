import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Server } from './http.server.js';
import { invalidInput } from '../shared/errors.js';

/** How deep a JSON body may nest; ours are a few levels, and each check below walks it. */
export const maxJsonDepth = 64;

/** The UI loads only its own files; the API answers are data, never a page. */
const appCsp =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/** Swagger UI (`/docs`) sets style attributes from its script. */
const docsCsp =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** The headers every answer carries (UI, API, docs, errors). */
export function securityHeadersFor(url: string): Record<string, string> {
  return {
    'content-security-policy': url === '/docs' || url.startsWith('/docs/') ? docsCsp : appCsp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
}

/** How deep `text` (JSON) nests, counted without parsing it: brackets outside strings. */
export function jsonDepthOf(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) deepest = Math.max(deepest, (depth += 1));
    else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return deepest;
}

/**
 * Installs the security headers on every answer, a JSON body parser that refuses deep nesting
 * (400 `invalid_input` instead of a stack overflow deeper in), and a clean redirect for
 * `/docs/static/index.html?…` (Swagger UI's own redirect kept the query and pointed at itself).
 */
export function installHttpSecurity(server: Server): void {
  server.addHook('onRequest', async (request, reply) => {
    void reply.headers(securityHeadersFor(request.url.split('?')[0] ?? ''));
    if (request.url.startsWith('/docs/static/index.html?')) return reply.redirect('/docs/');
  });
  const parseJson = server.getDefaultJsonParser('error', 'error');
  server.removeContentTypeParser('application/json');
  server.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (jsonDepthOf(text) > maxJsonDepth) {
      done(invalidInput(`the body nests deeper than ${maxJsonDepth} levels`, { in: 'body', field: null }));
      return;
    }
    void parseJson(request, text, done);
  });
}

const clientErrors: Record<string, { status: number; code: string; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'headers_too_large',
    message: 'the request headers are too large',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'request_timeout', message: 'the request took too long' },
};

/**
 * Answers what Node's HTTP parser refuses before any route runs (header overflow, a malformed
 * request, a timeout) in our error shape, with the security headers, then closes the connection.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known = clientErrors[error.code ?? ''] ?? {
    status: 400,
    code: 'invalid_input',
    message: 'the request is malformed',
  };
  const body = JSON.stringify({ error: { code: known.code, message: known.message, details: {} } });
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
    ...securityHeadersFor(''),
  };
  if (socket.writable) {
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.write(`HTTP/1.1 ${known.status} ${STATUS_CODES[known.status]}\r\n${lines.join('')}\r\n${body}`);
  }
  socket.destroy();
}
