import { sql } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { queryRows } from '../db/query.js';
import { renderStorefrontLists } from '../tariffs/storefront-list.js';
import { enqueueEvent } from './outbox.repository.js';

type ListItem = { id: number; internalName: string };

/** One tariff in a `tariff.list_changed` event. */
export interface TariffListChange {
  tariffId: number;
  /** The ETag `GET /storefront/tariffs/{id}/os` answers from now on. */
  etag: string;
  added: ListItem[];
  removed: ListItem[];
}

interface StateRow {
  tariff_id: number;
  // Missing row: a tariff new since the last run (its list was empty). Null etag: not known yet.
  has_row: boolean;
  etag: string | null;
  items: ListItem[] | null;
}

/** What changed between two lists: added and removed templates (in list order). */
export function diffLists(before: ListItem[], after: ListItem[]): { added: ListItem[]; removed: ListItem[] } {
  const had = new Set(before.map((i) => i.id));
  const has = new Set(after.map((i) => i.id));
  return { added: after.filter((i) => !had.has(i.id)), removed: before.filter((i) => !has.has(i.id)) };
}

/**
 * Nobody receives list events: rendering every list on every change would be wasted, so the
 * lists become "not known" instead, and the change that subscribes an endpoint (it runs the
 * feed too) records them afresh without announcing them. What changes touched no longer matters.
 */
async function forgetLists(tx: Tx, at: Date): Promise<void> {
  await tx.execute(sql`
    insert into webhook_tariff_lists (tariff_id, etag, items, updated_at)
    select id, null, null, ${at.toISOString()}::timestamptz from tariffs
    on conflict (tariff_id) do update set etag = null, items = null, updated_at = excluded.updated_at
      where webhook_tariff_lists.etag is not null`);
  await tx.execute(sql`delete from webhook_list_touches`);
}

/**
 * Takes what the changes since the last announcement touched (`webhook_list_touches`, written by
 * triggers on every table the lists read, migration 0018) and returns the last announced state of
 * every tariff whose list they can have altered: a touched tariff; every tariff using a touched
 * module (its connections, or a column answers read); every tariff using a module connected to a
 * touched template, or to a template naming it as its replacement (the list shows the
 * replacement's names); every tariff after `all` (a parameter changed). A tariff not among them
 * reads exactly the rows it read when its list was last announced. Tariffs with no recorded or
 * an unknown list are always returned (nothing to compare with, as before).
 */
async function takeTouchedStates(tx: Tx): Promise<StateRow[]> {
  return queryRows<StateRow>(
    tx,
    sql`with touched as (delete from webhook_list_touches returning kind, ref_id),
        touched_values as (
          select ref_id as id from touched where kind = 'value'
          union select v.id from parameter_values v
          where v.replacement_id in (select ref_id from touched where kind = 'value')),
        touched_modules as (
          select ref_id as id from touched where kind = 'module'
          union select mt.module_id from module_templates mt where mt.value_id in (select id from touched_values)),
        touched_tariffs as (
          select ref_id as id from touched where kind = 'tariff'
          union select tm.tariff_id from tariff_modules tm where tm.module_id in (select id from touched_modules))
        select t.id as tariff_id, (s.tariff_id is not null) as has_row, s.etag, s.items
        from tariffs t left join webhook_tariff_lists s on s.tariff_id = t.id
        where s.etag is null or t.id in (select id from touched_tariffs)
          or exists (select 1 from touched where kind = 'all')
        order by t.id`,
  );
}

/** What one run of the change feed did: the tariffs it announced, and the lists it rendered. */
export interface ListAnnouncement {
  changes: TariffListChange[];
  renderedTariffIds: number[];
}

/**
 * The change feed of the storefront lists, run inside every transaction that may change them
 * (admin edits, sync apply, the EOL job) as its last step: renders the list of each tariff the
 * changes since the last run can have altered (`takeTouchedStates`), compares its ETag with the
 * one last announced, records the new ones and writes one `tariff.list_changed` event for the
 * whole change set (only while an enabled endpoint receives that event; see `forgetLists`).
 * Every other tariff's list is unchanged, so the event is the one rendering every list would
 * give. Takes the catalog-revision row first, so concurrent changes announce one after another,
 * each against what the previous one committed (a writer takes that row last anyway, so this
 * adds no lock cycle).
 */
export async function announceListChanges(tx: Tx, at: Date): Promise<ListAnnouncement> {
  const [lock] = await queryRows<{ subscribed: boolean }>(
    tx,
    sql`select exists (select 1 from webhook_endpoints where enabled and 'tariff.list_changed' = any(events))
          as subscribed
        from catalog_revision where id = 1 for update`,
  );
  if (!lock?.subscribed) {
    await forgetLists(tx, at);
    return { changes: [], renderedTariffIds: [] };
  }
  const states = await takeTouchedStates(tx);
  const changes: TariffListChange[] = [];
  const records: { tariffId: number; etag: string; items: ListItem[] }[] = [];
  const renderedTariffIds = states.map((s) => s.tariff_id);
  const lists = await renderStorefrontLists(tx, renderedTariffIds);
  for (const state of states) {
    const list = lists.get(state.tariff_id)!;
    if (state.has_row && state.etag === list.etag) continue;
    records.push({ tariffId: state.tariff_id, etag: list.etag, items: list.items });
    // A list not known yet is recorded as it is: nothing to compare it with.
    if (state.has_row && state.etag === null) continue;
    const { added, removed } = diffLists(state.items ?? [], list.items);
    changes.push({ tariffId: state.tariff_id, etag: list.etag, added, removed });
  }
  if (records.length > 0) {
    await tx.execute(sql`
      insert into webhook_tariff_lists (tariff_id, etag, items, updated_at)
      select x.tariff_id, x.etag, x.items, ${at.toISOString()}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(records.map((r) => ({ tariff_id: r.tariffId, etag: r.etag, items: r.items })))}::jsonb)
        as x(tariff_id int, etag text, items jsonb)
      on conflict (tariff_id) do update set etag = excluded.etag, items = excluded.items, updated_at = excluded.updated_at`);
  }
  if (changes.length > 0)
    await enqueueEvent(tx, { type: 'tariff.list_changed', data: { tariffs: changes } }, at);
  return { changes, renderedTariffIds };
}
