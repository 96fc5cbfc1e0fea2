import type { NotOrderableReason, TemplateStatus } from './catalog.schema.js';

/** A new order, or a reinstall of an existing service (which may keep a deprecated template). */
export type OrderPurpose = 'order' | 'reinstall';

/** The facts about one template on one tariff that decide whether it can be ordered there. */
export interface OrderableFacts {
  retired: boolean;
  disabled: boolean;
  /** Deprecated by an admin (or by its EOL date passing): still offered for reinstalls. */
  deprecated: boolean;
  awaitingReview: boolean;
  /** The admin's explicit decision on this tariff, or null. */
  explicit: boolean | null;
  /** Connected to at least one (enabled) module that the tariff uses. */
  connectedToTariffModule: boolean;
  /**
   * Connected and available on one of them: VMmanager lists it usable. A template it lists in
   * another state (e.g. `updating`) stays connected but cannot be ordered meanwhile.
   */
  availableOnTariffModule: boolean;
  minDiskMib: number | null;
  tariffDiskMib: number | null;
  minRamMib: number | null;
  tariffRamMib: number | null;
}

/**
 * The orderable rule for one template on one tariff: enabled on the tariff (explicitly, or by
 * default and not awaiting review), not retired or admin-disabled, connected to one of the
 * tariff's enabled modules and available there, not deprecated (for a new order; a reinstall may
 * keep a deprecated one), minimum disk ≤ the tariff's disk and minimum RAM ≤
 * the tariff's RAM when both sides are known (an unknown minimum fits). The same
 * rule, set-based, is `orderable.sql.ts:orderabilityOf`; the detail view and the sync's impact
 * report call this one. `tariffs/orderable.test.ts` proves the two agree on every case.
 */
export function decideOrderable(
  facts: OrderableFacts,
  purpose: OrderPurpose = 'order',
): {
  orderable: boolean;
  reason: NotOrderableReason | null;
} {
  const reason = firstFailedCondition(facts, purpose);
  return { orderable: reason === null, reason };
}

/** `decideOrderable(facts).orderable` without building an answer: the impact report asks it per tariff × template. */
export const isOrderable = (facts: OrderableFacts): boolean => firstFailedCondition(facts, 'order') === null;

/** Enabled on the tariff: the admin's explicit decision, else the default (not awaiting review). */
export const enabledOnTariff = (facts: Pick<OrderableFacts, 'explicit' | 'awaitingReview'>): boolean =>
  facts.explicit ?? !facts.awaitingReview;

/*
 * The conditions in order; the first that fails is the reason. To add one (lifecycle …): add its fact to `OrderableFacts` (the compiler then names every place that builds facts),
 * its `if` here at its place in the order with a new `NotOrderableReason`, and the same `when`
 * in `orderabilityOf`.
 */
function firstFailedCondition(facts: OrderableFacts, purpose: OrderPurpose): NotOrderableReason | null {
  if (facts.retired) return 'retired';
  if (facts.disabled) return 'disabled';
  if (facts.deprecated && purpose === 'order') return 'deprecated';
  if (!enabledOnTariff(facts)) return facts.explicit === false ? 'not_enabled' : 'awaiting_review';
  if (!facts.connectedToTariffModule) return 'not_connected';
  if (!facts.availableOnTariffModule) return 'unavailable';
  if (facts.minDiskMib !== null && facts.tariffDiskMib !== null && facts.minDiskMib > facts.tariffDiskMib) {
    return 'disk_too_small';
  }
  if (facts.minRamMib !== null && facts.tariffRamMib !== null && facts.minRamMib > facts.tariffRamMib) {
    return 'ram_too_small';
  }
  return null;
}

/** Status of a template over the tariffs of its product type: all, some or none of them. */
export function statusOf(orderableTariffCount: number, tariffCount: number): TemplateStatus {
  if (orderableTariffCount === 0) return 'none';
  return orderableTariffCount >= tariffCount ? 'all' : 'some';
}
