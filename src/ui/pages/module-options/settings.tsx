import { useState, type FormEvent } from 'react';
import { ErrorText, fieldError, formError, Toggle, useAction } from '../../components';
import type { Module } from '../../types';
import { updateModule } from '../../api/modules';
import { MODULE_FORM_FIELDS, NewTemplatePolicyField } from '../module-add';

const SETTING_FIELDS = [...MODULE_FORM_FIELDS, 'guardMaxDisconnectShare'];

/**
 * The module's settings. The password and the API token are write-only (empty keeps the stored
 * one); switching how the module signs in requires the new secret.
 */
export function Settings({ module, onSaved }: { module: Module; onSaved: (m: Module) => void }) {
  const initial = () => ({
    name: module.name,
    url: module.url,
    adminEmail: module.adminEmail,
    authMethod: module.authMethod as string,
    password: '',
    apiToken: '',
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
    if (form.authMethod === 'token' && form.apiToken.trim()) body['apiToken'] = form.apiToken.trim();
    if (form.authMethod === 'password' && form.password) body['password'] = form.password;
    const next = await save.run(() => updateModule(module.id, body));
    if (next) {
      onSaved(next);
      setSaved(true);
      setForm((f) => ({ ...f, authMethod: next.authMethod, password: '', apiToken: '' }));
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
        <SecretFields form={form} current={module.authMethod} set={set} error={save.error} />
        {input('clusterId', 'Cluster id (empty: any cluster)')}
        {input('sort', 'Sort')}
        {input('schedule', 'Sync schedule (cron)')}
        <NewTemplatePolicyField value={form.newTemplatePolicy} onChange={set('newTemplatePolicy')} />
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

type SecretForm = { authMethod: string; password: string; apiToken: string };

/** "Sign in with" password or API token, and the one secret field that goes with it. */
function SecretFields({
  form,
  current,
  set,
  error,
}: {
  form: SecretForm;
  current: string;
  set: (key: keyof SecretForm) => (value: string) => void;
  error: unknown;
}) {
  // Keeping the stored secret is only possible for the way the module signs in now.
  const keep = form.authMethod === current;
  const hint = keep
    ? '(leave empty to keep the stored one; needed again for a new URL or email)'
    : '(required to switch)';
  const token = form.authMethod === 'token';
  return (
    <>
      <label>
        Sign in with
        <select value={form.authMethod} onChange={(e) => set('authMethod')(e.target.value)}>
          <option value="password">the admin's password</option>
          <option value="token">a VMmanager API token</option>
        </select>
      </label>
      <label>
        {token ? 'VMmanager API token' : 'Password'} <span className="muted">{hint}</span>
        <input
          key={form.authMethod}
          type="password"
          value={token ? form.apiToken : form.password}
          required={!keep}
          autoComplete={token ? 'off' : 'new-password'}
          onChange={(e) => set(token ? 'apiToken' : 'password')(e.target.value)}
        />
        <ErrorText error={fieldError(error, token ? 'apiToken' : 'password')} />
      </label>
    </>
  );
}
