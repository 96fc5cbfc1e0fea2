import { Type, type Static } from 'typebox';
import { DateTime, DisplayName, Id, IdList, NullableInt } from '../shared/primitives.schema.js';

export const DiskMib = Type.Integer({ minimum: 1, maximum: 1073741824 });
/** A tariff's (or a customer's) RAM in MiB: up to 16 TiB. */
export const RamMib = Type.Integer({ minimum: 1, maximum: 16777216 });

export const TariffCreate = Type.Object(
  {
    name: DisplayName,
    productTypeId: Type.Optional(Id),
    diskMib: Type.Optional(Type.Union([DiskMib, Type.Null()])),
    ramMib: Type.Optional(Type.Union([RamMib, Type.Null()])),
    moduleIds: Type.Optional(Type.Array(Id, { maxItems: 1000, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type TariffCreate = Static<typeof TariffCreate>;

export const TariffUpdate = Type.Object(
  {
    name: Type.Optional(DisplayName),
    diskMib: Type.Optional(Type.Union([DiskMib, Type.Null()])),
    ramMib: Type.Optional(Type.Union([RamMib, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type TariffUpdate = Static<typeof TariffUpdate>;

export const TariffClone = Type.Object(
  {
    name: Type.Optional(DisplayName),
    moduleIds: Type.Optional(Type.Array(Id, { maxItems: 1000, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type TariffClone = Static<typeof TariffClone>;

export const ModuleIds = Type.Array(Id, { maxItems: 1000, uniqueItems: true });
export { IdList };

/** A tariff plan with the modules it uses. */
export const Tariff = Type.Object({
  id: Type.Integer(),
  productTypeId: Type.Integer(),
  name: Type.String(),
  diskMib: NullableInt,
  /** The RAM (MiB) a service on this tariff gets; null when the tariff does not say. */
  ramMib: NullableInt,
  moduleIds: Type.Array(Type.Integer()),
  clonedFromId: NullableInt,
  createdAt: DateTime,
  updatedAt: DateTime,
});
export type Tariff = Static<typeof Tariff>;

/** A template's lifecycle as storefronts see it; null while the template is active. */
export const StorefrontLifecycle = Type.Union([
  Type.Null(),
  Type.Object({
    state: Type.Union([Type.Literal('deprecating'), Type.Literal('deprecated')], {
      description: 'deprecating: still offered for new orders until eolAt; deprecated: only for reinstalls',
    }),
    eolAt: Type.Unsafe<string | null>({ type: ['string', 'null'], format: 'date-time' }),
    replacement: Type.Union([
      Type.Null(),
      Type.Object({ id: Type.Integer(), internalName: Type.String(), displayName: Type.String() }),
    ]),
  }),
]);
export type StorefrontLifecycle = Exclude<Static<typeof StorefrontLifecycle>, null>;

/** One entry of a tariff's storefront OS list (what a customer may pick). */
const storefrontOsFields = {
  id: Type.Integer(),
  displayName: Type.String(),
  internalName: Type.String({ description: 'Stable: what an order names (BILLmanager `ostempl`)' }),
  sort: Type.Integer(),
  minDiskMib: NullableInt,
  minRamMib: NullableInt,
  osGroup: Type.Unsafe<string | null>({
    type: ['string', 'null'],
    description: "VMmanager's os_group, e.g. ubuntu",
  }),
  virtualization: Type.Unsafe<string | null>({
    type: ['string', 'null'],
    description: 'What the building module runs it on: kvm | lxd | null (unknown)',
  }),
  lifecycle: StorefrontLifecycle,
};
export const StorefrontOs = Type.Object(storefrontOsFields);
export type StorefrontOs = Static<typeof StorefrontOs>;

/** One entry of a tariff's order-form OS list. */
export const OrderableTemplate = Type.Object({
  ...storefrontOsFields,
  /** The module that would build it: the tariff's lowest-sort module that has it connected. */
  moduleId: Type.Integer(),
  moduleName: Type.String(),
});
export type OrderableTemplate = Static<typeof OrderableTemplate>;
