import { usePredict } from '@gradio-hooks/react';
import { Panel, StatusBadge } from '../ui';

/**
 * Session state: `/increment` keeps a counter in `gr.State`, per session. Calls of one client share
 * its session; `client.resetSession()` starts a new one, so the counter starts again from 0.
 */
export function SessionState() {
  // 'parallel': quick clicks do not cancel each other; the state shows the newest call.
  const { submit, data, status, client, reset, isPending } = usePredict<[number]>('/increment', { concurrency: 'parallel' });
  const count = data?.[0] ?? 0;
  const newSession = () => {
    client?.resetSession(); // later calls get fresh gr.State (this applies to the whole app: one client)
    reset(); // back to idle: no count shown from the old session
  };
  return (
    <Panel id="session" title="Session state" uses="usePredict · client.resetSession()" description="A counter kept by gr.State on the server, per session.">
      <div className="counter">
        <output className="counter-value" data-testid="counter-value" aria-label="Counter" aria-busy={isPending}>
          {count}
        </output>
        <div className="counter-actions">
          <button type="button" className="button primary" disabled={!client} onClick={() => submit({ step: 1 })} data-testid="counter-increment">
            +1
          </button>
          <button type="button" className="button" disabled={!client} onClick={() => submit({ step: 5 })}>
            +5
          </button>
          <button type="button" className="button ghost" disabled={!client} onClick={newSession} data-testid="counter-new-session">
            New session
          </button>
        </div>
      </div>
      <p className="muted small">
        Session <code data-testid="session-hash">{client?.sessionHash.slice(0, 10)}</code> · <StatusBadge status={status} />
      </p>
    </Panel>
  );
}
