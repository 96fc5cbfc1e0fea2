import { describe, expect, it } from 'vitest';
import { guardPlan } from './sync.guard.js';
import {
  countPlan,
  isEmptyPlan,
  planSync,
  type CatalogConnection,
  type CatalogValue,
  type PlanInput,
  type UpstreamTemplate,
} from './sync.plan.js';

const up = (
  internalName: string,
  upstreamId: number,
  extra: Partial<UpstreamTemplate> = {},
): UpstreamTemplate => ({
  upstreamId,
  internalName,
  displayName: internalName.split('__')[1] ?? internalName,
  minDiskMib: 10240,
  minRamMib: null,
  osGroup: null,
  tags: [],
  clusterIds: [],
  virtualization: null,
  available: true,
  unavailableReason: null,
  ...extra,
});

const conn = (
  valueId: number,
  connected: boolean,
  upstreamId: number | null,
  extra: Partial<CatalogConnection> = {},
): CatalogConnection => ({
  valueId,
  connected,
  upstreamId,
  available: true,
  unavailableReason: null,
  clusterIds: [],
  virtualization: null,
  ...extra,
});

const value = (id: number, internalName: string, extra: Partial<CatalogValue> = {}): CatalogValue => ({
  id,
  internalName,
  displayName: internalName.split('__')[1] ?? internalName,
  displayNameByAdmin: false,
  minDiskMib: 10240,
  minRamMib: null,
  osGroup: null,
  sort: id * 10,
  ...extra,
});

const input = (patch: Partial<PlanInput>): PlanInput => ({
  values: [],
  connections: [],
  upstream: [],
  policy: 'enable',
  ...patch,
});

describe('planSync', () => {
  it('carries the minimum RAM and the OS group like the minimum disk, unknown as null', () => {
    const plan = planSync(
      input({
        values: [value(1, 'ISPsystem__A', { minRamMib: 512, osGroup: 'debian' }), value(2, 'ISPsystem__B')],
        connections: [conn(1, true, 11), conn(2, true, 12)],
        upstream: [
          up('ISPsystem__A', 11, { minRamMib: null, osGroup: 'debian' }),
          up('ISPsystem__B', 12, { minRamMib: 2048, osGroup: 'windows' }),
          up('ISPsystem__C', 13, { minRamMib: 1024 }),
        ],
      }),
    );
    expect(plan.update).toEqual([
      {
        valueId: 1,
        internalName: 'ISPsystem__A',
        changes: { minRamMib: { from: 512, to: null } },
        placement: { upstreamId: 11, clusterIds: [], virtualization: null },
      },
      {
        valueId: 2,
        internalName: 'ISPsystem__B',
        changes: { minRamMib: { from: null, to: 2048 }, osGroup: { from: null, to: 'windows' } },
        placement: { upstreamId: 12, clusterIds: [], virtualization: null },
      },
    ]);
    expect(plan.add[0]).toMatchObject({ internalName: 'ISPsystem__C', minRamMib: 1024, osGroup: null });
  });

  it('keeps a listed but unavailable template connected, marks it, and adds or connects nothing for it', () => {
    const updating = { available: false, unavailableReason: 'state updating' };
    const plan = planSync(
      input({
        values: [value(1, 'R__Connected'), value(2, 'R__Marked'), value(3, 'R__Disconnected')],
        connections: [
          conn(1, true, 11),
          conn(2, true, 12, { available: false, unavailableReason: 'state updating' }),
          conn(3, false, 13),
        ],
        upstream: [
          up('R__Connected', 11, updating),
          up('R__Marked', 12, updating),
          up('R__Disconnected', 13, updating),
          up('R__New', 14, updating),
        ],
      }),
    );
    expect(plan.disconnect).toEqual([]);
    expect(plan.add).toEqual([]);
    expect(plan.connect).toEqual([]);
    expect(plan.unavailable).toEqual([
      { valueId: 1, internalName: 'R__Connected', upstreamId: 11, reason: 'state updating', changed: true },
      { valueId: 2, internalName: 'R__Marked', upstreamId: 12, reason: 'state updating', changed: false },
      {
        valueId: 3,
        internalName: 'R__Disconnected',
        upstreamId: 13,
        reason: 'state updating',
        changed: false,
      },
      { valueId: null, internalName: 'R__New', upstreamId: 14, reason: 'state updating', changed: false },
    ]);
    expect(isEmptyPlan(plan)).toBe(false);
    expect(countPlan(plan, { templates: [], skipped: [], listed: 4 })).toMatchObject({ unavailable: 4 });
  });

  it('makes a template available again as an update, and records where it is built', () => {
    const plan = planSync(
      input({
        values: [value(1, 'R__Back'), value(2, 'R__Moved')],
        connections: [
          conn(1, true, 11, { available: false, unavailableReason: 'state updating' }),
          conn(2, true, 12, { clusterIds: [1], virtualization: 'kvm' }),
        ],
        upstream: [up('R__Back', 11), up('R__Moved', 12, { clusterIds: [1, 2], virtualization: 'kvm' })],
      }),
    );
    expect(plan.update.map((u) => [u.internalName, u.changes])).toEqual([
      ['R__Back', { available: { from: false, to: true } }],
      ['R__Moved', { clusterIds: { from: [1], to: [1, 2] } }],
    ]);
    expect(plan.unavailable).toEqual([]);
  });

  it('keeps the connection of an item it could not use, found by upstream id or internal name', () => {
    const plan = planSync(
      input({
        values: [value(1, 'ISPsystem__A'), value(2, 'ISPsystem__B'), value(3, 'ISPsystem__C')],
        connections: [conn(1, true, 11), conn(2, true, 12), conn(3, true, 13)],
        upstream: [],
        skipped: [
          { upstreamId: 11, name: null, internalName: null, reason: 'no name' },
          { upstreamId: null, name: 'B', internalName: 'ISPsystem__B', reason: 'id is not an integer' },
        ],
      }),
    );
    expect(plan.disconnect).toEqual([{ valueId: 3, internalName: 'ISPsystem__C' }]);
    expect(plan.skipped.map((s) => s.reason)).toEqual(['no name', 'id is not an integer']);
  });

  it('adds a template the catalog does not know, with its name, disk, tags and upstream id', () => {
    const plan = planSync(
      input({ upstream: [up('ISPsystem__Debian 12', 8206, { minDiskMib: 5120, tags: ['linux'] })] }),
    );
    expect(plan.add).toEqual([
      {
        internalName: 'ISPsystem__Debian 12',
        displayName: 'Debian 12',
        minDiskMib: 5120,
        minRamMib: null,
        osGroup: null,
        tags: ['linux'],
        sort: 10,
        upstreamId: 8206,
        clusterIds: [],
        virtualization: null,
        awaitingReview: false,
      },
    ]);
    expect(plan.connect).toEqual([]);
    expect(plan.disconnect).toEqual([]);
  });

  it('sorts new templates after every existing one, by display name', () => {
    const plan = planSync(
      input({
        values: [value(1, 'ISPsystem__Old', { sort: 500 }), value(2, 'ISPsystem__Older', { sort: 70 })],
        upstream: [up('ISPsystem__Zeta', 1), up('ISPsystem__alpha', 2), up('ISPsystem__Beta', 3)],
      }),
    );
    expect(plan.add.map((a) => [a.displayName, a.sort])).toEqual([
      ['alpha', 510],
      ['Beta', 520],
      ['Zeta', 530],
    ]);
  });

  it('holds new templates for review under policy hold', () => {
    const plan = planSync(input({ policy: 'hold', upstream: [up('ISPsystem__Debian 12', 1)] }));
    expect(plan.add[0]?.awaitingReview).toBe(true);
  });

  it('connects a known template that is not connected to this module, or was disconnected', () => {
    const plan = planSync(
      input({
        values: [value(1, 'ISPsystem__A'), value(2, 'ISPsystem__B')],
        connections: [conn(2, false, 12)],
        upstream: [up('ISPsystem__A', 11), up('ISPsystem__B', 12)],
      }),
    );
    expect(plan.add).toEqual([]);
    expect(plan.connect).toEqual([
      {
        valueId: 1,
        internalName: 'ISPsystem__A',
        upstreamId: 11,
        changes: { upstreamId: { from: null, to: 11 }, clusterIds: { from: null, to: [] } },
        placement: { upstreamId: 11, clusterIds: [], virtualization: null },
      },
      {
        valueId: 2,
        internalName: 'ISPsystem__B',
        upstreamId: 12,
        changes: {},
        placement: { upstreamId: 12, clusterIds: [], virtualization: null },
      },
    ]);
  });

  it('disconnects a connected template that is gone upstream, and never anything else', () => {
    const plan = planSync(
      input({
        values: [value(1, 'ISPsystem__A'), value(2, 'ISPsystem__Gone'), value(3, 'ISPsystem__Elsewhere')],
        connections: [conn(1, true, 11), conn(2, true, 12)],
        upstream: [up('ISPsystem__A', 11)],
      }),
    );
    expect(plan.disconnect).toEqual([{ valueId: 2, internalName: 'ISPsystem__Gone' }]);
    expect(plan.unchanged).toBe(1);
  });

  it('updates what VMmanager owns (minimum disk, upstream id, display name) when it changed', () => {
    const plan = planSync(
      input({
        values: [value(1, 'ISPsystem__A', { minDiskMib: 1000, displayName: 'old' })],
        connections: [conn(1, true, 11)],
        upstream: [up('ISPsystem__A', 99, { minDiskMib: 2000, displayName: 'A' })],
      }),
    );
    expect(plan.update).toEqual([
      {
        valueId: 1,
        internalName: 'ISPsystem__A',
        changes: {
          minDiskMib: { from: 1000, to: 2000 },
          displayName: { from: 'old', to: 'A' },
          upstreamId: { from: 11, to: 99 },
        },
        placement: { upstreamId: 99, clusterIds: [], virtualization: null },
      },
    ]);
  });

  it('leaves a display name an admin chose, and has no way to touch sort or tags', () => {
    const plan = planSync(
      input({
        values: [value(1, 'ISPsystem__A', { displayName: 'My A', displayNameByAdmin: true, sort: 3 })],
        connections: [conn(1, true, 11)],
        upstream: [up('ISPsystem__A', 11, { displayName: 'A', tags: ['new'] })],
      }),
    );
    expect(plan.update).toEqual([]);
    expect(plan.unchanged).toBe(1);
    expect(isEmptyPlan(plan)).toBe(true);
  });

  it('reports a rename with the same upstream id as a candidate and holds the new name for review', () => {
    const plan = planSync(
      input({
        values: [value(1, 'ISPsystem__Debian 12')],
        connections: [conn(1, true, 8206)],
        upstream: [up('ISPsystem__Debian 12 (bookworm)', 8206)],
      }),
    );
    expect(plan.renameCandidates).toEqual([
      {
        reason: 'same_upstream_id',
        from: { valueId: 1, internalName: 'ISPsystem__Debian 12', upstreamId: 8206 },
        to: { valueId: null, internalName: 'ISPsystem__Debian 12 (bookworm)', upstreamId: 8206 },
      },
    ]);
    expect(plan.add[0]).toMatchObject({
      internalName: 'ISPsystem__Debian 12 (bookworm)',
      awaitingReview: true,
    });
    expect(plan.disconnect).toEqual([{ valueId: 1, internalName: 'ISPsystem__Debian 12' }]);
  });

  it('reports a change of letter case only (ISPsystem → ISPSYSTEM) as a case-change candidate', () => {
    const plan = planSync(
      input({
        values: [value(1, 'ISPsystem__Debian 12')],
        connections: [conn(1, true, null)],
        upstream: [up('ISPSYSTEM__Debian 12', 8206)],
      }),
    );
    expect(plan.renameCandidates).toEqual([
      {
        reason: 'case_change',
        from: { valueId: 1, internalName: 'ISPsystem__Debian 12', upstreamId: null },
        to: { valueId: null, internalName: 'ISPSYSTEM__Debian 12', upstreamId: 8206 },
      },
    ]);
    expect(plan.add[0]?.awaitingReview).toBe(true);
  });

  it('also pairs a disappearing template with an existing value that gets connected', () => {
    const plan = planSync(
      input({
        values: [value(1, 'ISPsystem__Debian 12'), value(2, 'ISPSYSTEM__Debian 12')],
        connections: [conn(1, true, 8206)],
        upstream: [up('ISPSYSTEM__Debian 12', 8206)],
      }),
    );
    expect(plan.renameCandidates.map((c) => [c.reason, c.from.valueId, c.to.valueId])).toEqual([
      ['case_change', 1, 2],
    ]);
    expect(plan.connect.map((c) => c.valueId)).toEqual([2]);
  });

  it('treats internal names case-sensitively: both spellings can exist side by side', () => {
    const plan = planSync(
      input({
        values: [value(1, 'ISPsystem__Debian 12')],
        connections: [conn(1, true, 1)],
        upstream: [up('ISPsystem__Debian 12', 1), up('ISPSYSTEM__Debian 12', 2)],
      }),
    );
    expect(plan.add.map((a) => a.internalName)).toEqual(['ISPSYSTEM__Debian 12']);
    expect(plan.add[0]?.awaitingReview).toBe(false);
    expect(plan.renameCandidates).toEqual([]);
  });

  it('keeps the lowest upstream id when VMmanager lists one internal name twice', () => {
    const plan = planSync(input({ upstream: [up('ISPsystem__A', 7), up('ISPsystem__A', 3)] }));
    expect(plan.add.map((a) => a.upstreamId)).toEqual([3]);
    expect(plan.duplicates).toEqual(['ISPsystem__A']);
  });
});

describe('guardPlan', () => {
  const connected = (n: number) => Array.from({ length: n }, (_, i) => conn(i + 1, true, i + 1));
  const values = (n: number) => Array.from({ length: n }, (_, i) => value(i + 1, `R__T${i + 1}`));
  const keep = (n: number) => Array.from({ length: n }, (_, i) => up(`R__T${i + 1}`, i + 1));
  const verdict = (total: number, kept: number, share = 0.5, listed = kept, skipped = 0) => {
    const plan = planSync(
      input({ values: values(total), connections: connected(total), upstream: keep(kept) }),
    );
    return guardPlan(plan, {
      upstreamCount: kept,
      connectedCount: total,
      listedCount: listed,
      skippedCount: skipped,
      maxDisconnectShare: share,
    });
  };

  it('holds an empty upstream list while the module serves templates', () => {
    expect(verdict(4, 0)).toBe('empty_upstream');
  });

  it('lets an empty list through when the module serves nothing yet', () => {
    expect(verdict(0, 0)).toBeNull();
  });

  it('holds a plan that disconnects more than the allowed share, and passes one at the share', () => {
    expect(verdict(4, 2)).toBeNull();
    expect(verdict(4, 1)).toBe('too_many_disconnects');
    expect(verdict(4, 1, 0.75)).toBeNull();
    expect(verdict(10, 9, 0)).toBe('too_many_disconnects');
  });

  it('holds an answer with more than the allowed share of unusable items, even for a module serving nothing', () => {
    expect(verdict(4, 4, 0.5, 10, 5)).toBeNull();
    expect(verdict(4, 4, 0.5, 10, 6)).toBe('too_many_skipped');
    expect(verdict(0, 0, 0.5, 10, 6)).toBe('too_many_skipped');
    expect(verdict(4, 4, 0, 10, 1)).toBe('too_many_skipped');
    expect(verdict(4, 4, 0, 10, 0)).toBeNull();
  });
});
