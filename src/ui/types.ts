/** Shapes of the admin API answers (docs/api.md); the UI only reads what it shows. */
import type { OsTemplate, OsTemplateListItem, TemplateStatus } from '../catalog/catalog.schema.js';
import type { ProcessingModule } from '../modules/modules.schema.js';

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

export interface Admin {
  id: number;
  email: string;
}

export interface Session {
  admin: Admin;
  csrfToken: string;
  expiresAt: string;
}

export interface ProductType {
  id: number;
  name: string;
}

export interface Parameter {
  id: number;
  name: string;
  internalName: string;
}

export type NotOrderableReason =
  'retired' | 'disabled' | 'not_enabled' | 'awaiting_review' | 'not_connected' | 'disk_too_small';

export interface TemplateDetail extends Template {
  status: TemplateStatus;
  modules: {
    moduleId: number;
    moduleName: string;
    moduleEnabled: boolean;
    connected: boolean;
    upstreamId: number | null;
    lastSeenAt: string | null;
  }[];
  tariffs: {
    tariffId: number;
    tariffName: string;
    explicit: boolean | null;
    enabled: boolean;
    orderable: boolean;
    reason: NotOrderableReason | null;
  }[];
}

export interface Tariff {
  id: number;
  productTypeId: number;
  name: string;
  diskMib: number | null;
  moduleIds: number[];
  clonedFromId: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface OrderableItem {
  id: number;
  displayName: string;
  internalName: string;
  minDiskMib: number | null;
  sort: number;
  moduleId?: number;
  moduleName?: string;
}

export type ConnectionTest =
  | {
      ok: true;
      user: Record<string, unknown>;
      clusters: { id: number; name: string }[];
      clusterFound: boolean | null;
    }
  | { ok: false; reason: string; message: string };

export type SyncOutcome = 'running' | 'applied' | 'no_change' | 'held' | 'failed' | 'dry_run';

export interface FieldChange<T> {
  from: T;
  to: T;
}

export interface FieldChanges {
  minDiskMib?: FieldChange<number | null>;
  minRamMib?: FieldChange<number | null>;
  osGroup?: FieldChange<string | null>;
  displayName?: FieldChange<string>;
  upstreamId?: FieldChange<number | null>;
}

/** The diff of one sync (the sync engine's plan, stored with the run). */
export interface SyncPlan {
  add: { internalName: string; displayName: string; minDiskMib: number | null; awaitingReview: boolean }[];
  connect: { valueId: number; internalName: string; changes: FieldChanges }[];
  update: { valueId: number; internalName: string; changes: FieldChanges }[];
  disconnect: { valueId: number; internalName: string }[];
  unchanged: number;
  renameCandidates: {
    reason: string;
    from: { valueId: number; internalName: string };
    to: { valueId: number | null; internalName: string };
  }[];
  duplicates: string[];
  /** Items VMmanager listed that could not be used (absent in runs recorded before they were kept). */
  skipped?: { upstreamId: number | null; name: string | null; internalName: string | null; reason: string }[];
  impact: {
    tariffId: number;
    tariffName: string;
    gained: number;
    lost: number;
    gainedTemplates: string[];
    lostTemplates: string[];
  }[];
  guard: { reason: string; message: string } | null;
}

export interface SyncRun {
  runId: number;
  moduleId: number;
  trigger: string;
  outcome: SyncOutcome;
  counts: Record<string, number> | null;
  diff?: SyncPlan | null;
  guardReason: string | null;
  guardMessage?: string | null;
  error: { code: string; message: string } | null;
  heldState: 'pending' | 'applied' | 'discarded' | 'superseded' | null;
  heldResolvedBy?: string | null;
  appliedFromRunId?: number | null;
  actor: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface RenameCandidate {
  moduleId: number;
  reason: string;
  from: { valueId: number; internalName: string; displayName: string; upstreamId: number | null };
  to: { valueId: number; internalName: string; displayName: string; upstreamId: number | null };
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  objectType: string;
  objectId: string | number | null;
  before: unknown;
  after: unknown;
}

export interface Items<T> {
  items: T[];
}
