import { useState } from 'react';
import { ErrorText, formatTime, Page, Spinner, useLoad } from '../components';
import { listAudit } from '../api/audit';

const PAGE = 100;

function summarize(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text =
    typeof value === 'object' && !Array.isArray(value)
      ? Object.entries(value as Record<string, unknown>)
          .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(', ')
      : JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 197)}…` : text;
}

/** Audit log: who changed what, newest first, filterable by actor and object. */
export function AuditPage() {
  const [actor, setActor] = useState('');
  const [objectType, setObjectType] = useState('');
  const [beforeId, setBeforeId] = useState<number | undefined>(undefined);
  const list = useLoad(
    () => listAudit({ actor: actor.trim(), objectType: objectType.trim(), beforeId, limit: PAGE }),
    [actor, objectType, beforeId],
  );
  const items = list.data?.items ?? [];
  const last = items[items.length - 1];
  return (
    <Page title="Audit log">
      <div className="filters">
        <label>
          Actor
          <input
            placeholder="e.g. admin:you@example.com, sync, cli"
            value={actor}
            onChange={(e) => {
              setActor(e.target.value);
              setBeforeId(undefined);
            }}
          />
        </label>
        <label>
          Object type
          <input
            placeholder="e.g. template, tariff, module"
            value={objectType}
            onChange={(e) => {
              setObjectType(e.target.value);
              setBeforeId(undefined);
            }}
          />
        </label>
      </div>
      <ErrorText error={list.error} />
      {list.loading && !list.data ? <Spinner label="Loading the audit log…" /> : null}
      <div className="table-wrap">
        <table className="grid" aria-label="Audit log">
          <thead>
            <tr>
              <th>When</th>
              <th>Actor</th>
              <th>Action</th>
              <th>Object</th>
              <th>Before</th>
              <th>After</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id}>
                <td className="nowrap">{formatTime(e.at)}</td>
                <td>{e.actor}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>
                  {e.objectType} {e.objectId ?? ''}
                </td>
                <td className="json">{summarize(e.before)}</td>
                <td className="json">{summarize(e.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="buttons">
        {beforeId !== undefined ? (
          <button type="button" onClick={() => setBeforeId(undefined)}>
            ⇤ Newest
          </button>
        ) : null}
        {items.length === PAGE && last ? (
          <button type="button" onClick={() => setBeforeId(last.id)}>
            Older →
          </button>
        ) : null}
      </div>
    </Page>
  );
}
