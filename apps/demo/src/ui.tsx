// Small presentational helpers shared by the panels. Everything from the server is rendered as text.
import { isFileData, type FileData, type PredictStatus, type ProgressUnit } from '@gradio-hooks/react';
import type { ReactNode } from 'react';

/** A card with a title, a one-line description and the hooks it shows off. */
export function Panel(props: { id: string; title: string; description: ReactNode; uses: string; className?: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className={`panel panel-${props.id} ${props.className ?? ''}`} aria-labelledby={`${props.id}-title`} data-testid={`panel-${props.id}`} id={props.id}>
      <header className="panel-header">
        <h2 id={`${props.id}-title`}>{props.title}</h2>
        <p className="panel-description">{props.description}</p>
        <code className="uses" title="Hooks and functions this panel uses">
          {props.uses}
        </code>
      </header>
      <div className="panel-body">{props.children}</div>
    </section>
  );
}

const LABELS: Record<PredictStatus, string> = {
  idle: 'Idle',
  queued: 'Queued',
  running: 'Running',
  streaming: 'Streaming',
  success: 'Done',
  error: 'Error',
  cancelled: 'Cancelled',
};

/** The hooks' status as a coloured badge. */
export function StatusBadge({ status, testId }: { status: PredictStatus; testId?: string }) {
  return (
    <span className={`badge badge-${status}`} data-status={status} data-testid={testId}>
      {LABELS[status]}
    </span>
  );
}

/** A `gr.Progress` unit as a bar (fraction, or index/length), with its description. */
export function ProgressBar({ unit, label }: { unit: ProgressUnit | null | undefined; label: string }) {
  const fraction = unit?.progress ?? (unit?.index != null && unit.length ? unit.index / unit.length : null);
  const pct = fraction === null ? null : Math.round(Math.min(1, Math.max(0, fraction)) * 100);
  return (
    <div className="progress-wrap">
      <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct ?? undefined}>
        <div className={`progress-fill ${pct === null ? 'indeterminate' : ''}`} style={{ width: pct === null ? undefined : `${pct}%` }} />
      </div>
      <span className="progress-text">{unit?.desc ? `${unit.desc}` : ''}{pct !== null ? ` · ${pct}%` : ''}</span>
    </div>
  );
}

const IMAGE = /\.(png|jpe?g|gif|webp|avif|bmp|svg)$/i;

/** Only http(s) and blob URLs become links or images. */
export const safeUrl = (url: string | null | undefined) => (url && /^(https?:|blob:)/i.test(url) ? url : undefined);

/** True for a `FileData` that is an image (by MIME type or extension). */
export const isImage = (f: FileData) => (f.mime_type ?? '').startsWith('image/') || IMAGE.test(f.orig_name ?? f.url ?? f.path);

/** Renders any output value: files as images or links, objects as JSON, the rest as text. */
export function Value({ value }: { value: unknown }) {
  if (isFileData(value)) {
    const url = safeUrl(value.url);
    const name = value.orig_name ?? value.path.split(/[\\/]/).pop() ?? 'file';
    if (url && isImage(value)) {
      return (
        <a href={url} target="_blank" rel="noreferrer" className="file-image">
          <img src={url} alt={name} />
        </a>
      );
    }
    return url ? (
      <a href={url} target="_blank" rel="noreferrer" download={name}>
        {name}
      </a>
    ) : (
      <span className="value">{name}</span>
    );
  }
  if (value === null || value === undefined) return <span className="value muted">None</span>;
  if (typeof value === 'object') return <pre className="value json">{JSON.stringify(value, null, 2)}</pre>;
  return <span className="value">{String(value)}</span>;
}

/** A labelled form control. */
export function Field({ label, hint, children, htmlFor }: { label: ReactNode; hint?: ReactNode; htmlFor: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={htmlFor}>
        {label}
        {hint && <span className="hint">{hint}</span>}
      </label>
      {children}
    </div>
  );
}

/** Formats seconds for an ETA. */
export const seconds = (s: number) => (s >= 60 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${s.toFixed(1)} s`);
