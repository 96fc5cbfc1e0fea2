import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVmmanagerSimulator, type VmmanagerSimulator } from './simulator/simulator.js';
import { createVmmanagerClient } from './vmmanager6.client.js';
import { fastSuspension } from './vmmanager6.test-kit.js';

let sim: VmmanagerSimulator;

beforeAll(async () => {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
  });
  sim = await startVmmanagerSimulator({ tls: { key: pems.private, cert: pems.cert } });
});

afterAll(async () => {
  await sim.close();
});

const connect = (verifyTls?: boolean) =>
  createVmmanagerClient({
    url: sim.url,
    email: sim.email,
    password: sim.password,
    requestTimeoutMs: 2000,
    retries: { attempts: 3, baseDelayMs: 5 },
    suspension: fastSuspension,
    ...(verifyTls === undefined ? {} : { verifyTls }),
  });

describe('TLS towards VMmanager', () => {
  it('serves the simulator over HTTPS', () => {
    expect(sim.url).toMatch(/^https:\/\//);
  });

  it('rejects a self-signed certificate by default, with a message that says so, without retrying', async () => {
    const client = connect();
    const error = await client.whoami().catch((e: unknown) => e);
    await client.close();
    expect(error).toMatchObject({ code: 'upstream_unavailable', details: { reason: 'tls' } });
    expect((error as Error).message).toMatch(/self-signed.*turn off TLS verification/);
    expect(sim.requests).toHaveLength(0);
  });

  it('accepts the self-signed certificate when verification is off for the module', async () => {
    const client = connect(false);
    await expect(client.listOsTemplates()).resolves.not.toHaveLength(0);
    await client.close();
  });
});
