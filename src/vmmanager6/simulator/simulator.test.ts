import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createVmmanagerClient, type VmmanagerClient } from '../vmmanager6.client.js';
import { runSimulatorCommand } from '../simulator.cli.js';
import { createSimState } from './sim-state.js';
import { startVmmanagerSimulator, type SimulatorOptions, type VmmanagerSimulator } from './simulator.js';

const opened: { sim: VmmanagerSimulator; client: VmmanagerClient }[] = [];

const start = async (options: SimulatorOptions = {}) => {
  const sim = await startVmmanagerSimulator(options);
  const client = createVmmanagerClient({
    url: sim.url,
    email: sim.email,
    password: sim.password,
    requestTimeoutMs: 2000,
  });
  opened.push({ sim, client });
  return { sim, client };
};

const control = async (sim: VmmanagerSimulator, method: string, path: string, body?: unknown) => {
  const answer = await fetch(`${sim.url}/_sim${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
};

const seedSize = createSimState().listTemplates().length;

/** A raw API answer, as a real client would receive it. */
const api = async (sim: VmmanagerSimulator, path: string) => {
  const login = await fetch(`${sim.url}/auth/v4/public/token`, {
    method: 'POST',
    body: JSON.stringify({ email: sim.email, password: sim.password }),
  });
  const { token } = (await login.json()) as { token: string };
  const answer = await fetch(`${sim.url}${path}`, { headers: { 'x-xsrf-token': token } });
  return (await answer.json()) as { list: Record<string, unknown>[]; size?: number; error?: unknown };
};

afterEach(async () => {
  for (const { sim, client } of opened.splice(0)) {
    await client.close();
    await sim.close();
  }
});

describe('the VMmanager 6 simulator', () => {
  it('seeds a realistic catalog: four repositories with NoOS in local, two KVM clusters with partly different templates, an LXD cluster with the LXD images, one admin-only', async () => {
    const { client } = await start();
    const templates = await client.listOsTemplates();
    const names = new Set(templates.map((t) => `${t.repository}/${t.name}`));
    for (const name of [
      'ISPsystem/AlmaLinux 9',
      'ISPsystem/Rocky Linux 9',
      'ISPsystem/CentOS Stream 9',
      'ISPsystem/Debian 12',
      'ISPsystem/Ubuntu 24.04',
      'ISPsystem/Oracle Linux 9',
      'ISPsystem/FreeBSD 14.1',
      'ISPsystem LXD/Ubuntu 22.04',
    ]) {
      expect(names).toContain(name);
    }
    expect(templates.find((t) => t.name === 'Windows Server 2022')?.hddMibRequired).toBe(40960);
    expect(templates.filter((t) => t.adminonly)).toHaveLength(1);
    const onCluster = (id: number) =>
      templates.filter((t) => t.clusters?.some((c) => c.id === id)).map((t) => t.id);
    expect(onCluster(1)).toContain(8211);
    expect(onCluster(2)).not.toContain(8211);
    expect(onCluster(2)).toContain(8207);
    const lxd = templates.filter((t) => t.isLxdImage).map((t) => t.id);
    expect(onCluster(3).sort()).toEqual(lxd.sort());
    expect(lxd).toHaveLength(3);
    expect(templates.find((t) => t.name === 'NoOS')).toMatchObject({ repository: 'local', state: 'active' });
    expect(onCluster(1)).not.toContain(8207);
  });

  it('seeds N generated templates for benchmarks', async () => {
    const { client } = await start({ seed: { templates: 5000 } });
    await expect(client.listOsTemplates()).resolves.toHaveLength(5000);
  });

  it('changes the catalog through the control API while running', async () => {
    const { sim, client } = await start();
    expect(
      (
        await control(sim, 'POST', '/templates', {
          name: 'Arch Linux',
          clusterIds: [2],
          hddMibRequired: 4096,
        })
      ).status,
    ).toBe(200);
    await control(sim, 'PATCH', '/templates/8206', { name: 'Debian 12 (bookworm)' });
    await control(sim, 'PATCH', '/templates/8204', { clusterIds: [2] });
    await control(sim, 'PATCH', '/templates/8213', { hddMibRequired: 51200 });
    await control(sim, 'DELETE', '/templates/8211');
    await control(sim, 'PATCH', '/repositories/1', { name: 'ISPSYSTEM' });
    const byId = new Map((await client.listOsTemplates()).map((t) => [t.id, t]));
    expect([...byId.values()].find((t) => t.name === 'Arch Linux')?.clusters).toEqual([
      { id: 2, name: 'ams-kvm-2' },
    ]);
    expect(byId.get(8206)).toMatchObject({ name: 'Debian 12 (bookworm)', repository: 'ISPSYSTEM' });
    expect(byId.get(8204)?.clusters?.map((c) => c.id)).toEqual([2]);
    expect(byId.get(8213)?.hddMibRequired).toBe(51200);
    expect(byId.has(8211)).toBe(false);
    expect(byId.get(8301)?.repository).toBe('ISPsystem LXD');
  });

  it('replaces the whole list and resets to the seed', async () => {
    const { sim, client } = await start();
    await control(sim, 'PUT', '/templates', [{ name: 'Only One' }]);
    expect((await client.listOsTemplates()).map((t) => t.name)).toEqual(['Only One']);
    await control(sim, 'POST', '/reset', {});
    expect(await client.listOsTemplates()).toHaveLength(seedSize);
  });

  it('serves items in the shapes real installations send, switched per template through the control API', async () => {
    const { sim } = await start();
    for (const [id, shape] of [
      [8201, 'legacy_2022'],
      [8202, 'clusters_object'],
      [8203, 'clusters_null'],
      [8204, 'nameless'],
      [8205, 'repository_null'],
    ] as const)
      expect((await control(sim, 'PATCH', `/templates/${id}`, { shape })).status).toBe(200);
    const byId = new Map((await api(sim, '/vm/v3/os')).list.map((item) => [item.id, item]));
    const legacy = byId.get(8201)!;
    for (const field of ['repository_id', 'hdd_mib_required', 'min_ram_mib', 'cpu_mode', 'efi_boot'])
      expect(legacy).not.toHaveProperty(field);
    expect(legacy).toMatchObject({ name: 'AlmaLinux 9', is_lxd_image: false, os_group: 'almalinux' });
    expect(legacy).not.toHaveProperty('shape');
    expect(byId.get(8202)!.clusters).toEqual({ id: 1, name: 'msk-kvm-1' });
    expect(byId.get(8203)!.clusters).toBeNull();
    expect(byId.get(8204)).not.toHaveProperty('name');
    expect(byId.get(8205)!.repository).toBeNull();
    // The where filter still sees the stored template.
    expect((await api(sim, "/vm/v3/os?where=(name+EQ+'Rocky%20Linux%208')")).list).toHaveLength(1);
    await control(sim, 'PATCH', '/templates/8201', { shape: 'current' });
    expect((await api(sim, '/vm/v3/os')).list.find((i) => i.id === 8201)).toHaveProperty('hdd_mib_required');
    const added = await control(sim, 'POST', '/templates', { name: 'Old One', shape: 'legacy_2022' });
    expect(added.body).toMatchObject({ name: 'Old One', shape: 'legacy_2022' });
    expect((await control(sim, 'PATCH', '/templates/8206', { shape: 'odd' })).status).toBe(400);
  });

  it('answers lists without size in that mode, switched through the control API; reset switches it back', async () => {
    const { sim, client } = await start();
    expect((await control(sim, 'GET', '/modes')).body).toMatchObject({ listSize: true });
    expect((await control(sim, 'PATCH', '/modes', { listSize: false })).body).toMatchObject({
      listSize: false,
    });
    const answer = await api(sim, '/vm/v3/os');
    expect(answer).not.toHaveProperty('size');
    await expect(client.listOsTemplates()).resolves.toHaveLength(seedSize);
    await control(sim, 'POST', '/reset', {});
    expect((await api(sim, '/vm/v3/cluster')).size).toBe(3);
  });

  it('sends whoami and the account list in the shapes the modes choose; redirects to https in that mode', async () => {
    const { sim } = await start();
    expect(await api(sim, '/auth/v4/whoami')).toMatchObject({ email: sim.email, roles: ['@admin'] });
    expect((await api(sim, "/vm/v3/account?where=(email+EQ+'admin%40example.com')")).list).toMatchObject([
      { id: 1, email: sim.email, roles: ['@admin'] },
    ]);
    expect((await api(sim, "/vm/v3/account?where=(email+EQ+'x%40y.z')")).list).toEqual([]);
    await control(sim, 'PATCH', '/modes', { whoamiEmail: false, whoamiRoles: false, rolesAs: 'string' });
    const whoami = await api(sim, '/auth/v4/whoami');
    expect(whoami).not.toHaveProperty('email');
    expect(whoami).not.toHaveProperty('roles');
    expect((await api(sim, '/vm/v3/account')).list).toMatchObject([{ roles: '[@admin]' }]);
    await control(sim, 'PATCH', '/modes', { accountList: false, redirectToHttps: true });
    const redirected = await fetch(`${sim.url}/vm/v3/os?x=1`, { redirect: 'manual' });
    expect(redirected.status).toBe(301);
    expect(redirected.headers.get('location')).toBe(`https://127.0.0.1:${sim.port}/vm/v3/os?x=1`);
    await control(sim, 'PATCH', '/modes', { redirectToHttps: false });
    expect((await api(sim, '/vm/v3/account')).error).toMatchObject({ code: 404 });
  });

  it('refuses an unknown mode or a mode value of the wrong kind', async () => {
    const { sim } = await start();
    expect((await control(sim, 'PATCH', '/modes', { nonsense: true })).status).toBe(400);
    expect((await control(sim, 'PATCH', '/modes', { listSize: 'no' })).status).toBe(400);
    expect((await control(sim, 'PATCH', '/modes', { rolesAs: 'list' })).status).toBe(400);
    expect((await control(sim, 'PATCH', '/modes', [])).status).toBe(400);
  });

  it('answers control API mistakes with 4xx', async () => {
    const { sim } = await start();
    expect((await control(sim, 'DELETE', '/templates/1')).status).toBe(404);
    expect((await control(sim, 'POST', '/faults', { kind: 'explode' })).status).toBe(400);
    expect((await control(sim, 'GET', '/nothing')).status).toBe(404);
  });

  it('injects and lists faults through the control API', async () => {
    const { sim, client } = await start();
    await control(sim, 'POST', '/faults', { kind: 'empty_list', path: '/vm/v3/os', times: 2 });
    expect((await control(sim, 'GET', '/faults')).body).toEqual([
      { kind: 'empty_list', path: '/vm/v3/os', times: 2 },
    ]);
    await expect(client.listOsTemplates()).resolves.toEqual([]);
    await control(sim, 'DELETE', '/faults');
    await expect(client.listOsTemplates()).resolves.toHaveLength(seedSize);
  });

  it('expires sessions through the control API', async () => {
    const { sim, client } = await start();
    await client.whoami();
    await control(sim, 'POST', '/sessions/expire');
    expect(sim.sessions.count()).toBe(0);
  });

  it('keeps its state in a JSON file across restarts, including a case-only repository rename', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'vm6-sim-')), 'state.json');
    const first = await start({ stateFile });
    first.sim.state.renameRepository(1, 'ISPSYSTEM');
    first.sim.state.removeTemplate(8201);
    const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as { repositories: { name: string }[] };
    expect(saved.repositories[0]!.name).toBe('ISPSYSTEM');
    const second = await start({ stateFile });
    const templates = await second.client.listOsTemplates();
    expect(templates.some((t) => t.id === 8201)).toBe(false);
    expect(templates.find((t) => t.id === 8202)?.repository).toBe('ISPSYSTEM');
  });

  it('answers an unknown path and a wrong method with the VMmanager error shape', async () => {
    const { sim } = await start();
    const missing = await fetch(`${sim.url}/vm/v3/task`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 404, msg: 'Not found' } });
    expect((await fetch(`${sim.url}/auth/v4/public/token`)).status).toBe(405);
  });

  it('starts from the CLI flags and prints its URL and credentials', async () => {
    const lines: string[] = [];
    const listeners = [...process.listeners('SIGINT'), ...process.listeners('SIGTERM')];
    const sim = await runSimulatorCommand(
      { port: '0', host: '127.0.0.1', email: 'a@b.c', password: 'pw' },
      (l) => lines.push(l),
    );
    const url = /listening on (\S+)/.exec(lines[0] ?? '')?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines.join('\n')).toContain('email a@b.c  password pw');
    const login = await fetch(`${url}/auth/v4/public/token`, {
      method: 'POST',
      body: '{"email":"a@b.c","password":"pw"}',
    });
    expect(login.status).toBe(201);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      for (const l of process.listeners(signal).filter((l) => !listeners.includes(l)))
        process.removeListener(signal, l);
    }
    await sim.close();
  });
});
