import { useState } from 'react';
import { ErrorText, useAction } from '../../components';
import { navigate } from '../../router';
import { deleteWebhook } from '../../api/webhooks';

/** Delete, after a confirm step that says what goes with it; then back to the list. */
export function DeleteEndpoint({ endpointId, url }: { endpointId: number; url: string }) {
  const [confirming, setConfirming] = useState(false);
  const action = useAction();
  const remove = async () => {
    const done = await action.run(async () => {
      await deleteWebhook(endpointId);
      return true;
    });
    if (done) navigate('/integrations/webhooks');
  };
  if (!confirming)
    return (
      <button type="button" className="danger" onClick={() => setConfirming(true)}>
        Delete endpoint…
      </button>
    );
  return (
    <div className="buttons" role="group" aria-label="Confirm delete">
      <span>
        Delete <code>{url}</code>? Its secret and delivery log go with it, and its pending deliveries are not
        sent. This cannot be undone.
      </span>
      <button type="button" className="danger" onClick={() => void remove()} disabled={action.busy}>
        Delete now
      </button>
      <button type="button" onClick={() => setConfirming(false)} disabled={action.busy}>
        Cancel
      </button>
      <ErrorText error={action.error} />
    </div>
  );
}
