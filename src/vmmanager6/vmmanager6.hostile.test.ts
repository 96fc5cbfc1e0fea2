import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startVmmanagerSimulator, type VmmanagerSimulator } from './simulator/simulator.js';
import {
  createVmmanagerClient,
  type VmmanagerClient,
  type VmmanagerClientOptions,
} from './vmmanager6.client.js';
import { testVmmanagerConnection } from './vmmanager6.service.js';
import { fastSuspension } from './vmmanager6.test-kit.js';

// A hostile or broken VMmanager, and services that are not VMmanager at all.
let sim: VmmanagerSimulator;
let client: VmmanagerClient;
const os = '/vm/v3/os';
const MiB = 1024 * 1024;

const connect = (patch: Partial<VmmanagerClientOptions> = {}) =>
  createVmmanagerClient({
    url: sim.url,
    email: sim.email,
    password: sim.password,
    connectTimeoutMs: 2000,
    requestTimeoutMs: 20_000,
    retries: { attempts: 3, baseDelayMs: 5 },
    suspension: fastSuspension,
    ...patch,
  });

const failureOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => 'no failure',
    (e: unknown) => e,
  );
const calls = (path: string) => sim.requests.filter((r) => r.path === path);

/** A plain HTTP service that records what reaches it and answers with `answer`. */
async function startService(answer: (req: IncomingMessage, res: ServerResponse) => void) {
  const seen: { method: string; url: string; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => void (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body });
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

beforeEach(async () => {
  sim = await startVmmanagerSimulator();
  client = connect();
});
afterEach(async () => {
  await client.close();
  await sim.close();
});

describe('an over-size answer', () => {
  it('stops reading at the cap, is not retried, says so, and keeps memory bounded', async () => {
    await client.close();
    client = connect({ maxAnswerBytes: 2 * MiB });
    await client.whoami(); // logged in before the measurement
    sim.injectFault({ kind: 'oversize', path: os, bytes: 400 * MiB, times: 'always' });
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const error = await failureOf(client.listOsTemplates());
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    expect(error).toMatchObject({
      code: 'upstream_invalid',
      details: { reason: 'too_large', limitBytes: 2 * MiB, retryable: false },
    });
    expect((error as Error).message).toMatch(/\/vm\/v3\/os with more than 2 MiB/);
    expect(calls(os)).toHaveLength(1);
    // Reading stopped near the cap: what left the simulator is the cap plus socket buffers.
    await expect.poll(() => calls(os)[0]?.bytesSent ?? 0).toBeGreaterThan(2 * MiB);
    expect(calls(os)[0]!.bytesSent!).toBeLessThan(64 * MiB);
    // A loose bound: a 400 MB body read whole takes gigabytes. (No bound on the event loop's
    // delay: on a loaded machine that measures the machine; the bytes sent show reading stopped.)
    expect(rssGrowth).toBeLessThan(200 * MiB);
  }, 60_000);

  it('has a default cap sized for tens of thousands of templates (32 MiB)', async () => {
    sim.injectFault({ kind: 'oversize', path: os, bytes: 40 * MiB });
    const error = await failureOf(client.listOsTemplates());
    expect(error).toMatchObject({ details: { reason: 'too_large', limitBytes: 32 * MiB } });
    expect(calls(os)).toHaveLength(1);
  }, 60_000);
});

describe('redirects', () => {
  it('are never followed at login, so the password never reaches the Location', async () => {
    const internal = await startService((_req, res) => res.writeHead(200).end('{}'));
    try {
      sim.injectFault({
        kind: 'redirect',
        status: 307,
        path: '/auth/v4/public/token',
        location: `${internal.url}/steal`,
        times: 'always',
      });
      const error = await failureOf(client.whoami());
      expect(error).toMatchObject({ code: 'upstream_invalid', details: { status: 307, reason: 'redirect' } });
      expect((error as Error).message).toMatch(/redirect.*not followed/);
      expect(internal.seen).toEqual([]);
      expect(calls('/auth/v4/public/token')).toHaveLength(1);
    } finally {
      await internal.close();
    }
  });

  it('on a list are refused without a retry and without echoing the body', async () => {
    await client.whoami();
    sim.injectFault({
      kind: 'redirect',
      status: 302,
      path: os,
      location: 'http://10.0.0.1/',
      times: 'always',
    });
    const error = await failureOf(client.listOsTemplates());
    expect(error).toMatchObject({ details: { status: 302, reason: 'redirect' } });
    expect(calls(os)).toHaveLength(1);
  });
});

describe('a service that is not VMmanager', () => {
  const secretText = 'internal-only: db password hunter2 at 10.1.2.3';
  for (const [what, status, type, body] of [
    ['plain text 500', 500, 'text/plain', secretText],
    ['JSON error with a message', 500, 'application/json', JSON.stringify({ error: { msg: secretText } })],
    [
      'JSON error with a code',
      404,
      'application/json',
      JSON.stringify({ error: { code: 7, msg: secretText } }),
    ],
    ['non-JSON 200', 200, 'text/html', `<h1>${secretText}</h1>`],
    [
      'a 401 with a message',
      401,
      'application/json',
      JSON.stringify({ error: { code: 1, msg: secretText } }),
    ],
  ] as const) {
    it(`gets no echo of its body in the connection test (${what})`, async () => {
      const service = await startService((_req, res) =>
        res.writeHead(status, { 'content-type': type }).end(body),
      );
      const probe = createVmmanagerClient({
        url: service.url,
        email: 'a@b.c',
        password: 'x',
        retries: { attempts: 1, baseDelayMs: 1 },
        suspension: fastSuspension,
      });
      try {
        const result = await testVmmanagerConnection(probe, { email: 'a@b.c' });
        expect(result.ok).toBe(false);
        expect(JSON.stringify(result)).not.toMatch(/hunter2|internal-only/);
      } finally {
        await probe.close();
        await service.close();
      }
    });
  }
});

describe("VMmanager's own error text", () => {
  it('is cut to a few hundred characters, with control characters removed', async () => {
    await client.whoami();
    const msg = '\u001b]0;owned\u0007' + 'x'.repeat(5 * MiB);
    sim.injectFault({ kind: 'http_error', status: 400, code: 2002, msg, path: os });
    const error = await failureOf(client.listOsTemplates());
    expect(error).toMatchObject({ code: 'upstream_invalid' });
    const text = JSON.stringify(error) + (error as Error).message;
    expect(text.length).toBeLessThan(2000);
    expect(text).not.toContain('\u001b');
    expect((error as Error).message).toMatch(/x{50}… \[cut, \d+ characters\]$/);
  });
});
