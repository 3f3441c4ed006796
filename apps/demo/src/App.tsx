import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { QueryClient } from '@tanstack/react-query';
import { GradioProvider, useGradioClient, type Client } from '@gradio-hooks/react';
import { ToastProvider } from './toast';
import { ApiExplorer } from './panels/ApiExplorer';
import { LiveQueue } from './panels/LiveQueue';
import { Streaming } from './panels/Streaming';
import { Files } from './panels/Files';
import { Microphone } from './panels/Microphone';
import { SessionState } from './panels/SessionState';
import { ErrorsAndLogs } from './panels/ErrorsAndLogs';

/** The app used when the address has no `?src=`: set by `npm run demo`, else a local Gradio. */
const DEFAULT_SRC = import.meta.env.VITE_GRADIO_URL || 'http://127.0.0.1:7860';

function initialSrc(): string {
  return new URLSearchParams(window.location.search).get('src')?.trim() || DEFAULT_SRC;
}

export function App() {
  const [queryClient] = useState(() => new QueryClient());
  const [connection, setConnection] = useState(() => ({ src: initialSrc(), token: '' }));
  const options = useMemo(() => (connection.token ? { token: connection.token } : {}), [connection.token]);

  const connect = (src: string, token: string) => {
    const url = new URL(window.location.href);
    if (src === DEFAULT_SRC) url.searchParams.delete('src');
    else url.searchParams.set('src', src);
    window.history.replaceState(null, '', url);
    setConnection({ src, token });
  };

  return (
    <GradioProvider src={connection.src} options={options} queryClient={queryClient}>
      <ToastProvider>
        <div className="app">
          <TopBar src={connection.src} token={connection.token} onConnect={connect} />
          <main className="main">
            <Workspace src={connection.src} />
          </main>
          <footer className="footer">
            Built with <code>@gradio-hooks/react</code> — every panel is a small component in <code>apps/demo/src/panels/</code>.
          </footer>
        </div>
      </ToastProvider>
    </GradioProvider>
  );
}

function TopBar({ src, token, onConnect }: { src: string; token: string; onConnect: (src: string, token: string) => void }) {
  const [draft, setDraft] = useState(src);
  const [secret, setSecret] = useState(token);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = draft.trim();
    if (value) onConnect(value, secret.trim());
  };
  return (
    <header className="topbar">
      <div className="brand">
        <span className="logo" aria-hidden="true" />
        <div>
          <strong>gradio-hooks</strong>
          <span className="brand-sub">Live Gradio console</span>
        </div>
      </div>
      <form className="connect" onSubmit={submit} aria-label="Gradio app">
        <label className="sr-only" htmlFor="app-src">
          Gradio app URL or Space id
        </label>
        <input id="app-src" data-testid="app-src" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="http://127.0.0.1:7860 or owner/space" spellCheck={false} autoComplete="url" />
        <label className="sr-only" htmlFor="app-token">
          Hugging Face token (optional)
        </label>
        <input id="app-token" type="password" value={secret} onChange={(e) => setSecret(e.target.value)} placeholder="hf_… token (optional)" autoComplete="off" className="token" />
        <button type="submit" className="button">
          Connect
        </button>
      </form>
      <ConnectionStatus />
    </header>
  );
}

/** Always visible: connecting / connected (with the Gradio version) / error. */
function ConnectionStatus() {
  const { status, client } = useGradioClient();
  const text = status === 'ready' ? 'Connected' : status === 'connecting' ? 'Connecting…' : 'Not connected';
  return (
    <div className={`conn conn-${status}`} role="status" aria-live="polite" data-testid="connection-status" data-status={status}>
      <span className="dot" aria-hidden="true" />
      <span>
        {text}
        {client && <span className="conn-detail"> · Gradio {client.version ?? '?'} · {hostOf(client.url)}</span>}
      </span>
    </div>
  );
}

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

/** The panels, once connected; a clear error with a Retry button otherwise. */
function Workspace({ src }: { src: string }) {
  const { status, error, client, reconnect: retry } = useGradioClient();
  if (status === 'error' || (!client && error)) {
    return (
      <div className="state-card error-card" role="alert" data-testid="connection-error">
        <h2>Could not connect to the Gradio app</h2>
        <p className="mono">{src}</p>
        <p>
          <strong>{error?.name ?? 'Error'}:</strong> {error?.message ?? 'Unknown error'}
        </p>
        <p className="muted">Check that the app is running and reachable from this browser (CORS), or enter another URL or Space id above.</p>
        <button type="button" className="button" onClick={retry}>
          Retry
        </button>
      </div>
    );
  }
  if (!client) {
    return (
      <div className="state-card" data-testid="connecting">
        <span className="spinner" aria-hidden="true" />
        <p>
          Connecting to <span className="mono">{src}</span>…
        </p>
      </div>
    );
  }
  return (
    <div className="grid" key={client.url}>
      <Needs client={client} endpoint="slow" id="queue" title="Live queue">
        <LiveQueue />
      </Needs>
      <Needs client={client} endpoint="stream_text" id="streaming" title="Streaming">
        <Streaming />
      </Needs>
      <ApiExplorer />
      <Needs client={client} endpoint="fail" id="errors" title="Errors and logs">
        <ErrorsAndLogs />
      </Needs>
      <Needs client={client} endpoint="image_transform" id="files" title="Files">
        <Files />
      </Needs>
      <Needs client={client} endpoint="increment" id="session" title="Session state">
        <SessionState />
      </Needs>
      <Needs client={client} endpoint="listen" id="microphone" title="Microphone">
        <Microphone />
      </Needs>
    </div>
  );
}

/** Shows a panel only when the connected app has the endpoint it was written for. */
function Needs({ client, endpoint, id, title, children }: { client: Client; endpoint: string; id: string; title: string; children: ReactNode }) {
  if (client.endpoints.includes(`/${endpoint}`)) return <>{children}</>;
  return (
    <section className={`panel panel-${id} panel-missing`} aria-label={title}>
      <h2>{title}</h2>
      <p className="muted">
        This panel calls <code>/{endpoint}</code> of the bundled demo server; the connected app has no such endpoint. Use the API explorer instead.
      </p>
    </section>
  );
}
