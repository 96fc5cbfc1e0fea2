import { describe, expect, it } from 'vitest';
import { judgeImpact } from './sync.impact.js';
import type { ImpactFacts } from './sync-impact.repository.js';
import type { PlannedAdd } from './sync.plan.js';

const value = (id: number, extra: Partial<ImpactFacts['values'][number]> = {}) => ({
  id,
  internalName: `repo__os${id}`,
  retired: false,
  disabled: false,
  deprecated: false,
  awaitingReview: false,
  minDiskMib: 10240,
  minRamMib: null,
  servingHere: true,
  ...extra,
});

const facts = (extra: Partial<ImpactFacts> = {}): ImpactFacts => ({
  moduleEnabled: true,
  tariffs: [
    { id: 1, name: 'Small', diskMib: 5120, ramMib: null },
    { id: 2, name: 'Big', diskMib: 20480, ramMib: 1024 },
    { id: 3, name: 'Any', diskMib: null, ramMib: null },
  ],
  values: [value(1), value(2)],
  settings: [],
  otherServing: [],
  otherModules: [],
  ...extra,
});

const add = (name: string, minDiskMib: number | null, minRamMib: number | null = null): PlannedAdd => ({
  internalName: name,
  displayName: name,
  minDiskMib,
  minRamMib,
  osGroup: null,
  clusterIds: [1],
  virtualization: 'kvm',
  tags: [],
  sort: 100,
  upstreamId: 9,
  awaitingReview: false,
});

describe('the impact of a plan on tariffs', () => {
  it('lists the tariffs that lose a disconnected template, where its disk fits', () => {
    const impact = judgeImpact(facts(), [{ valueId: 1, serving: false }], []);
    expect(impact.map((i) => [i.tariffId, i.lost, i.lostTemplates])).toEqual([
      [2, 1, ['repo__os1']],
      [3, 1, ['repo__os1']],
    ]);
  });

  it('counts nothing where an admin disabled the template on the tariff, or another module still serves it', () => {
    const impact = judgeImpact(
      facts({ settings: [[2, 1, false]], otherServing: [[7, 1]], otherModules: [[3, 7]] }),
      [{ valueId: 1, serving: false }],
      [],
    );
    expect(impact).toEqual([]);
  });

  it('counts a tariff an admin enabled an awaiting template on, and a new minimum disk that stops fitting', () => {
    const impact = judgeImpact(
      facts({ values: [value(1, { awaitingReview: true, servingHere: false }), value(2)] }),
      [
        { valueId: 1, serving: true },
        { valueId: 2, serving: true, minDiskAfter: { to: 40960 } },
      ],
      [],
    );
    expect(impact.map((i) => [i.tariffId, i.gained, i.lost])).toEqual([[2, 0, 1]]);
    const enabled = judgeImpact(
      facts({ values: [value(1, { awaitingReview: true, servingHere: false })], settings: [[3, 1, true]] }),
      [{ valueId: 1, serving: true }],
      [],
    );
    expect(enabled.map((i) => [i.tariffId, i.gained, i.gainedTemplates])).toEqual([[3, 1, ['repo__os1']]]);
  });

  it('adds offered new templates where they fit, after the existing names, and none when the module is off', () => {
    const offered = [add('repo__new', 8192), add('repo__tiny', null)];
    const impact = judgeImpact(facts(), [], offered);
    expect(impact.map((i) => [i.tariffId, i.gained, i.gainedTemplates])).toEqual([
      [1, 1, ['repo__tiny']],
      [2, 2, ['repo__new', 'repo__tiny']],
      [3, 2, ['repo__new', 'repo__tiny']],
    ]);
    expect(judgeImpact(facts({ moduleEnabled: false }), [], offered)).toEqual([]);
  });

  it('judges the minimum RAM against the RAM of each tariff: a new minimum that stops fitting loses, an unknown one fits', () => {
    const impact = judgeImpact(
      facts(),
      [
        { valueId: 1, serving: true, minRamAfter: { to: 2048 } },
        { valueId: 2, serving: true, minRamAfter: { to: null } },
      ],
      [],
    );
    // Only tariff 2 says how much RAM it has; value 2 had no minimum, so nothing changes for it.
    expect(impact.map((i) => [i.tariffId, i.lost, i.lostTemplates])).toEqual([[2, 1, ['repo__os1']]]);
    const adds = judgeImpact(
      facts(),
      [],
      [add('repo__big-ram', null, 4096), add('repo__small-ram', null, 512)],
    );
    expect(adds.map((i) => [i.tariffId, i.gainedTemplates])).toEqual([
      [1, ['repo__big-ram', 'repo__small-ram']],
      [2, ['repo__small-ram']],
      [3, ['repo__big-ram', 'repo__small-ram']],
    ]);
  });
});
