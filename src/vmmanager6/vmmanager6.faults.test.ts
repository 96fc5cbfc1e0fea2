import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startVmmanagerSimulator, type VmmanagerSimulator } from './simulator/simulator.js';
import { fastSuspension } from './vmmanager6.test-kit.js';
import {
  createVmmanagerClient,
  type VmmanagerClient,
  type VmmanagerClientOptions,
} from './vmmanager6.client.js';

let sim: VmmanagerSimulator;
let client: VmmanagerClient;

// The client's own timeouts, except in the two tests about them: a short one would fail any test
// whose answer a loaded machine delays.
const connect = (patch: Partial<VmmanagerClientOptions> = {}): VmmanagerClient =>
  createVmmanagerClient({
    url: sim.url,
    email: sim.email,
    password: sim.password,
    retries: { attempts: 3, baseDelayMs: 5 },
    suspension: fastSuspension,
    ...patch,
  });

const calls = (path: string): number => sim.requests.filter((r) => r.path === path).length;
const failureOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => 'no failure',
    (e: unknown) => e,
  );
const os = '/vm/v3/os';

beforeEach(async () => {
  sim = await startVmmanagerSimulator();
  client = connect();
});

afterEach(async () => {
  await client.close();
  await sim.close();
});

describe('the client under injected faults', () => {
  it('retries a 500 and succeeds when the next answer is good', async () => {
    sim.injectFault({ kind: 'http_error', status: 500, path: os });
    await expect(client.listOsTemplates()).resolves.not.toHaveLength(0);
    expect(calls(os)).toBe(2);
  });

  it('gives up after the configured attempts on a lasting 503, with the VMmanager code and message', async () => {
    sim.injectFault({ kind: 'http_error', status: 503, path: os, times: 'always' });
    const error = await failureOf(client.listOsTemplates());
    expect(error).toMatchObject({
      code: 'upstream_unavailable',
      details: { status: 503, vmCode: 503, vmMsg: 'Service suspended' },
    });
    expect(calls(os)).toBe(3);
  });

  it('retries a 503 at login and then logs in', async () => {
    sim.injectFault({ kind: 'http_error', status: 503, path: '/auth/v4/public/token', times: 2 });
    await expect(client.whoami()).resolves.toMatchObject({ email: sim.email });
    expect(calls('/auth/v4/public/token')).toBe(3);
  });

  it('never retries a 4xx answer', async () => {
    sim.injectFault({ kind: 'http_error', status: 400, code: 2002, path: os, times: 'always' });
    const error = await failureOf(client.listOsTemplates());
    expect(error).toMatchObject({ code: 'upstream_invalid', details: { status: 400, vmCode: 2002 } });
    expect(calls(os)).toBe(1);
  });

  it('turns an answer that never comes into upstream_timeout, without retrying', async () => {
    await client.close();
    // The answer never comes: only this 300 ms ends the wait (undici's own limit is 300 s, far
    // beyond the test's budget), so the time it took need not be measured.
    client = connect({ requestTimeoutMs: 300 });
    sim.injectFault({ kind: 'timeout', path: os, times: 'always' });
    const error = await failureOf(client.listOsTemplates());
    expect(error).toMatchObject({ code: 'upstream_timeout', details: { reason: 'timeout' } });
    expect(calls(os)).toBe(1);
  });

  it('turns a slow drip that outlasts the total timeout into upstream_timeout', async () => {
    await client.close();
    client = connect({ requestTimeoutMs: 300 }); // the drip needs minutes
    sim.injectFault({ kind: 'slow_drip', path: os, intervalMs: 50, chunkBytes: 8 });
    await expect(failureOf(client.listOsTemplates())).resolves.toMatchObject({ code: 'upstream_timeout' });
  });

  it('accepts a slow drip that finishes in time', async () => {
    sim.injectFault({ kind: 'slow_drip', path: '/vm/v3/cluster', intervalMs: 5, chunkBytes: 64 });
    await expect(client.listClusters()).resolves.toHaveLength(3);
  });

  it('treats a body that is not JSON as upstream_invalid', async () => {
    sim.injectFault({ kind: 'non_json', path: os });
    const error = await failureOf(client.listOsTemplates());
    expect(error).toMatchObject({ code: 'upstream_invalid' });
    expect((error as Error).message).toMatch(/not JSON/);
  });

  it('returns an empty list as it is (the sync guard decides what it means)', async () => {
    sim.injectFault({ kind: 'empty_list', path: os });
    await expect(client.listOsTemplates()).resolves.toEqual([]);
  });

  it('rejects a list shorter than the size it announces', async () => {
    sim.injectFault({ kind: 'truncated_list', path: os });
    const error = await failureOf(client.listOsTemplates());
    const all = sim.state.listTemplates().length;
    expect(error).toMatchObject({
      code: 'upstream_invalid',
      details: { received: Math.floor(all / 2), size: all },
    });
  });

  it('names the missing list field in upstream_invalid', async () => {
    sim.injectFault({ kind: 'wrong_schema', variant: 'list_missing', path: os });
    const error = await failureOf(client.listOsTemplates());
    expect(error).toMatchObject({ code: 'upstream_invalid' });
    expect((error as Error).message).toMatch(/\/vm\/v3\/os answer .*list/);
  });

  it('skips an item whose name is a number, saying why, and keeps the others', async () => {
    sim.injectFault({ kind: 'wrong_schema', variant: 'name_number', path: os });
    const list = await client.listOsList();
    expect(list.skipped).toEqual([
      {
        position: 0,
        id: 8100,
        name: null,
        repository: 'local',
        reason: 'name is not a non-empty string',
      },
    ]);
    expect(list.templates).toHaveLength(sim.state.listTemplates().length - 1);
  });

  it('rejects a login answer without a token as upstream_invalid', async () => {
    sim.injectFault({ kind: 'wrong_schema', path: '/auth/v4/public/token' });
    await expect(failureOf(client.whoami())).resolves.toMatchObject({ code: 'upstream_invalid' });
  });

  it('logs in again after an expired-token fault', async () => {
    await client.whoami();
    sim.injectFault({ kind: 'expire_tokens', path: os });
    await expect(client.listOsTemplates()).resolves.not.toHaveLength(0);
    expect(calls('/auth/v4/public/token')).toBe(2);
  });

  it('retries a connection closed without an answer, then reports upstream_unavailable', async () => {
    sim.injectFault({ kind: 'refuse', path: os });
    await expect(client.listOsTemplates()).resolves.not.toHaveLength(0);
    sim.injectFault({ kind: 'refuse', path: os, times: 'always' });
    const error = await failureOf(client.listOsTemplates());
    expect(error).toMatchObject({ code: 'upstream_unavailable', details: { reason: 'reset' } });
  });

  it('reports a refused port as upstream_unavailable', async () => {
    // Port 1, where nothing listens (as in the other tests' dead URLs): a port found free and
    // released could be taken by another process on the machine before the client connects.
    const closed = connect({ url: 'http://127.0.0.1:1', retries: { attempts: 2, baseDelayMs: 5 } });
    const error = await failureOf(closed.whoami());
    await closed.close();
    expect(error).toMatchObject({ code: 'upstream_unavailable', details: { reason: 'refused' } });
    expect((error as Error).message).toMatch(/refused the connection/);
  });

  it('targets a fault at one path so that login still succeeds', async () => {
    sim.injectFault({ kind: 'http_error', status: 500, path: '/vm/v3/cluster', times: 'always' });
    await expect(client.whoami()).resolves.toMatchObject({ email: sim.email });
    await expect(client.listOsTemplates()).resolves.not.toHaveLength(0);
    await expect(failureOf(client.listClusters())).resolves.toMatchObject({ code: 'upstream_unavailable' });
    sim.clearFaults();
    await expect(client.listClusters()).resolves.toHaveLength(3);
  });
});
