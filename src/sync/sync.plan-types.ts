import type { GuardReason } from './sync.guard.js';

// The shapes of a sync plan (its input, its diff); `sync.plan.ts` computes them.

/** One template of a module's upstream set, parsed and named the catalog's way. */
export interface UpstreamTemplate {
  upstreamId: number;
  internalName: string;
  displayName: string;
  minDiskMib: number | null;
  /** VMmanager's `min_ram_mib`; null when it does not say (older installations). */
  minRamMib: number | null;
  /** VMmanager's `os_group` (e.g. `ubuntu`); null when it does not say. */
  osGroup: string | null;
  tags: string[];
  /** Where the module's installation builds it: its fitting clusters, and kvm | lxd (null: unknown). */
  clusterIds: number[];
  virtualization: 'kvm' | 'lxd' | null;
  /** False when VMmanager lists it but it cannot be ordered now (e.g. state `updating`). */
  available: boolean;
  unavailableReason: string | null;
}

/**
 * An item of VMmanager's list that could not be used (no name, wrong types, …). Its connection, if
 * one matches its upstream id or internal name, is kept as it is: a broken answer never disconnects.
 */
export interface SkippedTemplate {
  upstreamId: number | null;
  name: string | null;
  /** `<repository>__<name>` when both could be read. */
  internalName: string | null;
  reason: string;
}

/** What one fetch gives the plan: the module's templates, the skipped items, how many were listed. */
export interface UpstreamSet {
  templates: UpstreamTemplate[];
  skipped: SkippedTemplate[];
  /** Items in VMmanager's answer, whatever the module's cluster (the skipped share is of these). */
  listed: number;
}

/** What the plan needs to know about one value of the module's OS parameter. */
export interface CatalogValue {
  id: number;
  internalName: string;
  displayName: string;
  displayNameByAdmin: boolean;
  minDiskMib: number | null;
  minRamMib: number | null;
  osGroup: string | null;
  sort: number;
}

/** The module's connection to one value, as stored. */
export interface CatalogConnection {
  valueId: number;
  connected: boolean;
  upstreamId: number | null;
  available: boolean;
  unavailableReason: string | null;
  clusterIds: number[] | null;
  virtualization: string | null;
}

export interface PlanInput {
  values: CatalogValue[];
  connections: CatalogConnection[];
  upstream: UpstreamTemplate[];
  /** Items VMmanager listed but we could not use: their connections are kept as they are. */
  skipped?: SkippedTemplate[];
  policy: 'enable' | 'hold';
}

/** A change of one VMmanager-owned field. */
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
  /** Connection fields: where the module's installation builds it, and availability coming back. */
  clusterIds?: FieldChange<number[] | null>;
  virtualization?: FieldChange<string | null>;
  available?: FieldChange<boolean>;
}

/** What a sync writes on a module's connection to a template it offers. */
export interface ConnectionPlacement {
  upstreamId: number;
  clusterIds: number[];
  virtualization: 'kvm' | 'lxd' | null;
}

export interface PlannedAdd {
  internalName: string;
  displayName: string;
  minDiskMib: number | null;
  minRamMib: number | null;
  osGroup: string | null;
  tags: string[];
  sort: number;
  upstreamId: number;
  clusterIds: number[];
  virtualization: 'kvm' | 'lxd' | null;
  /** True under policy `hold`, and for the new side of a rename candidate. */
  awaitingReview: boolean;
}

export interface PlannedConnect {
  valueId: number;
  internalName: string;
  upstreamId: number;
  changes: FieldChanges;
  placement: ConnectionPlacement;
}

export interface PlannedUpdate {
  valueId: number;
  internalName: string;
  changes: FieldChanges;
  placement: ConnectionPlacement;
}

/**
 * A template VMmanager lists for the module but that cannot be ordered now. Its connection is
 * kept (never disconnected) and marked unavailable; nothing new is added or connected for it.
 */
export interface PlannedUnavailable {
  /** The catalog value, when there is one (null in a run that was not re-planned). */
  valueId: number | null;
  internalName: string;
  upstreamId: number;
  reason: string;
  /** True when its connection is written now: it became unavailable, or for another reason. */
  changed: boolean;
}

export interface PlannedDisconnect {
  valueId: number;
  internalName: string;
}

export type RenameReason = 'case_change' | 'same_upstream_id';

/** A template that seems to have been renamed upstream: reported, never remapped silently. */
export interface RenameCandidate {
  reason: RenameReason;
  from: { valueId: number; internalName: string; upstreamId: number | null };
  to: { valueId: number | null; internalName: string; upstreamId: number };
}

/** One tariff that gains or loses orderable templates; names are capped, counts are not. */
export interface TariffImpact {
  tariffId: number;
  tariffName: string;
  gained: number;
  lost: number;
  gainedTemplates: string[];
  lostTemplates: string[];
}

/** The diff of one sync of one module (JSON-serialisable; stored with the run). */
export interface SyncPlan {
  add: PlannedAdd[];
  connect: PlannedConnect[];
  update: PlannedUpdate[];
  disconnect: PlannedDisconnect[];
  /** Listed, connection kept, not orderable now (`counts.unavailable`). */
  unavailable: PlannedUnavailable[];
  unchanged: number;
  renameCandidates: RenameCandidate[];
  /** Internal names VMmanager listed more than once (the lowest upstream id is used). */
  duplicates: string[];
  /** Items VMmanager listed that could not be used, with why (the first `skippedListLimit`). */
  skipped: SkippedTemplate[];
  impact: TariffImpact[];
  /** Set when the guard held the plan. */
  guard: { reason: GuardReason; message: string } | null;
  /**
   * True when the run was not re-planned: the upstream set and the catalog revision were those
   * of the module's last run with nothing to do (see `unchangedPlan`).
   */
  shortcut?: boolean;
}
