import { useState, type FormEvent } from 'react';
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
import type { WebhookEndpoint, WebhookEndpointWithSecret, WebhookEventType } from '../types';
import { addWebhook, listWebhooks, updateWebhook } from '../api/webhooks';
import { EVENT_TEXT, EVENT_TYPES, SecretOnce } from './webhooks/secret-once';

const webhookPath = (id: number) => `/integrations/webhooks/${id}`;

/** The register form: URL, events, description; the answer's secret is shown once above the list. */
function RegisterWebhook({ onAdded }: { onAdded: (added: WebhookEndpointWithSecret) => void }) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>(['tariff.list_changed']);
  const save = useAction();
  const toggle = (event: WebhookEventType, on: boolean) =>
    setEvents((list) => (on ? [...list, event] : list.filter((e) => e !== event)));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const added = await save.run(() =>
      addWebhook({ url: url.trim(), events, description: description.trim() }),
    );
    if (!added) return;
    setUrl('');
    setDescription('');
    onAdded(added);
  };
  return (
    <form className="form card" aria-label="Register webhook endpoint" onSubmit={(e) => void submit(e)}>
      <h2>Register an endpoint</h2>
      <label>
        URL <span className="muted">(where the storefront receives the events: http or https)</span>
        <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} required />
        <ErrorText error={fieldError(save.error, 'url')} />
      </label>
      <label>
        Description
        <input value={description} onChange={(e) => setDescription(e.target.value)} />
        <ErrorText error={fieldError(save.error, 'description')} />
      </label>
      <fieldset>
        <legend>Events</legend>
        {EVENT_TYPES.map((event) => (
          <label key={event} className="inline">
            <input
              type="checkbox"
              checked={events.includes(event)}
              onChange={(e) => toggle(event, e.target.checked)}
            />{' '}
            <code>{event}</code> <span className="muted">{EVENT_TEXT[event]}</span>
          </label>
        ))}
        <ErrorText error={fieldError(save.error, 'events')} />
      </fieldset>
      <div className="buttons">
        <button type="submit" className="primary" disabled={save.busy}>
          Register endpoint
        </button>
        {save.busy ? <Spinner label="Registering…" /> : null}
      </div>
      <ErrorText error={formError(save.error, ['url', 'description', 'events'])} />
    </form>
  );
}

/** Integrations → Webhooks: the storefront endpoints, each with its delivery log. */
export function WebhooksPage() {
  const list = useLoad(() => listWebhooks(), []);
  const action = useAction();
  const [secret, setSecret] = useState<string | null>(null);
  const setEnabled = async (endpoint: WebhookEndpoint, enabled: boolean) => {
    await action.run(() => updateWebhook(endpoint.id, { enabled }));
    list.reload();
  };
  return (
    <Page title="Webhooks" crumbs={<span>Integrations</span>}>
      <p className="muted">
        Storefronts learn of catalog changes here, signed with each endpoint&apos;s secret. (Operators&apos;
        failure alerts are the modules&apos; alert webhook, a different thing.)
      </p>
      {secret ? <SecretOnce secret={secret} onDone={() => setSecret(null)} /> : null}
      <ErrorText error={list.error} />
      <ErrorText error={action.error} />
      {!list.data ? (
        list.error ? null : (
          <Spinner label="Loading endpoints…" />
        )
      ) : (
        <div className="table-wrap">
          <table className="grid" aria-label="Webhook endpoints">
            <thead>
              <tr>
                <th>URL</th>
                <th>Events</th>
                <th>Secret since</th>
                <th>Enabled</th>
                <th>Deliveries</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((w) => (
                <tr key={w.id} data-webhook-id={w.id}>
                  <td className="wrap">
                    <Link href={webhookPath(w.id)}>
                      <code>{w.url}</code>
                    </Link>
                    {w.description ? <div className="muted small">{w.description}</div> : null}
                  </td>
                  <td>{w.events.join(', ')}</td>
                  <td className="nowrap">{formatTime(w.secretRotatedAt)}</td>
                  <td>
                    <Toggle
                      checked={w.enabled}
                      label={`Endpoint ${w.url} enabled`}
                      disabled={action.busy}
                      onChange={(on) => void setEnabled(w, on)}
                    />
                  </td>
                  <td>
                    <Link href={webhookPath(w.id)} className="button">
                      Delivery log
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.data.items.length === 0 ? <p className="muted">No endpoints yet. Register one.</p> : null}
        </div>
      )}
      <RegisterWebhook
        onAdded={(added) => {
          setSecret(added.secret);
          list.reload();
        }}
      />
    </Page>
  );
}
