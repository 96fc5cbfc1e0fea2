import { afterEach, describe, expect, it } from 'vitest';
import { startVmmanagerSimulator, type VmmanagerSimulator } from './simulator/simulator.js';
import { createVmmanagerClient, type VmmanagerClientOptions } from './vmmanager6.client.js';
import { defaultSuspensionPolicy, suspensionDelay } from './vmmanager6.retry.js';
import { fakeTimers, fastSuspension } from './vmmanager6.test-kit.js';

// A suspended VMmanager answers 503 on every path until it has woken up. The long cases run on
// a fake clock shared by the simulator and the client: no test sleeps for real more than a moment.
const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close();
});

async function setUp(patch: Partial<VmmanagerClientOptions> = {}, shareClock = true) {
  const timers = fakeTimers();
  const sim: VmmanagerSimulator = await startVmmanagerSimulator(shareClock ? { now: timers.now } : {});
  opened.push(sim);
  const client = createVmmanagerClient({
    url: sim.url,
    email: sim.email,
    password: sim.password,
    requestTimeoutMs: 2000,
    ...(shareClock ? { timers } : {}),
    ...patch,
  });
  opened.push(client);
  return { sim, client, timers };
}

const calls = (sim: VmmanagerSimulator, path: string) => sim.requests.filter((r) => r.path === path).length;
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'no failure',
    (e: unknown) => e,
  );

describe('the 503 budget (suspension)', () => {
  it('by default makes at least 10 attempts over at least 8 s, and waits at most 30 s', () => {
    const policy = defaultSuspensionPolicy;
    const waits = (random: number) =>
      Array.from({ length: policy.attempts - 1 }, (_, i) => suspensionDelay(i + 1, policy, random));
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(policy.attempts).toBeGreaterThanOrEqual(10);
    expect(sum(waits(0).slice(0, 9))).toBeGreaterThanOrEqual(8000);
    expect(sum(waits(0.999999))).toBeLessThanOrEqual(policy.maxWaitMs);
    // Jittered: the waits differ from one client to another.
    expect(suspensionDelay(3, policy, 0)).toBeLessThan(suspensionDelay(3, policy, 0.99));
  });

  it('rides out a 4-second plain-text suspension, login included, with the default budget', async () => {
    const { sim, client, timers } = await setUp();
    sim.suspension.suspend(4000, 'text');
    await expect(client.listOsTemplates()).resolves.not.toHaveLength(0);
    expect(calls(sim, '/auth/v4/public/token')).toBeGreaterThan(3);
    const waited = timers.slept.reduce((a, b) => a + b, 0);
    expect(waited).toBeGreaterThanOrEqual(4000);
    expect(waited).toBeLessThan(8000);
  });

  it('gives up on a suspension that outlasts the budget, saying so in one line', async () => {
    const { sim, client, timers } = await setUp();
    sim.suspension.suspend(10 * 60_000, 'json');
    const error = await failureOf(client.listOsTemplates());
    expect(error).toMatchObject({
      code: 'upstream_unavailable',
      details: { status: 503, reason: 'suspended', vmCode: 503 },
    });
    expect((error as Error).message).toMatch(
      /stayed suspended \(503\) for \d+ s over \d+ attempts.*try again/,
    );
    const waited = timers.slept.reduce((a, b) => a + b, 0);
    expect(waited).toBeLessThanOrEqual(defaultSuspensionPolicy.maxWaitMs);
    expect(timers.slept.length).toBeLessThan(defaultSuspensionPolicy.attempts);
  });

  it('shares one budget between the calls of a run: a second call does not wait the whole budget again', async () => {
    const { sim, client, timers } = await setUp({
      suspension: { attempts: 100, baseDelayMs: 1000, maxDelayMs: 1000, maxWaitMs: 5000 },
    });
    await client.whoami();
    sim.suspension.suspend(60_000);
    await failureOf(client.listClusters());
    const afterFirst = timers.slept.length;
    expect(timers.slept.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(5000);
    await expect(failureOf(client.listOsTemplates())).resolves.toMatchObject({
      details: { reason: 'suspended' },
    });
    expect(timers.slept.length - afterFirst).toBeLessThanOrEqual(1);
    // Once it answers again the budget is whole again.
    sim.suspension.resume();
    await expect(client.listClusters()).resolves.toHaveLength(3);
    sim.suspension.suspend(3000);
    await expect(client.listClusters()).resolves.toHaveLength(3);
  });

  it('works on real time too, with a short suspension and a small budget', async () => {
    const { sim, client } = await setUp(
      { suspension: { attempts: 50, baseDelayMs: 20, maxDelayMs: 40, maxWaitMs: 5000 } },
      false,
    );
    sim.suspension.suspend(150, 'text');
    await expect(client.whoami()).resolves.toMatchObject({ email: sim.email });
  });
});

describe('other 5xx answers', () => {
  it('retry the same 500 only once', async () => {
    const { sim, client } = await setUp({
      retries: { attempts: 5, baseDelayMs: 5 },
      suspension: fastSuspension,
    });
    sim.injectFault({ kind: 'http_error', status: 500, path: '/vm/v3/os', times: 'always' });
    await expect(failureOf(client.listOsTemplates())).resolves.toMatchObject({
      code: 'upstream_unavailable',
      details: { status: 500 },
    });
    expect(calls(sim, '/vm/v3/os')).toBe(2);
  });

  it('keep their retry budget when the answers differ', async () => {
    const { sim, client } = await setUp({
      retries: { attempts: 3, baseDelayMs: 5 },
      suspension: fastSuspension,
    });
    sim.injectFault({ kind: 'http_error', status: 500, msg: 'first', path: '/vm/v3/os' });
    sim.injectFault({ kind: 'http_error', status: 502, msg: 'second', path: '/vm/v3/os' });
    await expect(client.listOsTemplates()).resolves.not.toHaveLength(0);
    expect(calls(sim, '/vm/v3/os')).toBe(3);
  });
});

describe('the simulator suspension through the control API', () => {
  it('suspends every API path for the given time, and resumes', async () => {
    const { sim } = await setUp({}, false);
    const control = (method: string, body?: unknown) =>
      fetch(`${sim.url}/_sim/suspend`, {
        method,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect((await control('POST', { seconds: 30, body: 'text' })).status).toBe(200);
    const login = await fetch(`${sim.url}/auth/v4/public/token`, { method: 'POST', body: '{}' });
    expect([login.status, await login.text()]).toEqual([503, 'Unavailable']);
    const os = await fetch(`${sim.url}/vm/v3/os`);
    expect(os.status).toBe(503);
    expect(await (await control('GET')).json()).toMatchObject({ suspended: true, body: 'text' });
    await control('DELETE');
    expect((await fetch(`${sim.url}/vm/v3/os`)).status).toBe(401);
    expect((await control('POST', { ms: -1 })).status).toBe(400);
    expect((await control('POST', { ms: 10, body: 'xml' })).status).toBe(400);
  });
});
