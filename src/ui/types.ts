/** Shapes of the admin API answers (docs/api.md); the UI only reads what it shows. */
import type {
  NotOrderableReason,
  OsTemplate,
  Parameter,
  ProductType,
  OsTemplateDetail,
  OsTemplateListItem,
  TemplateStatus,
} from '../catalog/catalog.schema.js';
import type { FieldChange, FieldChanges, SyncPlan as ServerSyncPlan } from '../sync/sync.plan-types.js';
import type { ModuleConnectionTest, ProcessingModule } from '../modules/modules.schema.js';
import type { AuditRecord } from '../audit/audit.schema.js';
import type { SessionInfo } from '../auth/auth.schema.js';
import type { StoredRenameCandidate, SyncRunSummary } from '../sync/sync.schema.js';
import type { OrderableTemplate, StorefrontOs, Tariff as ServerTariff } from '../tariffs/tariffs.schema.js';
import type {
  DeliveryState,
  WebhookDelivery as ServerWebhookDelivery,
  WebhookEndpoint as ServerWebhookEndpoint,
  WebhookEndpointWithSecret as ServerWebhookEndpointWithSecret,
  WebhookEventType,
} from '../webhooks/webhooks.schema.js';

export type { TemplateStatus };
export type { NewTemplatePolicy } from '../modules/modules.schema.js';

/** A server type as it arrives over JSON: dates become ISO strings. */
export type Jsonified<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Jsonified<U>[]
    : T extends object
      ? { [K in keyof T]: Jsonified<T[K]> }
      : T;

export type Template = Jsonified<OsTemplate>;
export type TemplateListItem = Jsonified<OsTemplateListItem>;
export type Module = Jsonified<ProcessingModule>;
export type ModuleHealth = Module['health'];

export type Session = Jsonified<SessionInfo>;

export type { Parameter, ProductType };

export type { NotOrderableReason };

export type TemplateDetail = Jsonified<OsTemplateDetail>;

export type Tariff = Jsonified<ServerTariff>;

/** An OS list entry: the storefront's, or the admin order list's with the module that builds it. */
export type OrderableItem = StorefrontOs & Partial<Pick<OrderableTemplate, 'moduleId' | 'moduleName'>>;

/** A connection test's outcome (`ok` tells which fields are there), with the address it tested. */
export type ConnectionTest = Jsonified<ModuleConnectionTest>;

export type { FieldChange, FieldChanges };

/** The diff of one sync: the sync engine's plan as stored with the run (older runs are read with empty new lists). */
export type SyncPlan = Jsonified<ServerSyncPlan>;

/** One recorded run; lists leave out `diff`. */
export type SyncRun = Jsonified<SyncRunSummary> & { diff?: SyncPlan | null };

export type RenameCandidate = Jsonified<StoredRenameCandidate>;

export type AuditEntry = Jsonified<AuditRecord>;

export interface Items<T> {
  items: T[];
}

export type { DeliveryState, WebhookEventType };

/** A storefront webhook endpoint (never its secret). */
export type WebhookEndpoint = Jsonified<ServerWebhookEndpoint>;

/** The answer of register and rotate: the signing secret is in it this once. */
export type WebhookEndpointWithSecret = Jsonified<ServerWebhookEndpointWithSecret>;

/** One line of an endpoint's delivery log. */
export type WebhookDelivery = Jsonified<ServerWebhookDelivery>;
