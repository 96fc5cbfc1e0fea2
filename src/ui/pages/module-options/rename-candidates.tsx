import { useState } from 'react';
import { ErrorText, useAction, useLoad } from '../../components';
import type { RenameCandidate } from '../../types';
import { listRenameCandidates, remapTemplate } from '../../api/sync';

export function candidateName(side: RenameCandidate['from']): string {
  return side.displayName === side.internalName
    ? side.internalName
    : `${side.displayName} (${side.internalName})`;
}

/** Rename candidates: a template vanished and a similar one appeared; Remap moves the decisions. */
export function RenameCandidates({ moduleId, version }: { moduleId: number; version: unknown }) {
  const list = useLoad(() => listRenameCandidates(moduleId), [moduleId, version]);
  const action = useAction();
  const [done, setDone] = useState<string | null>(null);
  const remap = async (c: RenameCandidate) => {
    const body = { fromValueId: c.from.valueId, toValueId: c.to.valueId };
    const ok = await action.run(() => remapTemplate(body));
    if (ok !== undefined) {
      setDone(`Moved the decisions of ${candidateName(c.from)} to ${candidateName(c.to)}.`);
      list.reload();
    }
  };
  return (
    <section className="card" aria-label="Rename candidates">
      <h2>Rename candidates</h2>
      <ErrorText error={list.error} />
      {list.data && list.data.items.length === 0 ? (
        <p className="muted">No renamed templates detected.</p>
      ) : null}
      {list.data && list.data.items.length > 0 ? (
        <table className="grid">
          <thead>
            <tr>
              <th>Gone from VMmanager</th>
              <th>New in VMmanager</th>
              <th>Why</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((c) => (
              <tr key={`${c.from.valueId}>${c.to.valueId}`}>
                <td>{candidateName(c.from)}</td>
                <td>{candidateName(c.to)}</td>
                <td className="muted">
                  {c.reason === 'case_change' ? 'only the case changed' : 'same VMmanager id'}
                </td>
                <td>
                  <button type="button" disabled={action.busy} onClick={() => void remap(c)}>
                    ⇢ Remap
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <ErrorText error={action.error} />
      {done ? <p className="ok">{done}</p> : null}
    </section>
  );
}
