import { afterEach, describe, expect, it, vi } from 'vitest';
import { StrictMode, Suspense, Component, useState, type ReactNode } from 'react';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { AppError, ArgumentError, Client, ConnectionError, GradioProvider, useGradioClient, usePredict, useSuspenseGradioClient, type UseGradioClientOptions } from './index.js';
import { gradioUrl, newQueryClient, renderApp, session } from '../test/utils.js';

const qc = newQueryClient();
afterEach(() => {
  cleanup();
  qc.clear();
  vi.restoreAllMocks();
});

/** Renders, under the test app's provider, a component that records every client it is given. */
function renderRecording(): Set<Client> {
  const seen = new Set<Client>();
  function Use() {
    const { client } = useGradioClient();
    if (client) seen.add(client);
    return <p>{client ? 'ready' : 'connecting'}</p>;
  }
  renderApp(<Use />, { queryClient: qc });
  return seen;
}

/** The provider's connection: its status and error, and a Retry button. */
function Status() {
  const { status, error, reconnect } = useGradioClient();
  return (
    <>
      <p>{status}{error && `: ${error.message}`}</p>
      <button type="button" onClick={reconnect}>Retry</button>
    </>
  );
}

describe('useGradioClient', () => {
  it('connects once and shares one client across two components', async () => {
    const connect = vi.spyOn(Client, 'connect');
    const seen: Client[] = [];
    function Status({ name }: { name: string }) {
      const { client, status } = useGradioClient();
      if (client) seen.push(client);
      return <p>{name}: {status}</p>;
    }
    renderApp(<><Status name="a" /><Status name="b" /></>, { queryClient: qc });
    expect(screen.getByText('a: connecting')).toBeTruthy();
    await screen.findByText('a: ready');
    await screen.findByText('b: ready');
    expect(connect).toHaveBeenCalledTimes(1);
    expect(new Set(seen).size).toBe(1);
    expect(seen[0]!.url).toBe(gradioUrl());
  });

  it('makes one client per set of identity options (a user signing in gets a client with their oauthToken; a URL written otherwise is the same)', async () => {
    const seen = new Map<string, Client>();
    const connect = vi.spyOn(Client, 'connect');
    const written: Record<string, string> = { pasted: ` ${gradioUrl()}\n`, slash: `${gradioUrl()}/`, query: `${gradioUrl()}/?view=api` };
    function Status({ name, oauthToken }: { name: string; oauthToken?: string }) {
      const { client } = useGradioClient(written[name] ?? gradioUrl(), oauthToken ? { oauthToken } : {});
      if (client) seen.set(name, client);
      return <p>{name}: {client ? 'ready' : 'connecting'}</p>;
    }
    const names = ['anonymous', 'also anonymous', 'pasted', 'slash', 'query', 'signed in'];
    renderApp(names.map((name) => <Status key={name} name={name} oauthToken={name === 'signed in' ? 'hf_user' : undefined} />), { queryClient: qc });
    for (const name of names) await screen.findByText(`${name}: ready`);
    expect(seen.get('also anonymous')).toBe(seen.get('anonymous'));
    for (const name of ['pasted', 'slash', 'query']) expect(seen.get(name)).toBe(seen.get('anonymous')); // the URL with spaces around it, a trailing slash, a query
    expect(seen.get('signed in')).not.toBe(seen.get('anonymous'));
    expect(connect).toHaveBeenCalledTimes(2);
    // Gradio ≥ 6.21 passes an API caller's token to the app (npm test runs the hooks on 6.31); before
    // 5.45 a gr.OAuthToken endpoint cannot run without a login button's session middleware
    const [major = 0, minor = 0] = (seen.get('anonymous')!.version ?? '').split('.').map(Number);
    const since = (ma: number, mi: number) => major > ma || (major === ma && minor >= mi);
    const outcome = (call: Promise<unknown[]>) => call.then(([text]) => text, (e: unknown) => (e instanceof AppError ? 'server error' : e));
    expect(await outcome(seen.get('signed in')!.predict('/oauth_echo', ['hi']))).toBe(since(6, 21) ? 'hi: token ...user' : since(5, 45) ? 'hi: no token' : 'server error');
    expect(await outcome(seen.get('anonymous')!.predict('/oauth_echo', ['hi']))).toBe(since(5, 45) ? 'hi: no token' : 'server error');
  });

  it("lays the hook's options over the provider's, an option given as undefined leaving the provider's in place", async () => {
    const sessionHash = session();
    const seen = new Map<string, Client>();
    function Status({ name, options }: { name: string; options?: UseGradioClientOptions }) {
      const { client } = useGradioClient(undefined, options);
      if (client) seen.set(name, client);
      return <p>{name}: {client ? 'ready' : 'connecting'}</p>;
    }
    renderApp(
      [
        <Status key="plain" name="plain" />,
        // a value read from the environment or a prop, absent here: as if left out
        <Status key="unset" name="unset" options={{ sessionHash: undefined, token: undefined, api: true }} />,
        <Status key="own" name="own" options={{ sessionHash: `${sessionHash}-own` }} />,
      ],
      { queryClient: qc, sessionHash },
    );
    for (const name of ['plain', 'unset', 'own']) await screen.findByText(`${name}: ready`);
    expect(seen.get('plain')!.sessionHash).toBe(sessionHash);
    expect(seen.get('unset')).toBe(seen.get('plain'));
    expect(seen.get('own')!.sessionHash).toBe(`${sessionHash}-own`);
  });

  it('keeps the token and headers out of the query keys, which devtools show and a persisted cache writes out', async () => {
    function Status() {
      const { client } = useGradioClient(undefined, { api: true });
      return <p>{client ? 'ready' : 'connecting'}</p>;
    }
    render(
      <QueryClientProvider client={qc}>
        <GradioProvider src={gradioUrl()} options={{ token: 'hf_secret_token', headers: { 'x-api-key': 'secret-key' } }}>
          <Status />
        </GradioProvider>
      </QueryClientProvider>,
    );
    await screen.findByText('ready');
    const keys = JSON.stringify(qc.getQueryCache().getAll().map((q) => q.queryKey));
    expect(keys).toContain('"client"');
    expect(keys).not.toMatch(/hf_secret_token|secret-key/);
  });

  it('keys headers by their content, whether a record or a Headers object', async () => {
    const seen = new Map<string, Client>();
    function Status({ name, headers }: { name: string; headers: HeadersInit }) {
      const { client } = useGradioClient(gradioUrl(), { headers });
      if (client) seen.set(name, client);
      return <p>{name}: {client ? 'ready' : 'connecting'}</p>;
    }
    renderApp(
      <>
        <Status name="record" headers={{ 'x-app': 'a' }} />
        <Status name="Headers" headers={new Headers({ 'X-App': 'a' })} />
        <Status name="other" headers={new Headers({ 'x-app': 'b' })} />
      </>,
      { queryClient: qc },
    );
    for (const name of ['record', 'Headers', 'other']) await screen.findByText(`${name}: ready`);
    expect(seen.get('Headers')).toBe(seen.get('record'));
    expect(seen.get('other')).not.toBe(seen.get('record'));
  });

  it('reconnects after a failed connection', async () => {
    vi.spyOn(Client, 'connect').mockRejectedValueOnce(new ConnectionError('the server is down'));
    renderApp(<Status />, { queryClient: qc });
    await screen.findByText('error: the server is down');
    screen.getByText('Retry').click();
    await screen.findByText('ready');
  });

  it('loads the endpoint info on request', async () => {
    function Endpoints() {
      const { api } = useGradioClient(gradioUrl(), { api: true });
      return <ul>{api && Object.keys(api.named_endpoints).map((name) => <li key={name}>{name}</li>)}</ul>;
    }
    render(<QueryClientProvider client={qc}><Endpoints /></QueryClientProvider>);
    await screen.findByText('/calculate');
    expect(screen.queryByText('/hidden_docs')).toBeNull();
  });

  it('reports a connection error', async () => {
    function Bad() {
      const { status, error } = useGradioClient('http://127.0.0.1:9/');
      return <p>{status}{error ? `: ${error.name}` : ''}</p>;
    }
    render(<QueryClientProvider client={qc}><Bad /></QueryClientProvider>);
    await screen.findByText('error: ConnectionError');
  });

  it('closes the client when its query is garbage-collected', async () => {
    function Use() {
      const { status } = useGradioClient(gradioUrl(), { gcTime: 10 });
      return <p>{status}</p>;
    }
    const close = vi.spyOn(Client.prototype, 'close');
    const { unmount } = render(<QueryClientProvider client={qc}><Use /></QueryClientProvider>);
    await screen.findByText('ready');
    unmount();
    await waitFor(() => expect(close).toHaveBeenCalledTimes(1));
  });

  it('closes the client that resetQueries() drops', async () => {
    const seen = renderRecording();
    await screen.findByText('ready');
    const [first] = seen;
    const close = vi.spyOn(Client.prototype, 'close');
    await qc.resetQueries({ queryKey: ['gradio-hooks', 'client'] });
    await waitFor(() => expect(seen.size).toBe(2)); // connected again
    expect(close.mock.contexts).toEqual([first]);
  });

  it('a provider that made its own QueryClient closes its clients when it unmounts, not on StrictMode remounts', async () => {
    const close = vi.spyOn(Client.prototype, 'close');
    let client: Client | undefined;
    function Use() {
      client = useGradioClient().client;
      return <p>{client ? 'ready' : 'connecting'}</p>;
    }
    const { unmount } = render(
      <StrictMode>
        <GradioProvider src={gradioUrl()}>
          <Use />
        </GradioProvider>
      </StrictMode>,
    );
    await screen.findByText('ready');
    await new Promise((r) => setTimeout(r, 50));
    expect(close).not.toHaveBeenCalled();
    unmount();
    await waitFor(() => expect(close.mock.contexts).toEqual([client]));
  });

  it("a provider's own QueryClient keeps its cache through StrictMode's remount: components mounted later share the client", async () => {
    const connect = vi.spyOn(Client, 'connect');
    const seen = new Set<Client>();
    function Use({ name }: { name: string }) {
      const { client } = useGradioClient();
      if (client) seen.add(client);
      return <p>{name} {client ? 'ready' : 'connecting'}</p>;
    }
    function App() {
      const [more, setMore] = useState(false);
      return (
        <>
          <Use name="first" />
          {more && <Use name="later" />}
          <button type="button" onClick={() => setMore(true)}>more</button>
        </>
      );
    }
    render(
      <StrictMode>
        <GradioProvider src={gradioUrl()}>
          <App />
        </GradioProvider>
      </StrictMode>,
    );
    await screen.findByText('first ready');
    screen.getByText('more').click();
    await screen.findByText('later ready');
    expect(seen.size).toBe(1);
    expect(connect).toHaveBeenCalledTimes(1);
  });

  it('keeps the client through invalidateQueries()', async () => {
    const seen = renderRecording();
    await screen.findByText('ready');
    const close = vi.spyOn(Client.prototype, 'close');
    await qc.invalidateQueries();
    expect(close).not.toHaveBeenCalled();
    expect(seen.size).toBe(1);
  });

  it('uses a client given to the provider without connecting', async () => {
    const client = await Client.connect(gradioUrl());
    const connect = vi.spyOn(Client, 'connect');
    function Use() {
      const r = useGradioClient();
      return <p>{r.client === client ? r.status : 'other'}</p>;
    }
    render(<GradioProvider client={client} queryClient={qc}><Use /></GradioProvider>);
    expect(screen.getByText('ready')).toBeTruthy();
    expect(connect).not.toHaveBeenCalled();
    client.close();
  });

  it('throws a clear error without a provider or src, or without any provider', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    function Use() {
      useGradioClient();
      return null;
    }
    const noApp = new ArgumentError('No Gradio app: pass a src or client, or use <GradioProvider> (its src is undefined?).');
    expect(() => render(<QueryClientProvider client={qc}><Use /></QueryClientProvider>)).toThrow(noApp);
    expect(() => render(<QueryClientProvider client={qc}><Use /></QueryClientProvider>)).toThrow(ArgumentError);
    // a provider whose src is undefined (an unset environment variable) says so too
    expect(() => render(<GradioProvider queryClient={qc} src={undefined as unknown as string}><Use /></GradioProvider>)).toThrow(noApp);
    // no provider at all, with a src: it names the provider to use, not only TanStack's
    function WithSrc() {
      usePredict('/echo', { client: 'http://127.0.0.1:1' });
      return null;
    }
    expect(() => render(<WithSrc />)).toThrow(new ArgumentError('No QueryClient: use <GradioProvider>.'));
  });
  it("a hook's own src or client wins over the provider's app, and does not take the provider's options", async () => {
    const sessionHash = session();
    const given = await Client.connect(gradioUrl());
    const seen = new Map<string, Client>();
    function Status({ name, src }: { name: string; src?: string | Client }) {
      const { client } = useGradioClient(src);
      if (client) seen.set(name, client);
      return <p>{name}: {client ? 'ready' : 'connecting'}</p>;
    }
    function Call() {
      const { client } = usePredict('/echo', { client: given });
      return <p>call: {client === given ? 'given' : 'other'}</p>;
    }
    try {
      renderApp(
        <>
          <Status name="provider" />
          <Status name="own src" src={`${gradioUrl()}/`} />
          <Status name="own client" src={given} />
          <Call />
        </>,
        { queryClient: qc, sessionHash },
      );
      for (const name of ['provider', 'own src', 'own client']) await screen.findByText(`${name}: ready`);
      expect(seen.get('provider')!.sessionHash).toBe(sessionHash);
      expect(seen.get('own client')).toBe(given);
      expect(screen.getByText('call: given')).toBeTruthy();
      // the provider's options (a session, a token) are for the provider's app only
      expect(seen.get('own src')).not.toBe(seen.get('provider'));
      expect(seen.get('own src')!.sessionHash).not.toBe(sessionHash);
    } finally {
      given.close();
    }
  });

  it('connects again on remount after a failed connection', async () => {
    vi.spyOn(Client, 'connect').mockRejectedValueOnce(new ConnectionError('the server is down'));
    function Status() {
      const { status } = useGradioClient();
      return <p>{status}</p>;
    }
    const { unmount } = renderApp(<Status />, { queryClient: qc });
    await screen.findByText('error');
    unmount();
    renderApp(<Status />, { queryClient: qc });
    await screen.findByText('ready');
  });

  it('shows connecting, not the old error, while reconnect() tries again', async () => {
    const connect = Client.connect.bind(Client);
    let open = () => {};
    const gate = new Promise<void>((r) => (open = r));
    vi.spyOn(Client, 'connect')
      .mockRejectedValueOnce(new ConnectionError('the server is down'))
      .mockImplementationOnce(async (...args) => {
        await gate;
        return connect(...args);
      });
    renderApp(<Status />, { queryClient: qc });
    await screen.findByText('error: the server is down');
    screen.getByText('Retry').click();
    await screen.findByText('connecting');
    open();
    await screen.findByText('ready');
  });

  it('loads no endpoint info unless asked', async () => {
    const viewApi = vi.spyOn(Client.prototype, 'viewApi');
    function Status() {
      const { status, api } = useGradioClient(gradioUrl());
      return <p>{status} {api ? 'api' : 'no api'}</p>;
    }
    render(<QueryClientProvider client={qc}><Status /></QueryClientProvider>);
    await screen.findByText('ready no api');
    await new Promise((r) => setTimeout(r, 100));
    expect(screen.getByText('ready no api')).toBeTruthy();
    expect(viewApi).not.toHaveBeenCalled();
  });

  it("loads the undocumented endpoints too with api: 'all', and keeps both lists apart", async () => {
    function Endpoints({ api }: { api: true | 'all' }) {
      const r = useGradioClient(gradioUrl(), { api });
      return <p>{String(api)}: {r.api ? Object.keys(r.api.named_endpoints).filter((name) => name === '/hidden_docs' || name === '/calculate').join(' ') : '-'}</p>;
    }
    render(<QueryClientProvider client={qc}><Endpoints api={true} /><Endpoints api="all" /></QueryClientProvider>);
    await screen.findByText('all: /calculate /hidden_docs');
    await screen.findByText('true: /calculate');
  });

  it('reports a failed load of the endpoint info, and reconnect() loads it again', async () => {
    vi.spyOn(Client.prototype, 'viewApi').mockRejectedValueOnce(new ConnectionError('no info'));
    // no retries, as for the connection (`retry` option), though TanStack's default is 3
    const once = new QueryClient();
    function Endpoints() {
      const { status, error, api, reconnect } = useGradioClient(gradioUrl(), { api: true });
      return (
        <>
          <p>{status}{error && `: ${error.message}`}{api && Object.keys(api.named_endpoints).includes('/calculate') && ' with api'}</p>
          <button type="button" onClick={reconnect}>Retry</button>
        </>
      );
    }
    try {
      render(<QueryClientProvider client={once}><Endpoints /></QueryClientProvider>);
      await screen.findByText('ready: no info');
      screen.getByText('Retry').click();
      await screen.findByText('ready with api');
    } finally {
      cleanup();
      once.clear();
    }
  });

  it("hooks follow the provider's new options (a user signs in: a new session)", async () => {
    const seen = new Set<string>();
    function Use() {
      const { client } = useGradioClient();
      if (client) seen.add(client.sessionHash);
      return <p>{client ? `session ${client.sessionHash}` : 'connecting'}</p>;
    }
    const [a, b] = [session(), session()];
    const { rerender } = render(<GradioProvider src={gradioUrl()} options={{ sessionHash: a }} queryClient={qc}><Use /></GradioProvider>);
    await screen.findByText(`session ${a}`);
    rerender(<GradioProvider src={gradioUrl()} options={{ sessionHash: b }} queryClient={qc}><Use /></GradioProvider>);
    await screen.findByText(`session ${b}`);
    expect([...seen]).toEqual([a, b]);
  });

  it('uses the queryClient given to the provider over an enclosing QueryClientProvider', async () => {
    const outer = newQueryClient();
    function Use() {
      return <p>{useGradioClient().status}</p>;
    }
    try {
      render(
        <QueryClientProvider client={outer}>
          <GradioProvider src={gradioUrl()} queryClient={qc}>
            <Use />
          </GradioProvider>
        </QueryClientProvider>,
      );
      await screen.findByText('ready');
      expect(qc.getQueryCache().findAll({ queryKey: ['gradio-hooks', 'client'] })).toHaveLength(1);
      expect(outer.getQueryCache().getAll()).toHaveLength(0);
    } finally {
      cleanup();
      outer.clear();
    }
  });
});

class Boundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override render() {
    return this.state.error ? <p>caught {this.state.error.name}</p> : this.props.children;
  }
}

describe('useSuspenseGradioClient', () => {
  it('suspends until connected, with the endpoint info', async () => {
    function App() {
      const { client, api } = useSuspenseGradioClient(undefined, { api: true });
      return <p>{client.version ? 'connected' : '?'} {Object.keys(api!.named_endpoints).length > 3 ? 'with api' : ''}</p>;
    }
    renderApp(<Suspense fallback={<p>loading</p>}><App /></Suspense>, { queryClient: qc });
    expect(screen.getByText('loading')).toBeTruthy();
    await screen.findByText('connected with api');
  });

  it('returns the client at once when connected, without the endpoint info unless asked', async () => {
    function App() {
      const { client, api } = useSuspenseGradioClient();
      return <p>{client.version ? 'connected' : '?'} {api ? 'with api' : 'no api'}</p>;
    }
    renderApp(<Suspense fallback={<p>loading</p>}><App /></Suspense>, { queryClient: qc });
    await screen.findByText('connected no api');
  });

  it('suspends for the endpoint info also when the client is already connected without it', async () => {
    function Plain() {
      return <p>plain {useGradioClient().status}</p>;
    }
    const rendered = new Set<string>();
    function WithApi() {
      const { api } = useSuspenseGradioClient(undefined, { api: true });
      const shown = api && Object.keys(api.named_endpoints).includes('/calculate') ? 'with api' : 'no api';
      rendered.add(shown);
      return <p>{shown}</p>;
    }
    const { rerender } = renderApp(<Plain />, { queryClient: qc });
    await screen.findByText('plain ready');
    rerender(<><Plain /><Suspense fallback={<p>loading</p>}><WithApi /></Suspense></>);
    await screen.findByText('with api');
    expect([...rendered]).toEqual(['with api']); // never rendered without it
  });

  it("suspends for the endpoint info asked for by the provider's options, too", async () => {
    function Plain() {
      return <p>plain {useGradioClient().status}</p>;
    }
    const rendered = new Set<string>();
    function WithApi() {
      const { api } = useSuspenseGradioClient(); // the provider asks for it
      const shown = api && Object.keys(api.named_endpoints).includes('/calculate') ? 'with api' : 'no api';
      rendered.add(shown);
      return <p>{shown}</p>;
    }
    const tree = (children: ReactNode) => (
      <QueryClientProvider client={qc}>
        <GradioProvider src={gradioUrl()} options={{ api: true }}>
          {children}
        </GradioProvider>
      </QueryClientProvider>
    );
    const { rerender } = render(tree(<Plain />));
    await screen.findByText('plain ready');
    rerender(tree(<><Plain /><Suspense fallback={<p>loading</p>}><WithApi /></Suspense></>));
    await screen.findByText('with api');
    expect([...rendered]).toEqual(['with api']);
  });

  it('throws a failed connection to the error boundary', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    function App() {
      useSuspenseGradioClient('http://127.0.0.1:9');
      return <p>never</p>;
    }
    render(<QueryClientProvider client={qc}><Boundary><Suspense fallback={<p>loading</p>}><App /></Suspense></Boundary></QueryClientProvider>);
    await screen.findByText(`caught ${new ConnectionError('').name}`);
  });

  it("the README's retry resets the failed connection only: the app that is connected stays so", async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    let healthy: Client | undefined;
    function Healthy() {
      healthy = useGradioClient().client;
      return <p>healthy {healthy ? 'ready' : '…'}</p>;
    }
    function Broken() {
      useSuspenseGradioClient('http://127.0.0.1:9');
      return <p>never</p>;
    }
    renderApp(<><Healthy /><Boundary><Suspense fallback={<p>loading</p>}><Broken /></Suspense></Boundary></>, { queryClient: qc });
    await screen.findByText('healthy ready');
    await screen.findByText(`caught ${new ConnectionError('').name}`);
    const failed = () => qc.getQueryCache().findAll({ queryKey: ['gradio-hooks'] }).filter((q) => q.state.status === 'error');
    expect(failed()).toHaveLength(1);
    await qc.resetQueries({ queryKey: ['gradio-hooks'], predicate: (q) => q.state.status === 'error' });
    expect(failed()).toHaveLength(0);
    expect(await healthy!.predict('/echo', ['still here'])).toEqual(['still here']); // not closed
  });
});
