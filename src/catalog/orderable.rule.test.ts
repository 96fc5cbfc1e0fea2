import { describe, expect, it } from 'vitest';
import { decideOrderable, statusOf, type OrderableFacts } from './orderable.rule.js';

const base: OrderableFacts = {
  retired: false,
  disabled: false,
  deprecated: false,
  awaitingReview: false,
  explicit: null,
  connectedToTariffModule: true,
  availableOnTariffModule: true,
  minDiskMib: null,
  tariffDiskMib: null,
  minRamMib: null,
  tariffRamMib: null,
};

describe('decideOrderable', () => {
  it('offers a connected, enabled-by-default template', () => {
    expect(decideOrderable(base)).toEqual({ orderable: true, reason: null });
  });

  it.each([
    [{ retired: true }, 'retired'],
    [{ disabled: true }, 'disabled'],
    [{ deprecated: true }, 'deprecated'],
    [{ deprecated: true, explicit: false }, 'deprecated'],
    [{ explicit: false }, 'not_enabled'],
    [{ awaitingReview: true }, 'awaiting_review'],
    [{ connectedToTariffModule: false, availableOnTariffModule: false }, 'not_connected'],
    [{ availableOnTariffModule: false }, 'unavailable'],
    [{ minDiskMib: 40960, tariffDiskMib: 20480 }, 'disk_too_small'],
    [{ minRamMib: 2048, tariffRamMib: 1024 }, 'ram_too_small'],
    [{ minDiskMib: 40960, tariffDiskMib: 20480, minRamMib: 2048, tariffRamMib: 1024 }, 'disk_too_small'],
  ] as const)('refuses %o with reason %s', (patch, reason) => {
    expect(decideOrderable({ ...base, ...patch })).toEqual({ orderable: false, reason });
  });

  it('lets an explicit enable override the review hold', () => {
    expect(decideOrderable({ ...base, awaitingReview: true, explicit: true }).orderable).toBe(true);
  });

  it('ignores the disk when either side is unknown, and accepts an exact fit', () => {
    expect(decideOrderable({ ...base, minDiskMib: 40960 }).orderable).toBe(true);
    expect(decideOrderable({ ...base, tariffDiskMib: 10 }).orderable).toBe(true);
    expect(decideOrderable({ ...base, minDiskMib: 20480, tariffDiskMib: 20480 }).orderable).toBe(true);
  });

  it('ignores the RAM when either side is unknown, and accepts an exact fit', () => {
    expect(decideOrderable({ ...base, minRamMib: 4096 }).orderable).toBe(true);
    expect(decideOrderable({ ...base, tariffRamMib: 1 }).orderable).toBe(true);
    expect(decideOrderable({ ...base, minRamMib: 1024, tariffRamMib: 1024 }).orderable).toBe(true);
  });

  it('lets a reinstall keep a deprecated template, but nothing else the rule refuses', () => {
    expect(decideOrderable({ ...base, deprecated: true }, 'reinstall')).toEqual({
      orderable: true,
      reason: null,
    });
    expect(decideOrderable({ ...base, deprecated: true, disabled: true }, 'reinstall').reason).toBe(
      'disabled',
    );
    expect(
      decideOrderable({ ...base, deprecated: true, minRamMib: 2048, tariffRamMib: 1024 }, 'reinstall').reason,
    ).toBe('ram_too_small');
    expect(decideOrderable({ ...base, deprecated: true, explicit: false }, 'reinstall').reason).toBe(
      'not_enabled',
    );
  });

  it('keeps an admin disable stronger than an explicit per-tariff enable', () => {
    expect(decideOrderable({ ...base, disabled: true, explicit: true }).reason).toBe('disabled');
  });
});

describe('statusOf', () => {
  it('says all, some or none', () => {
    expect(statusOf(3, 3)).toBe('all');
    expect(statusOf(1, 3)).toBe('some');
    expect(statusOf(0, 3)).toBe('none');
    expect(statusOf(0, 0)).toBe('none');
  });
});
