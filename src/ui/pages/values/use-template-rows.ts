import { useMemo } from 'react';
import type { TemplateListItem, TemplateStatus } from '../../types';

export type SortKey = 'sort' | 'displayName' | 'internalName' | 'status' | 'minDiskMib' | 'minRamMib';
const STATUS_RANK: Record<TemplateStatus, number> = { all: 0, some: 1, none: 2 };

/** What the values table shows, filtered and sorted. */
export interface RowsView {
  parameterId: number;
  filter: string;
  statusFilter: TemplateStatus | '';
  sortKey: SortKey;
  descending: boolean;
}

/** The templates of one parameter matching the filter (name, internal name or tag) and status, sorted. */
export function useTemplateRows(
  templates: TemplateListItem[] | undefined,
  view: RowsView,
): TemplateListItem[] {
  const { parameterId, filter, statusFilter, sortKey, descending } = view;
  return useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const items = (templates ?? [])
      .filter((t) => t.parameterId === parameterId)
      .filter((t) => !statusFilter || t.status === statusFilter)
      .filter(
        (t) =>
          !needle ||
          t.displayName.toLowerCase().includes(needle) ||
          t.internalName.toLowerCase().includes(needle) ||
          t.tags.some((tag) => tag.toLowerCase().includes(needle)),
      );
    const key = (t: TemplateListItem): number | string =>
      sortKey === 'status'
        ? STATUS_RANK[t.status]
        : sortKey === 'minDiskMib' || sortKey === 'minRamMib'
          ? (t[sortKey] ?? -1)
          : t[sortKey];
    const sorted = [...items].sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      const order =
        typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return (order || a.sort - b.sort || a.id - b.id) * (descending ? -1 : 1);
    });
    return sorted;
  }, [templates, parameterId, filter, statusFilter, sortKey, descending]);
}
