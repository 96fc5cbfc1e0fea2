import { useEffect, useState, type FormEvent } from 'react';
import { ADMIN, api, query } from '../api';
import {
  ErrorText,
  fieldError,
  formatTime,
  formError,
  Page,
  Spinner,
  Toggle,
  useAction,
  useLoad,
} from '../components';
import { Link } from '../router';
import type { ConnectionTest, Items, Module, RenameCandidate, SyncRun } from '../types';
import { Counts, DiffView, OutcomeBadge } from './diff';
import { ConnectionResult } from './module-add';
import { HealthBadge } from './modules';

/** Integrations → Processing modules → (module) → Options. */
export function ModuleOptionsPage({ moduleId }: { moduleId: number }) {
  const mod = useLoad(() => api.get<Module>(`${ADMIN}/modules/${moduleId}`), [moduleId]);
  const runs = useLoad(
    () => api.get<Items<SyncRun>>(`${ADMIN}/sync-runs${query({ moduleId, limit: 50 })}`),
    [moduleId],
  );
  const refresh = () => {
    mod.reload();
    runs.reload();
  };
  const m = mod.data;
  return (
    <Page
      title={m ? `Options: ${m.name}` : 'Module options'}
      crumbs={
        <>
          <span>Integrations</span> › <Link href="/integrations/modules">Processing modules</Link>
        </>
      }
      actions={m ? <HealthBadge module={m} /> : null}
    >
      <ErrorText error={mod.error} />
      {!m ? (
        mod.error ? null : (
          <Spinner label="Loading module…" />
        )
      ) : (
        <>
          <SyncPanel module={m} onDone={refresh} />
          <HeldPlans runs={runs.data?.items ?? []} onDone={refresh} />
          <RenameCandidates moduleId={m.id} version={runs.data} />
          <History runs={runs.data?.items ?? []} error={runs.error} />
          <Settings module={m} onSaved={mod.setData} />
        </>
      )}
    </Page>
  );
}

/** Synchronize now / Dry run / Test connection with a progress indicator and the result. */
function SyncPanel({ module, onDone }: { module: Module; onDone: () => void }) {
  const action = useAction();
  const [running, setRunning] = useState<string | null>(null);
  const [seconds, setSeconds] = useState(0);
  const [run, setRun] = useState<SyncRun | null>(null);
  const [test, setTest] = useState<ConnectionTest | null>(null);
  useEffect(() => {
    if (!running) return;
    setSeconds(0);
    const timer = setInterval(() => setSeconds((s) => s + 1), 1000);
    return () => clearInterval(timer);
  }, [running]);

  const start = async (kind: 'sync' | 'dry-run' | 'test') => {
    setRun(null);
    setTest(null);
    setRunning(
      kind === 'sync' ? 'Synchronizing…' : kind === 'dry-run' ? 'Dry run…' : 'Testing the connection…',
    );
    if (kind === 'test') {
      const result = await action.run(() =>
        api.post<ConnectionTest>(`${ADMIN}/modules/${module.id}/test-connection`),
      );
      if (result) setTest(result);
    } else {
      const result = await action.run(() => api.post<SyncRun>(`${ADMIN}/modules/${module.id}/${kind}`));
      if (result) setRun(result);
      onDone();
    }
    setRunning(null);
  };

  return (
    <section className="card" aria-label="Synchronization">
      <h2>Synchronization</h2>
      <p className="muted">
        Scheduled: <code>{module.schedule}</code>. Dry run shows what a sync would change without changing
        anything.
      </p>
      <div className="buttons">
        <button type="button" className="primary" disabled={action.busy} onClick={() => void start('sync')}>
          ⟳ Synchronize now
        </button>
        <button type="button" disabled={action.busy} onClick={() => void start('dry-run')}>
          ◌ Dry run
        </button>
        <button type="button" disabled={action.busy} onClick={() => void start('test')}>
          ⚡ Test connection
        </button>
        {running ? (
          <span className="progress" role="progressbar" aria-label={running}>
            <span className="progress-bar" /> {running} {seconds > 0 ? `${seconds} s` : ''}
          </span>
        ) : null}
      </div>
      <ErrorText error={action.error} />
      {test ? <ConnectionResult result={test} /> : null}
      {run ? <RunResult run={run} /> : null}
    </section>
  );
}

function RunResult({ run }: { run: SyncRun }) {
  return (
    <div className="run-result" aria-label="Sync result">
      <p>
        Result: <OutcomeBadge run={run} /> <span className="muted">run #{run.runId}</span>
      </p>
      {run.outcome === 'held' ? (
        <p>
          Held: <GuardReason run={run} />
        </p>
      ) : null}
      {run.error ? <p className="error">{run.error.message}</p> : null}
      <Counts counts={run.counts} />
      <DiffView diff={run.diff} />
    </div>
  );
}

function GuardReason({ run }: { run: SyncRun }) {
  return (
    <span className="warn-text" data-guard-reason={run.guardReason ?? ''}>
      {run.guardMessage ?? run.diff?.guard?.message ?? run.guardReason ?? 'the guard stopped it'}
    </span>
  );
}

/** Held plans: the guard stopped a sync; the admin applies or discards it. */
function HeldPlans({ runs, onDone }: { runs: SyncRun[]; onDone: () => void }) {
  const action = useAction();
  const [actingOn, setActingOn] = useState<number | null>(null);
  const pending = runs.filter((r) => r.outcome === 'held' && r.heldState === 'pending');
  const resolve = async (run: SyncRun, how: 'apply' | 'discard') => {
    setActingOn(run.runId);
    await action.run(() => api.post(`${ADMIN}/sync-runs/${run.runId}/${how}`));
    setActingOn(null);
    onDone();
  };
  return (
    <section className="card" aria-label="Held plans">
      <h2>Held plans {pending.length ? <span className="badge warn">{pending.length}</span> : null}</h2>
      {pending.length === 0 ? <p className="muted">No sync is waiting for a decision.</p> : null}
      {pending.map((run) => (
        <div key={run.runId} className="held" data-run-id={run.runId}>
          <p>
            <strong>Run #{run.runId}</strong> at {formatTime(run.startedAt)} was held:{' '}
            <GuardReason run={run} />
          </p>
          <Counts counts={run.counts} />
          <DiffView diff={run.diff} />
          <div className="buttons">
            <button
              type="button"
              className="danger"
              disabled={action.busy}
              onClick={() => void resolve(run, 'apply')}
            >
              Apply
            </button>
            <button type="button" disabled={action.busy} onClick={() => void resolve(run, 'discard')}>
              Discard
            </button>
          </div>
          {actingOn === run.runId || (!action.busy && action.error) ? (
            <ErrorText error={action.error} />
          ) : null}
        </div>
      ))}
    </section>
  );
}

function candidateName(side: RenameCandidate['from']): string {
  return side.displayName === side.internalName
    ? side.internalName
    : `${side.displayName} (${side.internalName})`;
}

/** Rename candidates: a template vanished and a similar one appeared; Remap moves the decisions. */
function RenameCandidates({ moduleId, version }: { moduleId: number; version: unknown }) {
  const list = useLoad(
    () => api.get<Items<RenameCandidate>>(`${ADMIN}/rename-candidates${query({ moduleId })}`),
    [moduleId, version],
  );
  const action = useAction();
  const [done, setDone] = useState<string | null>(null);
  const remap = async (c: RenameCandidate) => {
    const body = { fromValueId: c.from.valueId, toValueId: c.to.valueId };
    const ok = await action.run(() => api.post(`${ADMIN}/rename-candidates/remap`, body));
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

/** Sync history: every run with its outcome; open one to see its diff. */
function History({ runs, error }: { runs: SyncRun[]; error: unknown }) {
  const [openId, setOpenId] = useState<number | null>(null);
  const detail = useLoad(
    async () => (openId === null ? null : api.get<SyncRun>(`${ADMIN}/sync-runs/${openId}`)),
    [openId],
  );
  return (
    <section className="card" aria-label="Sync history">
      <h2>Sync history</h2>
      <ErrorText error={error} />
      {runs.length === 0 ? <p className="muted">No sync has run yet.</p> : null}
      {runs.length > 0 ? (
        <table className="grid">
          <thead>
            <tr>
              <th>Run</th>
              <th>Started</th>
              <th>Trigger</th>
              <th>By</th>
              <th>Outcome</th>
              <th>Diff</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.runId} data-run-id={r.runId}>
                <td className="num">#{r.runId}</td>
                <td className="nowrap">{formatTime(r.startedAt)}</td>
                <td>{r.trigger}</td>
                <td>{r.actor ?? ''}</td>
                <td>
                  <OutcomeBadge run={r} />
                  {r.error ? <div className="error small">{r.error.message}</div> : null}
                </td>
                <td>
                  <button type="button" onClick={() => setOpenId(openId === r.runId ? null : r.runId)}>
                    {openId === r.runId ? 'Hide' : 'Show'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {openId !== null ? (
        <div className="run-detail" aria-label={`Diff of run ${openId}`}>
          <h3>Run #{openId}</h3>
          <ErrorText error={detail.error} />
          {detail.data ? <RunResult run={detail.data} /> : <Spinner label="Loading the diff…" />}
        </div>
      ) : null}
    </section>
  );
}

const SETTING_FIELDS = [
  'name',
  'url',
  'adminEmail',
  'password',
  'clusterId',
  'sort',
  'schedule',
  'newTemplatePolicy',
  'guardMaxDisconnectShare',
];

/** The module's settings; the password is write-only (empty keeps the stored one). */
function Settings({ module, onSaved }: { module: Module; onSaved: (m: Module) => void }) {
  const initial = () => ({
    name: module.name,
    url: module.url,
    adminEmail: module.adminEmail,
    password: '',
    clusterId: module.clusterId === null ? '' : String(module.clusterId),
    sort: String(module.sort),
    verifyTls: module.verifyTls,
    enabled: module.enabled,
    schedule: module.schedule,
    newTemplatePolicy: module.newTemplatePolicy as string,
    guardMaxDisconnectShare: String(module.guardMaxDisconnectShare),
    includeNoOs: module.includeNoOs,
  });
  const [form, setForm] = useState(initial);
  const [saved, setSaved] = useState(false);
  const save = useAction();
  const set = (key: keyof ReturnType<typeof initial>) => (value: string | boolean) =>
    setForm({ ...form, [key]: value });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const body: Record<string, unknown> = {
      name: form.name.trim(),
      url: form.url.trim(),
      adminEmail: form.adminEmail.trim(),
      clusterId: form.clusterId.trim() === '' ? null : Number(form.clusterId),
      sort: Number(form.sort),
      verifyTls: form.verifyTls,
      enabled: form.enabled,
      schedule: form.schedule.trim(),
      newTemplatePolicy: form.newTemplatePolicy,
      guardMaxDisconnectShare: Number(form.guardMaxDisconnectShare),
      includeNoOs: form.includeNoOs,
    };
    if (form.password) body['password'] = form.password;
    const next = await save.run(() => api.patch<Module>(`${ADMIN}/modules/${module.id}`, body));
    if (next) {
      onSaved(next);
      setSaved(true);
      setForm((f) => ({ ...f, password: '' }));
    }
  };

  const input = (
    key: 'name' | 'url' | 'adminEmail' | 'clusterId' | 'sort' | 'schedule' | 'guardMaxDisconnectShare',
    text: string,
  ) => (
    <label>
      {text}
      <input value={form[key]} onChange={(e) => set(key)(e.target.value)} />
      <ErrorText error={fieldError(save.error, key)} />
    </label>
  );

  return (
    <section className="card" aria-label="Settings">
      <h2>Settings</h2>
      <form className="form" onSubmit={(e) => void submit(e)} aria-label="Module settings">
        {input('name', 'Name')}
        {input('url', 'VMmanager 6 URL')}
        {input('adminEmail', 'Admin email')}
        <label>
          Password{' '}
          <span className="muted">
            (leave empty to keep the stored one; needed again for a new URL or email)
          </span>
          <input
            type="password"
            value={form.password}
            autoComplete="new-password"
            onChange={(e) => set('password')(e.target.value)}
          />
          <ErrorText error={fieldError(save.error, 'password')} />
        </label>
        {input('clusterId', 'Cluster id (empty: any cluster)')}
        {input('sort', 'Sort')}
        {input('schedule', 'Sync schedule (cron)')}
        <label>
          New templates
          <select value={form.newTemplatePolicy} onChange={(e) => set('newTemplatePolicy')(e.target.value)}>
            <option value="enable">offer at once on the module's tariffs</option>
            <option value="hold">hold for review before offering</option>
          </select>
        </label>
        {input('guardMaxDisconnectShare', 'Hold a sync that would disconnect more than this share (0–1)')}
        <div className="field-row">
          <span>Check the TLS certificate</span>
          <Toggle checked={form.verifyTls} label="Check the TLS certificate" onChange={set('verifyTls')} />
        </div>
        <div className="field-row">
          <span>
            Offer “NoOS” <span className="muted small">(VMmanager's VM without an operating system)</span>
          </span>
          <Toggle checked={form.includeNoOs} label="Offer NoOS" onChange={set('includeNoOs')} />
        </div>
        <div className="field-row">
          <span>Module enabled</span>
          <Toggle checked={form.enabled} label="Module enabled" onChange={set('enabled')} />
        </div>
        <ErrorText error={formError(save.error, SETTING_FIELDS)} />
        <div className="buttons">
          <button type="submit" className="primary" disabled={save.busy}>
            Save settings
          </button>
          {saved ? <span className="ok">Saved.</span> : null}
        </div>
      </form>
    </section>
  );
}
