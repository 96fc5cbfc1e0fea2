import { useState } from 'react';
import {
  ErrorText,
  formatMib,
  Page,
  Spinner,
  StatusIcon,
  StatusLegend,
  useAction,
  useLoad,
} from '../components';
import { Link, navigate } from '../router';
import { templatePath } from '../paths';
import type { TemplateStatus } from '../types';
import { listParameters, listProductTypes } from '../api/product-types';
import { actOnTemplate, listTemplates, reorderTemplates } from '../api/templates';
import { useTemplateRows, type SortKey } from './values/use-template-rows';
import { ValuesFilters } from './values/values-filters';
import { ValuesToolbar } from './values/values-toolbar';
import { LifecycleBadge } from './values/lifecycle-badge';

/** Products → Product types → VPS → Parameters → Operating system → Values: the templates table. */
export function ValuesPage({ typeId, parameterId }: { typeId: number; parameterId: number }) {
  const [includeRetired, setIncludeRetired] = useState(false);
  const types = useLoad(() => listProductTypes(), []);
  const params = useLoad(() => listParameters(typeId), [typeId]);
  const list = useLoad(() => listTemplates(typeId, includeRetired), [typeId, includeRetired]);
  const [filter, setFilter] = useState('');
  const [statusFilter, setStatusFilter] = useState<TemplateStatus | ''>('');
  const [sortKey, setSortKey] = useState<SortKey>('sort');
  const [descending, setDescending] = useState(false);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const action = useAction();

  const rows = useTemplateRows(list.data?.items, {
    parameterId,
    filter,
    statusFilter,
    sortKey,
    descending,
  });

  const selected = rows.find((t) => t.id === selectedId) ?? null;
  const typeName = types.data?.items.find((t) => t.id === typeId)?.name ?? `#${typeId}`;
  const paramName = params.data?.items.find((p) => p.id === parameterId)?.name ?? `#${parameterId}`;
  const canReorder = sortKey === 'sort' && !descending && !filter && !statusFilter;

  const act = async (path: 'disable' | 'enable' | 'approve') => {
    if (!selected) return;
    await action.run(() => actOnTemplate(selected.id, path));
    list.reload();
  };

  const move = async (delta: -1 | 1) => {
    if (!selected) return;
    const index = rows.findIndex((t) => t.id === selected.id);
    const other = rows[index + delta];
    if (!other) return;
    const order = [...rows];
    order[index] = other;
    order[index + delta] = selected;
    // Swapping two distinct sort values touches two rows; equal values need a renumbering.
    const items =
      other.sort !== selected.sort
        ? [
            { id: selected.id, sort: other.sort },
            { id: other.id, sort: selected.sort },
          ]
        : order.map((t, i) => ({ id: t.id, sort: (i + 1) * 10 }));
    await action.run(() => reorderTemplates(items));
    list.reload();
  };

  const header = (key: SortKey, label: string) => (
    <th aria-sort={sortKey === key ? (descending ? 'descending' : 'ascending') : 'none'}>
      <button
        type="button"
        className="th-sort"
        onClick={() => {
          if (sortKey === key) setDescending(!descending);
          else {
            setSortKey(key);
            setDescending(false);
          }
        }}
      >
        {label} {sortKey === key ? (descending ? '▼' : '▲') : ''}
      </button>
    </th>
  );

  const go = (tab: 'edit' | 'modules' | 'tariffs') =>
    selected && navigate(templatePath(typeId, parameterId, selected.id, tab));

  return (
    <Page
      title={`${paramName}: values`}
      crumbs={
        <>
          <span>Products</span> › <Link href="/products/product-types">Product types</Link> ›{' '}
          <Link href={`/products/product-types/${typeId}/parameters`}>{typeName} › Parameters</Link> ›{' '}
          <span>{paramName}</span> › <span>Values</span>
        </>
      }
    >
      <ValuesToolbar
        selected={selected}
        canReorder={canReorder}
        busy={action.busy}
        onAct={(path) => void act(path)}
        onMove={(delta) => void move(delta)}
        onGo={go}
      />
      <ErrorText error={action.error} />
      <ValuesFilters
        filter={filter}
        onFilter={setFilter}
        statusFilter={statusFilter}
        onStatusFilter={setStatusFilter}
        includeRetired={includeRetired}
        onIncludeRetired={setIncludeRetired}
      />
      <StatusLegend />
      <ErrorText error={list.error} />
      {!list.data && !list.error ? <Spinner label="Loading templates…" /> : null}
      {list.data ? (
        <div className="table-wrap">
          <table className="grid selectable" aria-label="Operating system templates">
            <thead>
              <tr>
                {header('status', 'Status')}
                {header('displayName', 'Name')}
                {header('internalName', 'Internal name')}
                <th>Tags</th>
                {header('sort', 'Sort')}
                {header('minDiskMib', 'Min disk')}
                {header('minRamMib', 'Min RAM')}
                <th>Disabled</th>
                <th>Awaiting review</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((t) => (
                <tr
                  key={t.id}
                  aria-selected={t.id === selectedId}
                  className={[t.id === selectedId ? 'selected' : '', t.retiredAt ? 'retired' : ''].join(' ')}
                  onClick={() => setSelectedId(t.id)}
                  data-template-id={t.id}
                >
                  <td>
                    <StatusIcon status={t.status} />
                  </td>
                  <td>
                    <Link href={templatePath(typeId, parameterId, t.id, 'edit')}>{t.displayName}</Link>
                    {t.retiredAt ? <span className="badge">retired</span> : null}
                    <LifecycleBadge
                      template={t}
                      replacementName={list.data?.items.find((r) => r.id === t.replacementId)?.displayName}
                    />
                  </td>
                  <td>
                    <code>{t.internalName}</code>
                  </td>
                  <td>{t.tags.join(', ')}</td>
                  <td className="num">{t.sort}</td>
                  <td className="num">{formatMib(t.minDiskMib)}</td>
                  <td className="num">{formatMib(t.minRamMib)}</td>
                  <td>{t.disabled ? <span className="badge warn">disabled</span> : ''}</td>
                  <td>{t.awaitingReview ? <span className="badge info">awaiting review</span> : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length === 0 ? <p className="muted">No templates match.</p> : null}
        </div>
      ) : null}
    </Page>
  );
}
