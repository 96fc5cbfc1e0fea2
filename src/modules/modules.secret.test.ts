import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addSimModule } from '../sync/sync.test-kit.js';
import { startVmmanagerSimulator, type VmmanagerSimulator } from '../vmmanager6/simulator/simulator.js';
import { bearer, createSyncHttpKit, errorOf, type HttpKit } from '../http/http.test-kit.js';

// The stored VMmanager password is only ever sent to the host (and account) it was entered for.
let kit: HttpKit;
let sim: VmmanagerSimulator;
let moduleId: number;
let evilUrl: string;
const evilSaw: string[] = [];
let closeEvil: () => Promise<void>;

beforeAll(async () => {
  sim = await startVmmanagerSimulator();
  const evil = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => void (body += chunk.toString()));
    req.on('end', () => {
      evilSaw.push(`${req.method} ${req.url} ${body}`);
      res.writeHead(201, { 'content-type': 'application/json' }).end('{"token":"t"}');
    });
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
  closeEvil = () => new Promise((resolve) => evil.close(() => resolve()));
  kit = await createSyncHttpKit();
  moduleId = (await addSimModule(kit.app, sim, 'msk', { clusterId: 1 })).id;
});
afterAll(async () => {
  await kit.close();
  await sim.close();
  await closeEvil();
});

const patch = (payload: object) =>
  kit.server.inject({
    method: 'PATCH',
    url: `/api/v1/admin/modules/${moduleId}`,
    headers: bearer(kit.adminToken),
    payload,
  });

describe('changing where a module connects', () => {
  test('a new URL without the password is refused, and Test connection still goes to the old host', async () => {
    const res = await patch({ url: evilUrl });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'invalid_input', details: { field: 'password' } });
    expect(errorOf(res).message).toMatch(/enter the password again/);
    const test = await kit.server.inject({
      method: 'POST',
      url: `/api/v1/admin/modules/${moduleId}/test-connection`,
      headers: bearer(kit.adminToken),
    });
    expect(test.json()).toMatchObject({ ok: true });
    expect(evilSaw).toEqual([]);
    expect((await kit.app.modules.getModule(moduleId)).url).toBe(sim.url);
  });

  test('a new admin email without the password is refused too', async () => {
    const res = await patch({ adminEmail: 'other@example.com' });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).details).toMatchObject({ field: 'password' });
    expect((await kit.app.modules.getModule(moduleId)).adminEmail).toBe(sim.email);
  });

  test('the unchanged URL and email may be sent again without the password (the settings form does)', async () => {
    const res = await patch({ url: sim.url, adminEmail: sim.email, sort: 5 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ sort: 5 });
  });

  test('with the password, the URL changes and only the new password goes to the new host', async () => {
    const res = await patch({ url: evilUrl, password: 'the-new-hosts-own-password' });
    expect(res.statusCode).toBe(200);
    await kit.server.inject({
      method: 'POST',
      url: `/api/v1/admin/modules/${moduleId}/test-connection`,
      headers: bearer(kit.adminToken),
    });
    expect(evilSaw.join('\n')).toContain('the-new-hosts-own-password');
    expect(evilSaw.join('\n')).not.toContain(sim.password);
  });
});

describe('how a module signs in, in its answer', () => {
  test('the answer says authMethod password or token, and never carries the secret', async () => {
    const id = (await addSimModule(kit.app, sim, 'by-token-http')).id;
    const read = () =>
      kit.server.inject({
        method: 'GET',
        url: `/api/v1/admin/modules/${id}`,
        headers: bearer(kit.adminToken),
      });
    expect((await read()).json()).toMatchObject({ id, authMethod: 'password' });

    const apiToken = sim.sessions.issueApiToken();
    const switched = await kit.server.inject({
      method: 'PATCH',
      url: `/api/v1/admin/modules/${id}`,
      headers: bearer(kit.adminToken),
      payload: { apiToken },
    });
    expect(switched.statusCode).toBe(200);
    expect(switched.json()).toMatchObject({ authMethod: 'token' });
    const list = await kit.server.inject({
      method: 'GET',
      url: '/api/v1/admin/modules',
      headers: bearer(kit.adminToken),
    });
    expect(
      list.json<{ items: { id: number; authMethod: string }[] }>().items.find((m) => m.id === id),
    ).toMatchObject({ authMethod: 'token' });
    for (const body of [switched.body, (await read()).body, list.body]) {
      expect(body).not.toContain(apiToken);
      expect(body).not.toContain(sim.password);
      expect(body).not.toMatch(/"(apiToken|password|passwordEncrypted)":/);
    }
  });
});
