import { formatEol } from '../../components';
import type { TemplateListItem } from '../../types';

/** "deprecating on …" or "deprecated" beside a template's name; nothing while it is active. */
export function LifecycleBadge({
  template,
  replacementName,
}: {
  template: Pick<TemplateListItem, 'lifecycle' | 'eolAt' | 'replacementId'>;
  /** The replacement's display name, when the caller has it (else its id is shown). */
  replacementName?: string | undefined;
}) {
  if (template.lifecycle === 'active') return null;
  const title = [
    template.eolAt ? `end of life ${formatEol(template.eolAt)}` : null,
    template.replacementId
      ? `replacement: ${replacementName ?? `template #${template.replacementId}`}`
      : null,
  ]
    .filter(Boolean)
    .join('; ');
  return (
    <span className="badge warn" data-lifecycle={template.lifecycle} title={title || undefined}>
      {template.lifecycle === 'deprecating' && template.eolAt
        ? `deprecating on ${formatEol(template.eolAt)}`
        : 'deprecated'}
    </span>
  );
}
