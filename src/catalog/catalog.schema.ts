import { Type, type Static } from 'typebox';
import {
  DateTime,
  DisplayName,
  Id,
  NullableBool,
  NullableDateTime,
  NullableInt,
  NullableString,
  Sort,
} from '../shared/primitives.schema.js';

/**
 * The internal name of the parameter whose values are the OS templates (seeded by
 * `drizzle/0001_seed.sql`, which cannot import it).
 */
export const osParameterName = 'ostempl';

/** A product type (VPS, …), as the API lists it. */
export const ProductType = Type.Object({ id: Type.Integer(), name: Type.String() });
export type ProductType = Static<typeof ProductType>;

/** One parameter of a product type (the OS templates are the values of `ostempl`). */
export const Parameter = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  internalName: Type.String(),
});
export type Parameter = Static<typeof Parameter>;

export const Tag = Type.String({ minLength: 1, maxLength: 64, pattern: '^\\S(.*\\S)?$' });
export const Tags = Type.Array(Tag, { maxItems: 50, uniqueItems: true });

export const TemplateStatus = Type.Union([Type.Literal('all'), Type.Literal('some'), Type.Literal('none')]);
export type TemplateStatus = Static<typeof TemplateStatus>;

/** What an admin may edit on a template; the minimum disk and RAM are not here on purpose (sync owns them). */
export const TemplateEdit = Type.Object(
  {
    displayName: Type.Optional(DisplayName),
    sort: Type.Optional(Sort),
    tags: Type.Optional(Tags),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type TemplateEdit = Static<typeof TemplateEdit>;

export const Reorder = Type.Array(Type.Object({ id: Id, sort: Sort }, { additionalProperties: false }), {
  minItems: 1,
  maxItems: 10000,
});
export type Reorder = Static<typeof Reorder>;

/** One OS template (a value of the `ostempl` parameter). */
const osTemplateFields = {
  id: Type.Integer(),
  parameterId: Type.Integer(),
  displayName: Type.String(),
  displayNameByAdmin: Type.Boolean(),
  internalName: Type.String(),
  tags: Type.Array(Type.String()),
  sort: Type.Integer(),
  minDiskMib: NullableInt,
  /** VMmanager's minimum RAM (MiB), null when it does not say; read-only, like the minimum disk. */
  minRamMib: NullableInt,
  /** VMmanager's OS group (e.g. `ubuntu`), null when it does not say. */
  osGroup: NullableString,
  disabled: Type.Boolean(),
  disabledAt: NullableDateTime,
  disabledBy: NullableString,
  awaitingReview: Type.Boolean(),
  createdAt: DateTime,
  updatedAt: DateTime,
  retiredAt: NullableDateTime,
  /** Deprecated since (not offered for new orders, still for reinstalls); null: not deprecated. */
  deprecatedAt: NullableDateTime,
  deprecatedBy: NullableString,
  /** The end-of-life date; in the future while `deprecatedAt` is null: deprecating on that date. */
  eolAt: NullableDateTime,
  /** The template customers should move to, when the admin named one. */
  replacementId: NullableInt,
  /** active → deprecating (an EOL date ahead) → deprecated; retired is `retiredAt`. */
  lifecycle: Type.Union([Type.Literal('active'), Type.Literal('deprecating'), Type.Literal('deprecated')]),
};
export const OsTemplate = Type.Object(osTemplateFields);
export type OsTemplate = Static<typeof OsTemplate>;

export type Lifecycle = OsTemplate['lifecycle'];

/** What an admin gives to deprecate a template: an EOL date (now when absent) and a replacement. */
export const TemplateDeprecate = Type.Object(
  {
    eolAt: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'The end-of-life date: in the future, the template is deprecating until then',
      }),
    ),
    replacementId: Type.Optional(Type.Union([Id, Type.Null()])),
  },
  { additionalProperties: false },
);
export type TemplateDeprecate = Static<typeof TemplateDeprecate>;

/** A template in the admin list: with its status over the product type's tariffs. */
export const OsTemplateListItem = Type.Object({
  ...osTemplateFields,
  status: TemplateStatus,
  orderableTariffCount: Type.Integer(),
  tariffCount: Type.Integer(),
  connectedModuleIds: Type.Array(Type.Integer()),
});
export type OsTemplateListItem = Static<typeof OsTemplateListItem>;

/** One module as seen from one template. */
export const TemplateModuleLink = Type.Object({
  moduleId: Type.Integer(),
  moduleName: Type.String(),
  moduleEnabled: Type.Boolean(),
  connected: Type.Boolean(),
  /** The VMmanager template id in this module's installation. */
  upstreamId: NullableInt,
  /** False while VMmanager lists it but it cannot be ordered (e.g. state `updating`); why in `unavailableReason`. */
  available: Type.Boolean(),
  unavailableReason: NullableString,
  /** Where this module's installation builds it: the fitting cluster ids, and kvm | lxd (null: unknown). */
  clusterIds: Type.Unsafe<number[] | null>({ type: ['array', 'null'], items: { type: 'integer' } }),
  virtualization: NullableString,
  lastSeenAt: NullableDateTime,
});
export type TemplateModuleLink = Static<typeof TemplateModuleLink>;

/**
 * Why a template cannot be ordered on a tariff, in the order the rule checks them (the first that
 * fails is the answer). The one list: the API schemas and the UI's wording are built from it.
 */
export const notOrderableReasons = [
  'retired',
  'disabled',
  'deprecated',
  'not_enabled',
  'awaiting_review',
  'not_connected',
  'unavailable',
  'disk_too_small',
  'ram_too_small',
] as const;
export type NotOrderableReason = (typeof notOrderableReasons)[number];

/** One tariff as seen from one template. */
export const TemplateTariffLink = Type.Object({
  tariffId: Type.Integer(),
  tariffName: Type.String(),
  /** The admin's explicit decision on this tariff, or null when none was made. */
  explicit: NullableBool,
  /** Enabled on this tariff: the explicit decision, else the default (not awaiting review). */
  enabled: Type.Boolean(),
  orderable: Type.Boolean(),
  reason: Type.Unsafe<NotOrderableReason | null>({
    type: ['string', 'null'],
    enum: [...notOrderableReasons, null],
  }),
});
export type TemplateTariffLink = Static<typeof TemplateTariffLink>;

export const OsTemplateDetail = Type.Object({
  ...osTemplateFields,
  status: TemplateStatus,
  modules: Type.Array(TemplateModuleLink),
  tariffs: Type.Array(TemplateTariffLink),
});
export type OsTemplateDetail = Static<typeof OsTemplateDetail>;
