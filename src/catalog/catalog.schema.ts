import { Type, type Static } from 'typebox';
import { DisplayName, Id, Sort } from '../shared/primitives.schema.js';

/**
 * The internal name of the parameter whose values are the OS templates (seeded by
 * `drizzle/0001_seed.sql`, which cannot import it).
 */
export const osParameterName = 'ostempl';

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
export interface OsTemplate {
  id: number;
  parameterId: number;
  displayName: string;
  displayNameByAdmin: boolean;
  internalName: string;
  tags: string[];
  sort: number;
  minDiskMib: number | null;
  /** VMmanager's minimum RAM (MiB), null when it does not say; read-only, like the minimum disk. */
  minRamMib: number | null;
  /** VMmanager's OS group (e.g. `ubuntu`), null when it does not say. */
  osGroup: string | null;
  disabled: boolean;
  disabledAt: Date | null;
  disabledBy: string | null;
  awaitingReview: boolean;
  createdAt: Date;
  updatedAt: Date;
  retiredAt: Date | null;
}

/** A template in the admin list: with its status over the product type's tariffs. */
export interface OsTemplateListItem extends OsTemplate {
  status: TemplateStatus;
  orderableTariffCount: number;
  tariffCount: number;
  connectedModuleIds: number[];
}

/** One module as seen from one template. */
export interface TemplateModuleLink {
  moduleId: number;
  moduleName: string;
  moduleEnabled: boolean;
  connected: boolean;
  /** The VMmanager template id in this module's installation. */
  upstreamId: number | null;
  /** False while VMmanager lists it but it cannot be ordered (e.g. state `updating`); why in `unavailableReason`. */
  available: boolean;
  unavailableReason: string | null;
  /** Where this module's installation builds it: the fitting cluster ids, and kvm | lxd (null: unknown). */
  clusterIds: number[] | null;
  virtualization: string | null;
  lastSeenAt: Date | null;
}

/**
 * Why a template cannot be ordered on a tariff, in the order the rule checks them (the first that
 * fails is the answer). The one list: the API schemas and the UI's wording are built from it.
 */
export const notOrderableReasons = [
  'retired',
  'disabled',
  'not_enabled',
  'awaiting_review',
  'not_connected',
  'unavailable',
  'disk_too_small',
  'ram_too_small',
] as const;
export type NotOrderableReason = (typeof notOrderableReasons)[number];

/** One tariff as seen from one template. */
export interface TemplateTariffLink {
  tariffId: number;
  tariffName: string;
  /** The admin's explicit decision on this tariff, or null when none was made. */
  explicit: boolean | null;
  /** Enabled on this tariff: the explicit decision, else the default (not awaiting review). */
  enabled: boolean;
  orderable: boolean;
  reason: NotOrderableReason | null;
}

export interface OsTemplateDetail extends OsTemplate {
  status: TemplateStatus;
  modules: TemplateModuleLink[];
  tariffs: TemplateTariffLink[];
}
