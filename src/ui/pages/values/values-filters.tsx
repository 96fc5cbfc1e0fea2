import type { TemplateStatus } from '../../types';

export interface ValuesFiltersProps {
  filter: string;
  onFilter: (filter: string) => void;
  statusFilter: TemplateStatus | '';
  onStatusFilter: (status: TemplateStatus | '') => void;
  includeRetired: boolean;
  onIncludeRetired: (include: boolean) => void;
}

/** The values table's filters: text (name, internal name or tag), status, and retired templates. */
export function ValuesFilters(props: ValuesFiltersProps) {
  const { filter, onFilter, statusFilter, onStatusFilter, includeRetired, onIncludeRetired } = props;
  return (
    <div className="filters">
      <label>
        Filter
        <input
          type="search"
          placeholder="name, internal name or tag"
          value={filter}
          onChange={(e) => onFilter(e.target.value)}
        />
      </label>
      <label>
        Status
        <select value={statusFilter} onChange={(e) => onStatusFilter(e.target.value as TemplateStatus | '')}>
          <option value="">any</option>
          <option value="all">all tariffs</option>
          <option value="some">some tariffs</option>
          <option value="none">no tariffs</option>
        </select>
      </label>
      <label className="inline">
        <input
          type="checkbox"
          checked={includeRetired}
          onChange={(e) => onIncludeRetired(e.target.checked)}
        />
        Show retired
      </label>
    </div>
  );
}
