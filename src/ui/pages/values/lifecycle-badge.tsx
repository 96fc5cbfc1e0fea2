import { formatTime } from '../../components';
import type { TemplateListItem } from '../../types';

/** "deprecating on …" or "deprecated" beside a template's name; nothing while it is active. */
export function LifecycleBadge({
  template,
}: {
  template: Pick<TemplateListItem, 'lifecycle' | 'eolAt' | 'replacementId'>;
}) {
  if (template.lifecycle === 'active') return null;
  const title = [
    template.eolAt ? `end of life ${formatTime(template.eolAt)}` : null,
    template.replacementId ? `replacement: template #${template.replacementId}` : null,
  ]
    .filter(Boolean)
    .join('; ');
  return (
    <span className="badge warn" data-lifecycle={template.lifecycle} title={title || undefined}>
      {template.lifecycle === 'deprecating' && template.eolAt
        ? `deprecating on ${formatTime(template.eolAt)}`
        : 'deprecated'}
    </span>
  );
}
