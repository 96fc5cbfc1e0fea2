import { useState, type FormEvent } from 'react';
import { ApiError, CONNECTION_FAILURE_TEXT } from '../api/client';
import { ErrorText, fieldError, formError, Page, Spinner, Toggle, useAction } from '../components';
import { Link, navigate } from '../router';
import type { ConnectionTest } from '../types';
import { addModule, testConnection } from '../api/modules';
import { defaultSyncSchedule } from '../../modules/sync-schedule';

/** The fields of a module's connection form; the settings form adds its own on top. */
export const MODULE_FORM_FIELDS = [
  'name',
  'url',
  'adminEmail',
  'password',
  'apiToken',
  'clusterId',
  'sort',
  'schedule',
  'newTemplatePolicy',
];

/** What a sync does with a template new in VMmanager; the add and settings forms share it. */
export function NewTemplatePolicyField({
  value,
  onChange,
}: {
  value: string;
  onChange: (v: string) => void;
}) {
  return (
    <label>
      New templates
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="enable">offer at once on the module's tariffs</option>
        <option value="hold">hold for review before offering</option>
      </select>
    </label>
  );
}

/** The result of a connection test, shown beside its button. */
export function ConnectionResult({ result }: { result: ConnectionTest }) {
  if (!result.ok) {
    return (
      <div className="error" role="alert" data-test-result="failed">
        ✖ {CONNECTION_FAILURE_TEXT[result.reason] ?? result.reason}{' '}
        <span className="muted small">{result.message}</span>
      </div>
    );
  }
  const user = typeof result.user['email'] === 'string' ? result.user['email'] : 'the admin';
  return (
    <div className="ok" role="status" data-test-result="ok">
      ✔ Connected to {result.url} as {user}. Clusters found:{' '}
      {result.clusters.map((c) => c.name).join(', ') || 'none'}.
      {result.clusterFound === false ? ' The chosen cluster is missing.' : ''}
      {result.warnings.map((warning) => (
        <div key={warning} className="warn-text small" data-test-warning>
          ⚠ {warning}
        </div>
      ))}
    </div>
  );
}

/** A field error; a refused login (upstream_auth) also belongs to the password field. */
function credentialError(error: unknown): unknown {
  return error instanceof ApiError && error.code === 'upstream_auth' ? error : null;
}

/** Integrations → Processing modules → Add: connection test, cluster from its answer, then create. */
export function AddModulePage() {
  const [form, setForm] = useState({
    name: '',
    url: 'https://',
    adminEmail: '',
    password: '',
    apiToken: '',
    clusterId: '',
    sort: '100',
    verifyTls: true,
    schedule: defaultSyncSchedule,
    newTemplatePolicy: 'enable',
  });
  const [test, setTest] = useState<ConnectionTest | null>(null);
  const tester = useAction();
  const save = useAction();
  const set = (key: keyof typeof form) => (value: string | boolean) => setForm({ ...form, [key]: value });

  const connection = () => ({
    url: form.url.trim(),
    adminEmail: form.adminEmail.trim(),
    // An API token, when given, signs in instead of the password.
    ...(form.apiToken.trim() ? { apiToken: form.apiToken.trim() } : { password: form.password }),
    verifyTls: form.verifyTls,
    ...(form.clusterId ? { clusterId: Number(form.clusterId) } : {}),
  });

  const runTest = async () => {
    setTest(null);
    const result = await tester.run(() => testConnection(connection()));
    if (result) setTest(result);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body = {
      ...connection(),
      name: form.name.trim(),
      clusterId: form.clusterId ? Number(form.clusterId) : null,
      sort: Number(form.sort),
      schedule: form.schedule.trim(),
      newTemplatePolicy: form.newTemplatePolicy,
    };
    const created = await save.run(() => addModule(body));
    if (created) navigate(`/integrations/modules/${created.module.id}/options`);
  };

  const clusters = test?.ok ? test.clusters : [];
  return (
    <Page
      title="Add processing module"
      crumbs={
        <>
          <span>Integrations</span> › <Link href="/integrations/modules">Processing modules</Link>
        </>
      }
    >
      <form className="form" onSubmit={(e) => void submit(e)} aria-label="Add processing module">
        <label>
          Name
          <input
            value={form.name}
            onChange={(e) => set('name')(e.target.value)}
            required
            placeholder="e.g. VMmanager Moscow"
          />
          <ErrorText error={fieldError(save.error, 'name')} />
        </label>
        <label>
          VMmanager 6 URL
          <input type="url" value={form.url} onChange={(e) => set('url')(e.target.value)} required />
          <ErrorText error={fieldError(save.error, 'url') ?? fieldError(tester.error, 'url')} />
        </label>
        <label>
          Admin email
          <input
            value={form.adminEmail}
            onChange={(e) => set('adminEmail')(e.target.value)}
            required
            autoComplete="off"
          />
          <ErrorText error={fieldError(save.error, 'adminEmail') ?? fieldError(tester.error, 'adminEmail')} />
        </label>
        <label>
          Password
          <input
            type="password"
            value={form.password}
            onChange={(e) => set('password')(e.target.value)}
            required={!form.apiToken.trim()}
            autoComplete="new-password"
          />
          <ErrorText error={fieldError(save.error, 'password') ?? credentialError(save.error)} />
        </label>
        <label>
          VMmanager API token (optional, signs in instead)
          <input
            type="password"
            value={form.apiToken}
            onChange={(e) => set('apiToken')(e.target.value)}
            autoComplete="off"
          />
          <ErrorText error={fieldError(save.error, 'apiToken')} />
        </label>
        <div className="field-row">
          <span>Check the TLS certificate</span>
          <Toggle checked={form.verifyTls} label="Check the TLS certificate" onChange={set('verifyTls')} />
        </div>
        <div className="buttons">
          <button type="button" onClick={() => void runTest()} disabled={tester.busy}>
            ⚡ Test connection
          </button>
          {tester.busy ? <Spinner label="Connecting to VMmanager 6…" /> : null}
        </div>
        <ErrorText error={formError(tester.error, ['url', 'adminEmail'])} />
        {test ? <ConnectionResult result={test} /> : null}
        <label>
          Cluster
          <select
            value={form.clusterId}
            onChange={(e) => set('clusterId')(e.target.value)}
            disabled={!test?.ok}
          >
            <option value="">any cluster</option>
            {clusters.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} (#{c.id})
              </option>
            ))}
          </select>
          <span className="muted small">
            {test?.ok ? '' : 'Run the connection test to list the clusters.'}
          </span>
          <ErrorText error={fieldError(save.error, 'clusterId')} />
        </label>
        <label>
          Sort <span className="muted">(lower builds first when two modules have a template)</span>
          <input inputMode="numeric" value={form.sort} onChange={(e) => set('sort')(e.target.value)} />
          <ErrorText error={fieldError(save.error, 'sort')} />
        </label>
        <label>
          Sync schedule{' '}
          <span className="muted">
            (cron, seconds first allowed; every 30 s keeps the storefront within a minute; BILLmanager syncs
            hourly, e.g. <code>54 * * * *</code>)
          </span>
          <input value={form.schedule} onChange={(e) => set('schedule')(e.target.value)} />
          <ErrorText error={fieldError(save.error, 'schedule')} />
        </label>
        <NewTemplatePolicyField value={form.newTemplatePolicy} onChange={set('newTemplatePolicy')} />
        <ErrorText error={credentialError(save.error) ? null : formError(save.error, MODULE_FORM_FIELDS)} />
        <div className="buttons">
          <button type="submit" className="primary" disabled={save.busy}>
            Add module
          </button>
          {save.busy ? <Spinner label="Testing the connection and running the first sync…" /> : null}
        </div>
      </form>
    </Page>
  );
}
