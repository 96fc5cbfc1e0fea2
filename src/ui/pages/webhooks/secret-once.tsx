import type { WebhookEventType } from '../../types';

/** What each event means, in the words the forms and tables use. */
export const EVENT_TEXT: Record<WebhookEventType, string> = {
  'tariff.list_changed': "a tariff's OS list changed",
  'template.deprecated': 'a template was deprecated',
  'template.eol_reached': "a template's end-of-life date came",
  'module.sync_failed': "a module's sync failed",
  'module.sync_held': "a module's sync was held",
};

export const EVENT_TYPES = Object.keys(EVENT_TEXT) as WebhookEventType[];

/** A signing secret just generated: shown this once, never again (the server keeps it encrypted). */
export function SecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  return (
    <div className="card" role="status" aria-label="Signing secret">
      <p>
        <strong>Copy the signing secret now.</strong> It is shown only this once; the storefront needs it to
        verify the signature of each delivery (docs/api.md, "Webhooks").
      </p>
      <p>
        <code data-secret>{secret}</code>{' '}
        <button type="button" onClick={() => void navigator.clipboard?.writeText(secret)}>
          Copy
        </button>
      </p>
      <button type="button" onClick={onDone}>
        I have stored it
      </button>
    </div>
  );
}
