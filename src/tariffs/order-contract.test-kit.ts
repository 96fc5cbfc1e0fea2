import fc from 'fast-check';

// The steps of the order-contract property test (order-contract.property.test.ts): changes in
// VMmanager, admin decisions in the catalog, and syncs. Indexes pick among what exists when the
// step runs (modulo its count), so every sequence is valid and shrinks well.

const clusters = fc.subarray([1, 2, 3], { minLength: 1 });
const minDisk = fc.constantFrom(null, 2048, 10240, 40960);
const minRam = fc.constantFrom(256, 1024, 4096);
const state = fc.constantFrom('active', 'active', 'updating');
const index = fc.nat({ max: 20 });
const tariff = fc.constantFrom(0, 1);

/** A change VMmanager makes to its catalog. */
export type UpstreamStep =
  | {
      kind: 'add';
      lxd: boolean;
      clusters: number[];
      state: string;
      adminonly: boolean;
      hdd: number | null;
      ram: number;
    }
  | { kind: 'remove'; at: number }
  | { kind: 'move'; at: number; clusters: number[] }
  | { kind: 'state'; at: number; state: string }
  | { kind: 'adminonly'; at: number; adminonly: boolean }
  | { kind: 'min_disk'; at: number; hdd: number | null }
  | { kind: 'min_ram'; at: number; ram: number };

/** A decision an admin makes in the catalog. */
export type AdminStep =
  | { kind: 'disable'; at: number; disabled: boolean }
  | { kind: 'on_tariff'; at: number; tariff: number; enabled: boolean }
  | { kind: 'deprecate'; at: number; eolAhead: boolean }
  | { kind: 'undeprecate'; at: number }
  | { kind: 'tariff_sizes'; tariff: number; disk: number; ram: number };

export type Step = UpstreamStep | AdminStep | { kind: 'sync' };

const addStep = fc.record({
  kind: fc.constant('add' as const),
  lxd: fc.boolean(),
  clusters,
  state,
  adminonly: fc.oneof(
    { weight: 4, arbitrary: fc.constant(false) },
    { weight: 1, arbitrary: fc.constant(true) },
  ),
  hdd: minDisk,
  ram: minRam,
});

const upstreamStep: fc.Arbitrary<UpstreamStep> = fc.oneof(
  addStep,
  fc.record({ kind: fc.constant('remove' as const), at: index }),
  fc.record({ kind: fc.constant('move' as const), at: index, clusters }),
  fc.record({ kind: fc.constant('state' as const), at: index, state }),
  fc.record({ kind: fc.constant('adminonly' as const), at: index, adminonly: fc.boolean() }),
  fc.record({ kind: fc.constant('min_disk' as const), at: index, hdd: minDisk }),
  fc.record({ kind: fc.constant('min_ram' as const), at: index, ram: minRam }),
);

const adminStep: fc.Arbitrary<AdminStep> = fc.oneof(
  fc.record({ kind: fc.constant('disable' as const), at: index, disabled: fc.boolean() }),
  fc.record({ kind: fc.constant('on_tariff' as const), at: index, tariff, enabled: fc.boolean() }),
  fc.record({ kind: fc.constant('deprecate' as const), at: index, eolAhead: fc.boolean() }),
  fc.record({ kind: fc.constant('undeprecate' as const), at: index }),
  fc.record({
    kind: fc.constant('tariff_sizes' as const),
    tariff,
    disk: fc.constantFrom(5120, 20480, 40960),
    ram: fc.constantFrom(512, 1024, 4096),
  }),
);

/** A sequence of steps: mostly VMmanager changes, some admin edits, and syncs between them. */
export const stepsArbitrary: fc.Arbitrary<Step[]> = fc.array(
  fc.oneof(
    { weight: 5, arbitrary: upstreamStep },
    { weight: 3, arbitrary: adminStep },
    { weight: 2, arbitrary: fc.constant({ kind: 'sync' as const }) },
  ),
  { minLength: 1, maxLength: 14 },
);

/** The templates VMmanager starts with: 2 to 5 fresh ones. */
export const initialArbitrary = fc.array(addStep, { minLength: 2, maxLength: 5 });

const adminKinds: ReadonlySet<Step['kind']> = new Set([
  'disable',
  'on_tariff',
  'deprecate',
  'undeprecate',
  'tariff_sizes',
]);

/** True for the steps an admin takes. */
export const isAdminStep = (step: Step): step is AdminStep => adminKinds.has(step.kind);
