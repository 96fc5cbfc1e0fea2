import type { TemplateListItem } from '../../types';

/** What the toolbar asks the values page to do with the selected template. */
export interface ValuesToolbarProps {
  selected: TemplateListItem | null;
  /** Up and Down work only in the plain "Sort" order without a filter. */
  canReorder: boolean;
  busy: boolean;
  onAct: (path: 'disable' | 'enable' | 'approve') => void;
  onMove: (delta: -1 | 1) => void;
  onGo: (tab: 'edit' | 'modules' | 'tariffs') => void;
}

/** The values page's actions on the selected template. */
export function ValuesToolbar({ selected, canReorder, busy, onAct, onMove, onGo }: ValuesToolbarProps) {
  return (
    <div className="toolbar" role="toolbar" aria-label="Template actions">
      <button type="button" disabled={!selected} onClick={() => onGo('edit')}>
        ✎ Edit
      </button>
      <button
        type="button"
        disabled={!selected || selected.disabled || busy}
        onClick={() => onAct('disable')}
      >
        ⊘ Disable
      </button>
      <button
        type="button"
        disabled={!selected || !selected.disabled || busy}
        onClick={() => onAct('enable')}
      >
        ✓ Enable
      </button>
      <button
        type="button"
        disabled={!selected || !selected.awaitingReview || busy}
        onClick={() => onAct('approve')}
      >
        ★ Approve
      </button>
      <button type="button" disabled={!selected} onClick={() => onGo('modules')}>
        ⇄ Modules
      </button>
      <button type="button" disabled={!selected} onClick={() => onGo('tariffs')}>
        ☰ Tariff plans
      </button>
      <button
        type="button"
        disabled={!selected || !canReorder || busy}
        title={canReorder ? 'Move up in the order form' : 'Sort by "Sort" without a filter to reorder'}
        onClick={() => onMove(-1)}
      >
        ↑ Up
      </button>
      <button
        type="button"
        disabled={!selected || !canReorder || busy}
        title={canReorder ? 'Move down in the order form' : 'Sort by "Sort" without a filter to reorder'}
        onClick={() => onMove(1)}
      >
        ↓ Down
      </button>
    </div>
  );
}
