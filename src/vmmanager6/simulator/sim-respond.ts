import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorAnswer, type SimAnswer } from './sim-api.js';
import type { SimFault } from './sim-faults.js';

/** What the simulator notes about one answer while it is written (oversize: bytes sent). */
export interface SimAnswerStats {
  bytesSent?: number;
}

/** Writes an answer as JSON (or as text when the body is a string). */
export function writeAnswer(res: ServerResponse, answer: SimAnswer): void {
  const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  const type = typeof answer.body === 'string' ? 'text/html; charset=utf-8' : 'application/json';
  res.writeHead(answer.status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Sends an answer a few bytes at a time so the whole body takes long to arrive. */
function dripAnswer(res: ServerResponse, answer: SimAnswer, fault: SimFault): void {
  const bytes = Buffer.from(JSON.stringify(answer.body));
  const chunk = fault.chunkBytes ?? 16;
  res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': bytes.length });
  let at = 0;
  const timer = setInterval(() => {
    if (res.destroyed || at >= bytes.length) {
      clearInterval(timer);
      if (!res.destroyed) res.end();
      return;
    }
    res.write(bytes.subarray(at, at + chunk));
    at += chunk;
  }, fault.intervalMs ?? 100);
  res.on('close', () => clearInterval(timer));
}

const oversizeItem = JSON.stringify({
  id: 1,
  name: 'Oversize Linux',
  repository: 'ISPsystem',
  state: 'active',
  adminonly: false,
  clusters: [{ id: 1, name: 'cluster-1' }],
});

/**
 * Streams an OS list that goes on for `bytes` bytes (a hostile or broken VMmanager), honouring
 * backpressure and stopping when the client goes away; `stats.bytesSent` counts what left.
 */
function streamOversize(res: ServerResponse, fault: SimFault, stats: SimAnswerStats): void {
  const total = fault.bytes ?? 512 * 1024 * 1024;
  const chunk = Buffer.from((oversizeItem + ',').repeat(Math.ceil(65_536 / (oversizeItem.length + 1))));
  res.writeHead(200, { 'content-type': 'application/json' });
  stats.bytesSent = 0;
  const pump = (): void => {
    while (!res.destroyed && stats.bytesSent! < total) {
      const piece = stats.bytesSent === 0 ? Buffer.from('{"last_notify":0,"list":[') : chunk;
      stats.bytesSent! += piece.length;
      if (!res.write(piece)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end(oversizeItem + ']}');
  };
  pump();
}

/** Faults that replace the answer outright; returns true when the request was dealt with. */
export function applyFaultBefore(
  fault: SimFault,
  req: IncomingMessage,
  res: ServerResponse,
  stats: SimAnswerStats = {},
): boolean {
  switch (fault.kind) {
    case 'oversize':
      streamOversize(res, fault, stats);
      return true;
    case 'redirect':
      res.writeHead(fault.status ?? 307, {
        location: fault.location ?? 'http://127.0.0.1:1/',
        'content-length': 0,
      });
      res.end();
      return true;
    case 'refuse':
      req.socket.destroy();
      return true;
    case 'timeout':
      // Never answer; the socket is destroyed when the client gives up or the simulator closes.
      return true;
    case 'http_error': {
      const status = fault.status ?? 500;
      writeAnswer(
        res,
        errorAnswer(
          status,
          fault.code ?? status,
          fault.msg ?? (status === 503 ? 'Service suspended' : 'Internal error'),
        ),
      );
      return true;
    }
    case 'unauthorized':
      writeAnswer(res, errorAnswer(401, 1000, 'Unauthorized: the token is invalid or expired'));
      return true;
    case 'non_json':
      writeAnswer(res, { status: 200, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' });
      return true;
    default:
      return false;
  }
}

/** Faults that damage a real answer (lists mostly), then the answer is written. */
export function writeWithFault(res: ServerResponse, answer: SimAnswer, fault: SimFault | undefined): void {
  if (!fault || answer.status >= 400) return writeAnswer(res, answer);
  if (fault.kind === 'slow_drip') return dripAnswer(res, answer, fault);
  writeAnswer(res, { status: answer.status, body: damageBody(answer.body, fault) });
}

const damageBody = (body: unknown, fault: SimFault): unknown => {
  const record = structuredClone(body) as Record<string, unknown>;
  const list = Array.isArray(record.list) ? (record.list as Record<string, unknown>[]) : undefined;
  switch (fault.kind) {
    case 'empty_list':
      return list ? { ...record, list: [], size: 0 } : record;
    case 'truncated_list':
      return list
        ? { ...record, list: list.slice(0, Math.floor(list.length / 2)), size: list.length }
        : record;
    case 'wrong_schema':
      return damageSchema(record, list, fault.variant ?? 'list_missing');
    default:
      return record;
  }
};

const damageSchema = (
  record: Record<string, unknown>,
  list: Record<string, unknown>[] | undefined,
  variant: 'list_missing' | 'name_number',
): unknown => {
  if (!list) return { unexpected: true };
  if (variant === 'list_missing') {
    const { list: _dropped, ...rest } = record;
    return rest;
  }
  if (list[0]) list[0].name = 12345;
  return record;
};
