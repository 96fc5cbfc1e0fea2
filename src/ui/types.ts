/** Shapes of the admin API answers (docs/api.md); the UI only reads what it shows. */

export type TemplateStatus = 'all' | 'some' | 'none';

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

export interface Template {
  id: number;
  parameterId: number;
  displayName: string;
  displayNameByAdmin: boolean;
  internalName: string;
  tags: string[];
  sort: number;
  minDiskMib: number | null;
  disabled: boolean;
  disabledAt: string | null;
  disabledBy: string | null;
  awaitingReview: boolean;
  createdAt: string;
  updatedAt: string;
  retiredAt: string | null;
}

export interface TemplateListItem extends Template {
  status: TemplateStatus;
  orderableTariffCount: number;
  tariffCount: number;
  connectedModuleIds: number[];
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

export interface ModuleHealth {
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastFailureMessage: string | null;
  consecutiveFailures: number;
}

export type NewTemplatePolicy = 'enable' | 'hold';

export interface Module {
  id: number;
  productTypeId: number;
  name: string;
  kind: string;
  url: string;
  adminEmail: string;
  clusterId: number | null;
  sort: number;
  verifyTls: boolean;
  enabled: boolean;
  schedule: string;
  newTemplatePolicy: NewTemplatePolicy;
  guardMaxDisconnectShare: number;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  webhookUrl: string | null;
  health: ModuleHealth;
  createdAt: string;
  updatedAt: string;
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
