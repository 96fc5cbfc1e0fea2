import { describe, expect, it } from 'vitest';
import type { VmOsTemplate } from './vmmanager6.os-list.js';
import { internalNameOf, placeTemplate, type ModuleScope } from './vmmanager6.templates.js';
import { whereAll, whereAny, whereCondition } from './vmmanager6.where.js';

const template = (patch: Partial<VmOsTemplate>): VmOsTemplate => ({
  id: 1,
  name: 'Debian 12',
  repository: 'ISPsystem',
  repositoryId: 1,
  state: 'active',
  tags: [],
  osGroup: 'debian',
  adminonly: false,
  hddMibRequired: 5120,
  minRamMib: 512,
  clusters: [{ id: 1, name: 'c1' }],
  isLxdImage: false,
  updatedAt: null,
  ...patch,
});

describe('internalNameOf', () => {
  it('joins repository and name with two underscores, keeping case and hyphens', () => {
    expect(internalNameOf(template({}))).toBe('ISPsystem__Debian 12');
    expect(internalNameOf(template({ repository: 'My-Repo', name: 'Alma-Linux 9' }))).toBe(
      'My-Repo__Alma-Linux 9',
    );
    expect(internalNameOf(template({ repository: 'ISPSYSTEM' }))).not.toBe(internalNameOf(template({})));
  });
});

describe('placeTemplate', () => {
  const clusters = [
    { id: 1, name: 'kvm-1', virtualizationType: 'kvm' },
    { id: 2, name: 'kvm-2', virtualizationType: 'KVM' },
    { id: 3, name: 'lxd-1', virtualizationType: 'lxd' },
    { id: 4, name: 'odd', virtualizationType: null },
  ];
  const scope = (clusterId: number | null, includeNoOs = false): ModuleScope => ({
    clusterId,
    clusters,
    includeNoOs,
  });
  const on = (...ids: number[]) => ids.map((id) => ({ id, name: null }));

  it('offers an active template on the module cluster, with the clusters it is built on', () => {
    expect(placeTemplate(template({ clusters: on(1, 2) }), scope(1))).toEqual({
      kind: 'offer',
      clusterIds: [1],
      virtualization: 'kvm',
    });
    expect(placeTemplate(template({ clusters: on(2) }), scope(1))).toEqual({ kind: 'out' });
  });

  it('keeps admin-only templates out, and NoOS unless the module asks for it', () => {
    expect(placeTemplate(template({ adminonly: true }), scope(1))).toEqual({ kind: 'out' });
    const noOs = template({ name: 'NoOS', repository: 'local' });
    expect(placeTemplate(noOs, scope(1))).toEqual({ kind: 'out' });
    expect(placeTemplate(template({ repository: 'local', name: 'Blank' }), scope(null))).toEqual({
      kind: 'out',
    });
    expect(placeTemplate(noOs, scope(1, true))).toMatchObject({ kind: 'offer', clusterIds: [1] });
  });

  it('offers LXD images only on LXD clusters and KVM templates only on KVM ones', () => {
    const lxd = template({ isLxdImage: true, clusters: on(1, 3) });
    const kvm = template({ isLxdImage: false, clusters: on(1, 3) });
    expect(placeTemplate(lxd, scope(1))).toEqual({ kind: 'out' });
    expect(placeTemplate(lxd, scope(3))).toMatchObject({ kind: 'offer', virtualization: 'lxd' });
    expect(placeTemplate(kvm, scope(3))).toEqual({ kind: 'out' });
    // Without a cluster: where it fits at least one of its clusters.
    expect(placeTemplate(lxd, scope(null))).toMatchObject({ kind: 'offer', clusterIds: [3] });
    expect(placeTemplate(kvm, scope(null))).toMatchObject({ kind: 'offer', clusterIds: [1] });
    expect(placeTemplate(template({ isLxdImage: true, clusters: on(1, 2) }), scope(null))).toEqual({
      kind: 'out',
    });
  });

  it('never excludes on a kind nobody stated', () => {
    expect(placeTemplate(template({ isLxdImage: null, clusters: on(3) }), scope(3))).toMatchObject({
      kind: 'offer',
      virtualization: null,
    });
    expect(placeTemplate(template({ isLxdImage: true, clusters: on(4) }), scope(4))).toMatchObject({
      kind: 'offer',
    });
  });

  it('calls a template unavailable while it is not active, or when its clusters are unknown', () => {
    expect(placeTemplate(template({ state: 'updating', clusters: on(1) }), scope(1))).toEqual({
      kind: 'unavailable',
      clusterIds: [1],
      virtualization: 'kvm',
      reason: 'state updating',
    });
    expect(placeTemplate(template({ state: 'updating', clusters: on(2) }), scope(1))).toEqual({
      kind: 'out',
    });
    expect(placeTemplate(template({ clusters: null }), scope(1))).toMatchObject({
      kind: 'unavailable',
      reason: 'VMmanager did not say which clusters it is on',
    });
  });

  it('leaves out a template enabled on no cluster', () => {
    expect(placeTemplate(template({ clusters: [] }), scope(null))).toEqual({ kind: 'out' });
  });
});

describe('where builders', () => {
  it('keep the syntax characters raw and encode the values', () => {
    expect(whereCondition({ field: 'name', value: 'Bob (x)!' })).toBe("(name+EQ+'Bob%20%28x%29%21')");
    expect(
      whereAll([
        { field: 'a', value: 1 },
        { field: 'b', value: 'y', op: 'NE' },
      ]),
    ).toBe("((a+EQ+'1')+AND+(b+NE+'y'))");
    expect(
      whereAny([
        { field: 'a', value: 1 },
        { field: 'a', value: 2 },
      ]),
    ).toBe("((a+EQ+'1')+OR+(a+EQ+'2'))");
  });

  it('refuses a field name or a quoted value that would break the filter', () => {
    expect(() => whereCondition({ field: 'a)+OR+(b', value: 1 })).toThrow(/field name/);
    expect(() => whereCondition({ field: 'email', value: "o'brien@example.com" })).toThrow(/quote/);
  });
});
