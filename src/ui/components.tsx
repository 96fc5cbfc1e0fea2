import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { ApiError, describeError } from './api/client';
import type { TemplateStatus } from './types';

const STATUS_TEXT: Record<TemplateStatus, string> = {
  all: 'available on all tariffs',
  some: 'available on some tariffs',
  none: 'not available on any tariff',
};

/** The seed's status icon: full / half / empty circle. */
export function StatusIcon({ status }: { status: TemplateStatus }) {
  const glyph = status === 'all' ? '●' : status === 'some' ? '◐' : '○';
  return (
    <span className={`status status-${status}`} title={STATUS_TEXT[status]} data-status={status}>
      <span aria-hidden="true">{glyph}</span>
      <span className="sr-only">{STATUS_TEXT[status]}</span>
    </span>
  );
}

export function StatusLegend() {
  return (
    <p className="legend" aria-label="Status legend">
      {(['all', 'some', 'none'] as const).map((s) => (
        <span key={s}>
          <StatusIcon status={s} /> {STATUS_TEXT[s]}
        </span>
      ))}
    </p>
  );
}

/** A yes/no mark with words for screen readers and tests. */
export function YesNo({ value, yes = 'yes', no = 'no' }: { value: boolean; yes?: string; no?: string }) {
  return <span className={value ? 'mark-yes' : 'mark-no'}>{value ? `✔ ${yes}` : `✖ ${no}`}</span>;
}

/**
 * A switch (a checkbox styled as a toggle) with a label. It shows the clicked state at once and
 * falls back to `checked` when the caller's action ends (`disabled` goes false): a failed save
 * shows the stored state again.
 */
export function Toggle(props: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: string;
  disabled?: boolean;
}) {
  const [optimistic, setOptimistic] = useState<boolean | null>(null);
  useEffect(() => {
    if (!props.disabled) setOptimistic(null);
  }, [props.disabled, props.checked]);
  return (
    <label className="toggle">
      <input
        type="checkbox"
        role="switch"
        checked={optimistic ?? props.checked}
        disabled={props.disabled}
        aria-label={props.label}
        onChange={(e) => {
          setOptimistic(e.target.checked);
          props.onChange(e.target.checked);
        }}
      />
      <span className="toggle-track" aria-hidden="true" />
    </label>
  );
}

/** An error shown next to what caused it. */
export function ErrorText({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  return (
    <p className="error" role="alert">
      {describeError(error)}
    </p>
  );
}

/** The error for one form field, when the API named that field. */
export function fieldError(error: unknown, field: string): ApiError | null {
  return error instanceof ApiError && error.field === field ? error : null;
}

/** An error that no field claims (shown by the submit button). */
export function formError(error: unknown, fields: string[]): unknown {
  if (error instanceof ApiError && error.field && fields.includes(error.field)) return null;
  return error;
}

export function Spinner({ label }: { label: string }) {
  return (
    <span className="spinner" role="status">
      <span className="spinner-dot" aria-hidden="true" /> {label}
    </span>
  );
}

/**
 * What one `useLoad` shows: its error, a spinner until the first answer, then `children` of the
 * data (kept on screen, with the error above it, when a reload fails).
 */
export function Loaded<T>(props: {
  load: { data: T | null; error: unknown };
  label: string;
  children: (data: T) => ReactNode;
}) {
  const { load, label, children } = props;
  return (
    <>
      <ErrorText error={load.error} />
      {load.data !== null ? children(load.data) : load.error ? null : <Spinner label={label} />}
    </>
  );
}

export function Page({
  title,
  crumbs,
  children,
  actions,
}: {
  title: string;
  crumbs?: ReactNode;
  children: ReactNode;
  actions?: ReactNode;
}) {
  useEffect(() => {
    document.title = `${title} · os-catalog`;
  }, [title]);
  return (
    <section className="page">
      {crumbs ? (
        <nav className="crumbs" aria-label="Breadcrumbs">
          {crumbs}
        </nav>
      ) : null}
      <header className="page-head">
        <h1>{title}</h1>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}

/** Loads data once (and on `reload()`), keeping the last error. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [version, setVersion] = useState(0);
  const run = useCallback(load, deps);
  useEffect(() => {
    let live = true;
    setLoading(true);
    run().then(
      (value) => {
        if (!live) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (!live) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [run, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data, error, loading, reload, setData };
}

/** Runs one action at a time, keeping its error for display beside it. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await action();
    } catch (err) {
      setError(err);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, setError };
}

/** One row of an order form: what a customer may pick, in order, and the module that builds it. */
export interface OrderFormRow {
  id: number;
  displayName: string;
  internalName: string;
  minDiskMib: number | null;
  minRamMib: number | null;
  lifecycle?: { state: string; eolAt: string | null } | null | undefined;
  moduleName?: string | null | undefined;
}

/**
 * The order form of a tariff as a table (tariff page, order preview). `busy` (aria-busy) says a
 * newer answer is on its way, and `shows` (data-shows) names the query these rows answer, so that a
 * reader (or a test) can tell the rows of the last choice from the rows of the one before.
 */
export function OrderFormTable({
  label,
  nameHeader,
  rows,
  busy = false,
  shows,
}: {
  label: string;
  nameHeader: string;
  rows: OrderFormRow[];
  busy?: boolean;
  shows?: string;
}) {
  return (
    <table className="grid" aria-label={label} aria-busy={busy} data-shows={shows}>
      <thead>
        <tr>
          <th>#</th>
          <th>{nameHeader}</th>
          <th>Internal name</th>
          <th>Min disk</th>
          <th>Min RAM</th>
          <th>Built by module</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((o, i) => (
          <tr key={o.id}>
            <td className="num">{i + 1}</td>
            <td>
              {o.displayName}
              {o.lifecycle ? (
                <span className="muted small" data-lifecycle={o.lifecycle.state}>
                  {' '}
                  {o.lifecycle.state === 'deprecating' && o.lifecycle.eolAt
                    ? `deprecating on ${formatEol(o.lifecycle.eolAt)}`
                    : o.lifecycle.state}
                </span>
              ) : null}
            </td>
            <td>
              <code>{o.internalName}</code>
            </td>
            <td className="num">{formatMib(o.minDiskMib)}</td>
            <td className="num">{formatMib(o.minRamMib)}</td>
            <td>{o.moduleName ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function formatMib(mib: number | null): string {
  if (mib === null) return '—';
  if (mib >= 1024 && mib % 1024 === 0) return `${mib / 1024} GiB`;
  return `${mib} MiB`;
}

/**
 * An end-of-life instant as the date an admin entered it: the form sends the day's start in UTC,
 * so it is shown in UTC (in the browser's zone, 2027-06-30 read as 29 June west of Greenwich).
 */
export function formatEol(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const utc = date.toISOString();
  return utc.endsWith('T00:00:00.000Z')
    ? `${utc.slice(0, 10)} UTC`
    : `${utc.slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatTime(iso: string | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
