import type { Db, Tx } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { AppError, invalidInput } from '../shared/errors.js';
import { parseWith } from '../shared/validate.js';
import { auditedChange } from '../audit/audited-change.js';
import { selectTemplateRow, updateTemplatesPastEol, type TemplatePatch } from './catalog.repository.js';
import { patchTemplate } from './template-patch.js';
import { TemplateDeprecate, type OsTemplate } from './catalog.schema.js';
import { enqueueEvent, type OutboxEvent } from '../webhooks/outbox.repository.js';

export type LifecycleService = ReturnType<typeof createLifecycleService>;

// `template.deprecated`: deprecated now, or deprecating until its EOL date.
const deprecatedEvent = (
  t: OsTemplate,
  next: { deprecatedAt: Date | null; eolAt: Date | null; replacementId: number | null },
): OutboxEvent => ({
  type: 'template.deprecated',
  data: {
    templates: [
      {
        id: t.id,
        internalName: t.internalName,
        lifecycle: next.deprecatedAt ? 'deprecated' : 'deprecating',
        ...next,
      },
    ],
  },
});

const lifecycleView = (t: OsTemplate) => ({
  lifecycle: t.lifecycle,
  deprecatedAt: t.deprecatedAt,
  eolAt: t.eolAt,
  replacementId: t.replacementId,
});

/**
 * A template's lifecycle: active → deprecated (not offered for new orders, still for reinstalls)
 * → retired (the remap). Admin decisions only: a sync never writes these columns.
 */
export function createLifecycleService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  const change = (
    id: number,
    actor: string,
    action: string,
    build: (t: OsTemplate, at: Date, tx: Tx) => Promise<TemplatePatch>,
  ) => patchTemplate(deps, { id, actor, action, build, view: lifecycleView });

  return {
    /**
     * Deprecates a template now, or, with an EOL date ahead, from that date on (it is
     * "deprecating" until then and the EOL job deprecates it when the date passes); with an
     * optional replacement (another template of the same parameter, not retired).
     */
    async deprecateTemplate(id: number, input: TemplateDeprecate, actor: string): Promise<OsTemplate> {
      const data = parseWith(TemplateDeprecate, input, { what: 'deprecate' });
      const eolAt = data.eolAt === undefined ? null : new Date(data.eolAt);
      const replacementId = data.replacementId ?? null;
      return change(id, actor, 'template.deprecate', async (template, at, tx) => {
        if (template.retiredAt !== null) throw new AppError('conflict', `template ${id} is retired`);
        if (replacementId !== null) {
          if (replacementId === id)
            throw invalidInput('a template cannot replace itself', { field: 'replacementId' });
          const replacement = await selectTemplateRow(tx, replacementId);
          if (
            !replacement ||
            replacement.parameterId !== template.parameterId ||
            replacement.retiredAt !== null
          )
            throw invalidInput(`no template ${replacementId} that can replace it`, {
              field: 'replacementId',
            });
        }
        const ahead = eolAt !== null && eolAt > at;
        const deprecatedAt = ahead ? null : at;
        // The webhook event commits with the change (the outbox); nothing is sent from here.
        await enqueueEvent(tx, deprecatedEvent(template, { deprecatedAt, eolAt, replacementId }), at);
        return { deprecatedAt, deprecatedBy: actor, eolAt, replacementId };
      });
    },

    /** Makes a deprecated (or deprecating) template active again: offered for new orders. */
    async undeprecateTemplate(id: number, actor: string): Promise<OsTemplate> {
      return change(id, actor, 'template.undeprecate', async (template) => {
        if (template.lifecycle === 'active')
          throw new AppError('conflict', `template ${id} is not deprecated`);
        return { deprecatedAt: null, deprecatedBy: null, eolAt: null, replacementId: null };
      });
    },

    /**
     * Deprecates every template whose EOL date has passed (the EOL job). Exactly once across
     * instances: one conditional UPDATE (`deprecated_at is null`) moves each row, so a second
     * instance running it at the same time finds nothing left and records nothing.
     */
    async deprecatePastEol(): Promise<number[]> {
      return auditedChange(db, clock, async (tx, at) => {
        const rows = await updateTemplatesPastEol(tx, at);
        return {
          result: rows.map((r) => r.id),
          audit: rows.map((r) => ({
            actor: 'schedule',
            action: 'template.eol_reached',
            objectType: 'template',
            objectId: r.id,
            before: { lifecycle: 'deprecating', eolAt: r.eolAt },
            after: { lifecycle: 'deprecated', deprecatedAt: r.eolAt },
          })),
          events: rows.length > 0 ? [{ type: 'template.eol_reached', data: { templates: rows } }] : [],
        };
      });
    },
  };
}
