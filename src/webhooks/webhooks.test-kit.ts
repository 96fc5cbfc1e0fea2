import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// Support for the webhook tests and their child processes (no vitest imports here).

/** One POST the receiver got: headers and the raw body as sent. */
export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  /** True once the receiver answered it (false while it holds the request). */
  answered: boolean;
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** What it answers from now on: a status, or `hang` (holds every request until `release`). */
  answer: number | 'hang';
  /** Resolves when at least `n` requests have arrived. */
  waitFor(n: number): Promise<void>;
  /** Answers the held requests with 200. */
  release(): void;
  close(): Promise<void>;
}

/** A real local HTTP server standing in for a storefront's webhook endpoint. */
export async function startReceiver(answer: number | 'hang' = 200): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const held: { response: ServerResponse; request: ReceivedRequest }[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const receiver: Receiver = {
    url: '',
    requests,
    answer,
    waitFor: (n) =>
      requests.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve })),
    release() {
      for (const { response, request } of held.splice(0)) {
        request.answered = true;
        response.end('ok');
      }
    },
    close: async () => {
      receiver.release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ReceivedRequest = {
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        answered: false,
      };
      requests.push(request);
      for (const waiter of waiters.filter((w) => requests.length >= w.n)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      if (receiver.answer === 'hang') {
        held.push({ response: res, request });
        return;
      }
      request.answered = true;
      res.statusCode = receiver.answer;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/os`;
  return receiver;
}

/** The parsed event of a received request. */
export const eventOf = (request: ReceivedRequest) =>
  JSON.parse(request.body) as { id: string; type: string; createdAt: string; data: Record<string, unknown> };
