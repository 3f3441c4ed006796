import { useEffect, useRef, useState } from 'react';
import { useJob, usePredict, type Job, type QueueInfo } from '@gradio-hooks/react';
import { Field, Panel, ProgressBar, StatusBadge, seconds } from '../ui';

interface Row {
  id: number;
  label: string;
  job: Job<[string]>;
}

/**
 * Live queue: launches N calls of `/slow` (concurrency_limit=1 on the server, so they queue).
 * Each row follows its own job with `useJob`: status, queue position and size, an ETA ticking down,
 * the `gr.Progress` bar, and a cancel button (queued: leaves the queue; running: stops).
 */
export function LiveQueue() {
  const [count, setCount] = useState('3');
  const [duration, setDuration] = useState('3');
  const [rows, setRows] = useState<Row[]>([]);
  const next = useRef(1);
  // 'parallel': a new call does not cancel the previous ones.
  const { submit, client } = usePredict<[string]>('/slow', { concurrency: 'parallel' });

  const launch = () => {
    const n = Math.min(10, Math.max(1, Number(count) || 1));
    const batch: Row[] = [];
    for (let i = 0; i < n; i++) {
      const id = next.current++;
      const label = `job ${id}`;
      batch.push({ id, label, job: submit({ label, seconds: Number(duration) || 1 }) });
    }
    setRows((all) => [...all, ...batch]);
  };
  const clear = () => setRows((all) => all.filter((r) => !r.job.done()));
  const cancelAll = () => rows.forEach((r) => void r.job.cancel());

  return (
    <Panel id="queue" title="Live queue" uses="usePredict · useJob · job.cancel()" description="/slow runs one job at a time: watch positions move up, ETAs tick down and gr.Progress fill.">
      <div className="toolbar">
        <Field htmlFor="queue-count" label="Jobs">
          <input id="queue-count" type="number" min={1} max={10} value={count} onChange={(e) => setCount(e.target.value)} />
        </Field>
        <Field htmlFor="queue-seconds" label="Seconds each">
          <input id="queue-seconds" type="number" min={0.5} step={0.5} value={duration} onChange={(e) => setDuration(e.target.value)} />
        </Field>
        <div className="toolbar-actions">
          <button type="button" className="button primary" disabled={!client} onClick={launch} data-testid="queue-launch">
            Launch {Number(count) || 1} jobs
          </button>
          <button type="button" className="button" onClick={cancelAll} disabled={!rows.length}>
            Cancel all
          </button>
          <button type="button" className="button ghost" onClick={clear} disabled={!rows.length}>
            Clear finished
          </button>
        </div>
      </div>
      {rows.length === 0 ? (
        <p className="empty">No jobs yet. Launch a few to fill the queue.</p>
      ) : (
        <table className="queue-table">
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Status</th>
              <th scope="col">Queue</th>
              <th scope="col">ETA</th>
              <th scope="col" className="wide">
                Progress
              </th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <QueueRow key={r.id} row={r} />
            ))}
          </tbody>
        </table>
      )}
      <p className="muted small">Positions are 1-based (#1 = next to run). Gradio sends an ETA once it has timed a call of the endpoint.</p>
    </Panel>
  );
}

/** Seconds left of an ETA the server sent at the moment `queue` last changed, ticking down. */
function useCountdown(queue: QueueInfo): number | null {
  const [since, setSince] = useState(() => Date.now());
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    setSince(Date.now());
    setNow(Date.now());
  }, [queue]);
  useEffect(() => {
    if (queue.eta === null) return;
    const timer = setInterval(() => setNow(Date.now()), 200);
    return () => clearInterval(timer);
  }, [queue]);
  return queue.eta === null ? null : Math.max(0, queue.eta - (now - since) / 1000);
}

function QueueRow({ row }: { row: Row }) {
  const { status, queue, progress, data, error, isPending } = useJob(row.job);
  const eta = useCountdown(queue);
  const queued = status === 'queued' && queue.position !== null;
  return (
    <tr data-testid="queue-row" data-label={row.label} data-status={status} data-position={queue.position ?? ''}>
      <th scope="row" className="mono">
        {row.label}
      </th>
      <td>
        <StatusBadge status={status} />
      </td>
      <td data-testid="queue-position" className="nowrap">
        {queued ? (
          <>
            <strong>#{queue.position! + 1}</strong>
            {queue.size !== null && <span className="muted"> of {queue.size}</span>}
          </>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td className="nowrap tabular" data-testid="queue-eta">
        {isPending && eta !== null ? `~${seconds(eta)}` : <span className="muted">—</span>}
      </td>
      <td className="wide">
        {status === 'running' || status === 'streaming' ? (
          <ProgressBar unit={progress?.[0]} label={`Progress of ${row.label}`} />
        ) : status === 'success' ? (
          <span className="result-text">{data?.[0]}</span>
        ) : status === 'error' ? (
          <span className="error-text">{error?.message}</span>
        ) : status === 'cancelled' ? (
          <span className="muted">Cancelled</span>
        ) : (
          <span className="muted">Waiting…</span>
        )}
      </td>
      <td>
        <button type="button" className="button small" disabled={!isPending} onClick={() => void row.job.cancel()} aria-label={`Cancel ${row.label}`}>
          Cancel
        </button>
      </td>
    </tr>
  );
}
