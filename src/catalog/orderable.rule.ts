import type { NotOrderableReason, TemplateStatus } from './catalog.schema.js';

/** The facts about one template on one tariff that decide whether it can be ordered there. */
export interface OrderableFacts {
  retired: boolean;
  disabled: boolean;
  awaitingReview: boolean;
  /** The admin's explicit decision on this tariff, or null. */
  explicit: boolean | null;
  /** Connected to at least one (enabled) module that the tariff uses. */
  connectedToTariffModule: boolean;
  minDiskMib: number | null;
  tariffDiskMib: number | null;
}

/**
 * The orderable rule: enabled on the tariff (explicitly, or by default and not awaiting review),
 * not admin-disabled, connected to one of the tariff's modules, and minimum disk ≤ the tariff's
 * disk when both are known. The SQL in `tariffs.repository.ts` is the same rule, set-based.
 */
export function decideOrderable(facts: OrderableFacts): {
  orderable: boolean;
  reason: NotOrderableReason | null;
} {
  const reason = firstFailedCondition(facts);
  return { orderable: reason === null, reason };
}

function firstFailedCondition(facts: OrderableFacts): NotOrderableReason | null {
  if (facts.retired) return 'retired';
  if (facts.disabled) return 'disabled';
  if (facts.explicit === false) return 'not_enabled';
  if (facts.explicit === null && facts.awaitingReview) return 'awaiting_review';
  if (!facts.connectedToTariffModule) return 'not_connected';
  if (facts.minDiskMib !== null && facts.tariffDiskMib !== null && facts.minDiskMib > facts.tariffDiskMib) {
    return 'disk_too_small';
  }
  return null;
}

/** Status of a template over the tariffs of its product type: all, some or none of them. */
export function statusOf(orderableTariffCount: number, tariffCount: number): TemplateStatus {
  if (orderableTariffCount === 0) return 'none';
  return orderableTariffCount >= tariffCount ? 'all' : 'some';
}
