import { describe, expect, it } from 'vitest';
import type { VmOsTemplate } from './vmmanager6.os-list.js';
import { internalNameOf, selectModuleTemplates } from './vmmanager6.templates.js';
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

describe('selectModuleTemplates', () => {
  const all = [
    template({ id: 1 }),
    template({ id: 2, adminonly: true }),
    template({ id: 3, state: 'updating' }),
    template({ id: 4, clusters: [{ id: 2, name: 'c2' }] }),
    template({ id: 5, clusters: [] }),
  ];

  it('keeps active, non-admin-only templates on the module cluster', () => {
    expect(selectModuleTemplates(all, 1).map((t) => t.id)).toEqual([1]);
    expect(selectModuleTemplates(all, 2).map((t) => t.id)).toEqual([4]);
  });

  it('accepts any cluster when the module has none, but not templates on no cluster', () => {
    expect(selectModuleTemplates(all, null).map((t) => t.id)).toEqual([1, 4]);
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
