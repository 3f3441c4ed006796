import { useState } from 'react';
import { AppError, usePredict } from '@gradio-hooks/react';
import { useToast } from '../toast';
import { Field, Panel, StatusBadge } from '../ui';

/**
 * Errors and logs: `gr.Error` from `/fail` arrives as an `AppError` (message and title) in `error`;
 * `gr.Info` / `gr.Warning` from `/logs` arrive in `logs` while the job runs and become toasts.
 */
export function ErrorsAndLogs() {
  const [message, setMessage] = useState('The model is out of coffee');
  const [note, setNote] = useState('hello');
  const fail = usePredict<[string]>('/fail');
  const toast = useToast();
  // Each gr.Info / gr.Warning message becomes a toast as it arrives.
  const logs = usePredict<[string]>('/logs', { onLog: (l) => toast({ level: l.level, title: l.title, message: l.message, duration: l.duration }) });

  const err = fail.error;
  return (
    <Panel id="errors" title="Errors and logs" uses="error: AppError · logs" description="gr.Error shown in the UI; gr.Info and gr.Warning as toasts.">
      <div className="stack">
        <div className="inline-form">
          <Field htmlFor="fail-message" label="gr.Error message">
            <input id="fail-message" value={message} onChange={(e) => setMessage(e.target.value)} />
          </Field>
          <button type="button" className="button danger" disabled={!fail.client || fail.isPending} onClick={() => fail.submit({ message })} data-testid="fail-run">
            Raise gr.Error
          </button>
        </div>
        {fail.isError && err && (
          <div className="callout error" role="alert" data-testid="fail-error">
            <strong>{err instanceof AppError && err.title ? err.title : err.name}</strong>
            <p>{err.message}</p>
          </div>
        )}
        {!fail.isError && <p className="muted small">Status: <StatusBadge status={fail.status} /></p>}
        <div className="inline-form">
          <Field htmlFor="logs-message" label="Log message">
            <input id="logs-message" value={note} onChange={(e) => setNote(e.target.value)} />
          </Field>
          <button type="button" className="button" disabled={!logs.client || logs.isPending} onClick={() => logs.submit({ message: note })} data-testid="logs-run">
            Send gr.Info + gr.Warning
          </button>
        </div>
        {logs.logs.length > 0 && (
          <ul className="log-list" data-testid="log-list">
            {logs.logs.map((l, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the log list only grows
              <li key={i} className={`log log-${l.level}`}>
                <span className="log-level">{l.level}</span> {l.message}
              </li>
            ))}
          </ul>
        )}
      </div>
    </Panel>
  );
}
