import { describe, expect, it } from 'vitest';
import { parseOsList } from './vmmanager6.os-list.js';

const item = (patch: Record<string, unknown> = {}) => ({
  id: 8206,
  name: 'Debian 12',
  repository: 'ISPsystem',
  repository_id: 1,
  state: 'active',
  adminonly: false,
  tags: ['linux'],
  os_group: 'debian',
  hdd_mib_required: 5120,
  min_ram_mib: 512,
  is_lxd_image: false,
  clusters: [{ id: 1, name: 'msk', updated_at: '2024-03-01 10:00:00' }],
  updated_at: '2024-03-01 10:00:00',
  ...patch,
});

const parse = (list: unknown[], extra: Record<string, unknown> = {}) =>
  parseOsList({ last_notify: 1, list, ...extra }, '/vm/v3/os');

describe('parseOsList', () => {
  it('reads a current item into camelCase', () => {
    expect(parse([item()]).templates).toEqual([
      {
        id: 8206,
        name: 'Debian 12',
        repository: 'ISPsystem',
        repositoryId: 1,
        state: 'active',
        tags: ['linux'],
        osGroup: 'debian',
        adminonly: false,
        hddMibRequired: 5120,
        minRamMib: 512,
        clusters: [{ id: 1, name: 'msk' }],
        isLxdImage: false,
        updatedAt: '2024-03-01 10:00:00',
      },
    ]);
  });

  it('reads an item of the 2022 shape with the newer fields unknown, never invented', () => {
    const { repository_id: _r, hdd_mib_required: _h, min_ram_mib: _m, ...old } = item();
    expect(parse([old]).templates[0]).toMatchObject({
      repositoryId: null,
      hddMibRequired: null,
      minRamMib: null,
    });
  });

  it('normalises clusters given as one object, and keeps null or absent clusters as unknown', () => {
    const { clusters: _c, ...noClusters } = item();
    const { templates } = parse([
      item({ id: 1, clusters: { id: 2, name: 'ams' } }),
      item({ id: 2, clusters: null }),
      { ...noClusters, id: 3 },
      item({ id: 4, clusters: [{ id: 'x' }] }),
      item({ id: 5, clusters: [] }),
    ]);
    expect(templates.map((t) => t.clusters)).toEqual([[{ id: 2, name: 'ams' }], null, null, null, []]);
  });

  it('treats optional fields of the wrong type as unknown', () => {
    const [template] = parse([
      item({ tags: 'linux', hdd_mib_required: '5120', min_ram_mib: -1, os_group: 7, is_lxd_image: 'no' }),
    ]).templates;
    expect(template).toMatchObject({
      tags: [],
      hddMibRequired: null,
      minRamMib: null,
      osGroup: null,
      isLxdImage: null,
    });
  });

  it('skips unusable items with a reason and what could be read of them, keeping the rest', () => {
    const { name: _n, ...nameless } = item();
    const result = parse([
      item({ id: 1 }),
      { ...nameless, id: 2 },
      item({ id: 3, name: 12345 }),
      item({ id: 'four' }),
      item({ id: 5, repository: null }),
      item({ id: 6, adminonly: 'no' }),
      item({ id: 7, name: '   ' }),
      'not an item',
    ]);
    expect(result.templates.map((t) => t.id)).toEqual([1]);
    expect(result.listed).toBe(8);
    expect(result.skipped).toEqual([
      { position: 1, id: 2, name: null, repository: 'ISPsystem', reason: 'no name' },
      { position: 2, id: 3, name: null, repository: 'ISPsystem', reason: 'name is not a non-empty string' },
      { position: 3, id: null, name: 'Debian 12', repository: 'ISPsystem', reason: 'id is not an integer' },
      { position: 4, id: 5, name: 'Debian 12', repository: null, reason: 'no repository' },
      {
        position: 5,
        id: 6,
        name: 'Debian 12',
        repository: 'ISPsystem',
        reason: 'adminonly is not true or false',
      },
      { position: 6, id: 7, name: null, repository: 'ISPsystem', reason: 'name is not a non-empty string' },
      { position: 7, id: null, name: null, repository: null, reason: 'not an object' },
    ]);
  });

  it('cuts long untrusted text it keeps', () => {
    const [skipped] = parse([item({ name: 'x'.repeat(5000), adminonly: null })]).skipped;
    expect(skipped!.name!.length).toBeLessThanOrEqual(201);
  });

  it('takes a list without size as complete, and refuses one shorter than its size', () => {
    expect(parse([item()]).templates).toHaveLength(1);
    expect(() => parse([item()], { size: 2 })).toThrow(/1 of 2 items/);
    expect(parse([item()], { size: 1 }).templates).toHaveLength(1);
  });

  it('fails the whole answer when it is not an OS list', () => {
    for (const body of [{ unexpected: true }, { list: 'nope' }, [item()], 'text', null]) {
      expect(() => parseOsList(body, '/vm/v3/os')).toThrow(
        expect.objectContaining({ code: 'upstream_invalid' }),
      );
    }
  });
});
