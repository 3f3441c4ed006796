import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTransition, Suspense, useEffect, useRef, useState, useTransition, version } from 'react';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { focusManager, onlineManager, QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { Client, GradioProvider, predictQueryOptions, useGradioClient, usePredict, type Job, type PredictStatus } from './index.js';
import { CancelledError, handleFile } from '@gradio-hooks/client';
import { gradioUrl, newQueryClient, renderApp, session } from '../test/utils.js';

const qc = newQueryClient();
let others: Client[] = [];
let errors: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  errors = vi.spyOn(console, 'error');
});
afterEach(() => {
  cleanup();
  qc.clear();
  others.forEach((c) => c.close());
  others = [];
  vi.restoreAllMocks();
});

/** A client of its own session, outside React (to occupy the `slow` queue). */
async function otherClient(): Promise<Client> {
  const c = await Client.connect(gradioUrl(), { sessionHash: session() });
  others.push(c);
  return c;
}

const click = (name: string) => fireEvent.click(screen.getByRole('button', { name }));

/** Waits until the page shows `label` and a number ≥ `n` (a generator's count moves on while the test looks: an exact one can be missed). */
const shownAtLeast = (label: string, n: number) =>
  waitFor(() => expect(Number(screen.getByText(new RegExp(`^${label} \\d+$`)).textContent!.slice(label.length))).toBeGreaterThanOrEqual(n), { timeout: 10_000 });

describe('usePredict: imperative', () => {
  it('predicts with keyword arguments', async () => {
    function Sum() {
      const { predict, data, status, client } = usePredict<[number]>('/calculate');
      const [resolved, setResolved] = useState<number>();
      return (
        <div>
          <button disabled={!client} onClick={() => void predict({ a: 2, b: 3 }).then(([v]) => setResolved(v))}>add</button>
          <p>status: {status}</p>
          <p>data: {data?.[0]}</p>
          <p>resolved: {resolved}</p>
        </div>
      );
    }
    renderApp(<Sum />, { queryClient: qc });
    expect(screen.getByText('status: idle')).toBeTruthy();
    await waitFor(() => expect(screen.getByRole('button', { name: 'add' }).hasAttribute('disabled')).toBe(false));
    click('add');
    await screen.findByText('data: 5');
    await screen.findByText('resolved: 5');
    expect(screen.getByText('status: success')).toBeTruthy();
    expect(errors).not.toHaveBeenCalled();
  });

  it('streams a generator into the DOM item by item', async () => {
    const lengths: number[] = [];
    const data: number[] = [];
    function Counter() {
      const { submit, outputs, status, client } = usePredict<[number]>('/count', { onData: ([n]) => data.push(n) });
      lengths.push(outputs.length);
      return (
        <div>
          <button disabled={!client} onClick={() => submit({ n: 5, delay: 0.2 })}>count</button>
          <p>status: {status}</p>
          <ul>{outputs.map(([n]) => <li key={n}>item {n}</li>)}</ul>
        </div>
      );
    }
    renderApp(<Counter />, { queryClient: qc });
    await waitFor(() => expect(screen.getByRole('button').hasAttribute('disabled')).toBe(false));
    click('count');
    await screen.findByText('status: streaming');
    for (let i = 1; i <= 5; i++) await screen.findByText(`item ${i}`);
    await screen.findByText('status: success');
    expect(screen.getAllByRole('listitem')).toHaveLength(5);
    // Rendered item by item: several intermediate lengths were on screen.
    expect(new Set(lengths.filter((l) => l > 0 && l < 5)).size).toBeGreaterThanOrEqual(3);
    expect(data).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps gr.State across calls of one session', async () => {
    function Counter() {
      const { submit, data, status, client } = usePredict<[number]>('/increment');
      return (
        <div>
          <button disabled={!client || status === 'queued' || status === 'running'} onClick={() => submit({ step: 1 })}>inc</button>
          <p>count: {data?.[0] ?? '-'}</p>
        </div>
      );
    }
    renderApp(<Counter />, { queryClient: qc, sessionHash: session() });
    await waitFor(() => expect(screen.getByRole('button').hasAttribute('disabled')).toBe(false));
    click('inc');
    await screen.findByText('count: 1');
    await waitFor(() => expect(screen.getByRole('button').hasAttribute('disabled')).toBe(false));
    click('inc');
    await screen.findByText('count: 2');
  });

  it('calls onLog with each gr.Info / gr.Warning message, in order', async () => {
    const seen: string[] = [];
    function Logs() {
      const { submit, client, status } = usePredict<[string]>('/logs', { onLog: (l) => seen.push(`${l.level}: ${l.message}`) });
      return (
        <>
          <button disabled={!client} onClick={() => submit({ message: 'hey' })}>log</button>
          <p>{status}</p>
        </>
      );
    }
    renderApp(<Logs />, { queryClient: qc });
    await waitFor(() => expect((screen.getByRole('button', { name: 'log' }) as HTMLButtonElement).disabled).toBe(false));
    click('log');
    await screen.findByText('success');
    expect(seen).toEqual(['info: info: hey', 'warning: warning: hey']);
  });

  it('renders an error raised with gr.Error', async () => {
    const onError = vi.fn();
    function Failing() {
      const { submit, error, status, isError, client } = usePredict<[string]>('/fail', { onError });
      return (
        <div>
          <button disabled={!client} onClick={() => submit({ message: 'kaboom' })}>fail</button>
          <p>status: {status}</p>
          {isError && <p role="alert">{error?.name}: {error?.message}</p>}
        </div>
      );
    }
    renderApp(<Failing />, { queryClient: qc });
    await waitFor(() => expect(screen.getByRole('button').hasAttribute('disabled')).toBe(false));
    click('fail');
    expect((await screen.findByRole('alert')).textContent).toBe('AppError: kaboom');
    expect(screen.getByText('status: error')).toBeTruthy();
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]![0]).toMatchObject({ name: 'AppError', message: 'kaboom' });
  });

  function Cancellable({ seconds, onJob }: { seconds: number; onJob?: (job: Job<[string]>) => void }) {
    const statuses = useRef<PredictStatus[]>([]);
    const { submit, cancel, status, queue, isPending, client } = usePredict<[string]>('/slow', {
      onStatus: (s) => statuses.current.push(s),
    });
    return (
      <div>
        <button disabled={!client} onClick={() => { const job = submit({ label: 'mine', seconds }); onJob?.(job); }}>start</button>
        <button disabled={!isPending} onClick={cancel}>cancel</button>
        <p>status: {status}</p>
        <p>position: {queue.position ?? '-'}</p>
        <p>seen: {statuses.current.join(',')}</p>
      </div>
    );
  }

  it('cancels a running job from a button', async () => {
    let job: Job<[string]> | undefined;
    renderApp(<Cancellable seconds={10} onJob={(j) => (job = j)} />, { queryClient: qc, sessionHash: session() });
    await waitFor(() => expect(screen.getByRole('button', { name: 'start' }).hasAttribute('disabled')).toBe(false));
    click('start');
    await screen.findByText('status: running', {}, { timeout: 20_000 });
    click('cancel');
    await screen.findByText('status: cancelled');
    expect(job!.getSnapshot().stage).toBe('cancelled');
    expect(screen.getByText(/seen:/).textContent).toMatch(/running,cancelled$/);
    // The server is free again: another session's slow call completes.
    const other = await otherClient();
    expect(await other.predict('/slow', { label: 'after', seconds: 0.2 })).toEqual(['done after']);
  });

  it('cancels a queued job from a button, leaving the other session running', async () => {
    const other = await otherClient();
    const blocker = other.submit<[string]>('/slow', { label: 'blocker', seconds: 2 });
    renderApp(<Cancellable seconds={1} />, { queryClient: qc, sessionHash: session() });
    await waitFor(() => expect(screen.getByRole('button', { name: 'start' }).hasAttribute('disabled')).toBe(false));
    click('start');
    await screen.findByText('position: 0', {}, { timeout: 20_000 });
    expect(screen.getByText('status: queued')).toBeTruthy();
    click('cancel');
    await screen.findByText('status: cancelled');
    expect(screen.getByText('position: -')).toBeTruthy();
    expect(await blocker.result()).toEqual(['done blocker']);
  });

  it("'replace' cancels the running call on a new submit; 'parallel' keeps both", async () => {
    const jobs: Job<[number]>[] = [];
    function Counter({ concurrency }: { concurrency: 'replace' | 'parallel' }) {
      const { submit, data, client } = usePredict<[number]>('/count', { concurrency });
      return (
        <div>
          <button disabled={!client} onClick={() => jobs.push(submit({ n: 3, delay: 0.3 }))}>go</button>
          <p>last: {data?.[0] ?? '-'}</p>
        </div>
      );
    }
    renderApp(<Counter concurrency="replace" />, { queryClient: qc, sessionHash: session() });
    await waitFor(() => expect(screen.getByRole('button').hasAttribute('disabled')).toBe(false));
    click('go');
    click('go');
    await waitFor(() => expect(jobs[1]!.getSnapshot().stage).toBe('success'), { timeout: 20_000 });
    expect(jobs[0]!.getSnapshot().stage).toBe('cancelled');
    await screen.findByText('last: 3');
    cleanup();

    jobs.length = 0;
    renderApp(<Counter concurrency="parallel" />, { queryClient: qc, sessionHash: session() });
    await waitFor(() => expect(screen.getByRole('button').hasAttribute('disabled')).toBe(false));
    click('go');
    click('go');
    await waitFor(() => expect(jobs.map((j) => j.getSnapshot().stage)).toEqual(['success', 'success']), { timeout: 20_000 });
  });

  it('cancels a stream on unmount, without warnings', async () => {
    let job: Job<[number]> | undefined;
    function Counter() {
      const { submit, data, client } = usePredict<[number]>('/count');
      return (
        <div>
          <button disabled={!client} onClick={() => (job = submit({ n: 100, delay: 0.05 }))}>count</button>
          <p>last: {data?.[0] ?? '-'}</p>
        </div>
      );
    }
    const { unmount } = renderApp(<Counter />, { queryClient: qc, sessionHash: session() });
    await waitFor(() => expect(screen.getByRole('button').hasAttribute('disabled')).toBe(false));
    click('count');
    await shownAtLeast('last:', 3);
    unmount();
    await waitFor(() => expect(job!.getSnapshot().stage).toBe('cancelled'));
    const seen = job!.getSnapshot().outputs.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(job!.getSnapshot().outputs.length).toBe(seen);
    expect(errors).not.toHaveBeenCalled();
  });

  it('keeps the call running after unmount with cancelOnUnmount: false', async () => {
    let job: Job<[number]> | undefined;
    function Counter() {
      const { submit, data, client } = usePredict<[number]>('/count', { cancelOnUnmount: false });
      return <button disabled={!client} onClick={() => (job = submit({ n: 5, delay: 0.1 }))}>count {data?.[0]}</button>;
    }
    const { unmount } = renderApp(<Counter />, { queryClient: qc, sessionHash: session() });
    await waitFor(() => expect(screen.getByRole('button').hasAttribute('disabled')).toBe(false));
    fireEvent.click(screen.getByRole('button'));
    await shownAtLeast('count', 1);
    unmount();
    expect(await job!.result()).toEqual([5]);
  });

  it('callbacks see the latest props', async () => {
    const seen: string[] = [];
    function Counter({ tag }: { tag: string }) {
      const { submit, data, client } = usePredict<[number]>('/count', { onData: ([n]) => seen.push(`${tag}${n}`) });
      return <button disabled={!client} onClick={() => submit({ n: 4, delay: 0.3 })}>count {data?.[0]}</button>;
    }
    const { rerender } = renderApp(<Counter tag="a" />, { queryClient: qc });
    await waitFor(() => expect(screen.getByRole('button').hasAttribute('disabled')).toBe(false));
    fireEvent.click(screen.getByRole('button'));
    await screen.findByText('count 2');
    rerender(<Counter tag="b" />);
    await screen.findByText('count 4');
    expect(seen.slice(0, 2)).toEqual(['a1', 'a2']);
    expect(seen.at(-1)).toBe('b4');
  });

  it('a submit refused for its arguments shows its error and leaves the running call alone', async () => {
    let job: Job<[number]> | undefined;
    const failed: string[] = [];
    function Counter() {
      const { submit, client, data, status, error } = usePredict<[number]>('/count', { onError: (e) => failed.push(e.name) });
      return (
        <>
          <button disabled={!client} onClick={() => (job = submit({ n: 8, delay: 0.1 }))}>count</button>
          <button onClick={() => submit([1, 2, 3])}>bad</button>
          <p>last {data?.[0]}</p>
          <p>
            {status} {error?.name}
          </p>
        </>
      );
    }
    renderApp(<Counter />, { queryClient: qc, sessionHash: session() });
    await waitFor(() => expect(screen.getByRole('button', { name: 'count' }).hasAttribute('disabled')).toBe(false));
    click('count');
    await shownAtLeast('last', 2);
    click('bad'); // /count takes two arguments: nothing is sent, nothing thrown
    await screen.findByText('error ArgumentError');
    expect(failed).toEqual(['ArgumentError']);
    expect(await job!.result()).toEqual([8]);
    expect(errors).not.toHaveBeenCalled();
  });

  it('shows a call that cannot start as an error, with onError: while connecting, or to an unknown endpoint', async () => {
    const failed: string[] = [];
    function Calls() {
      const wrong = usePredict('/nope', { onError: (e) => failed.push(e.name) });
      const early = usePredict('/calculate', { onError: (e) => failed.push(e.message) });
      return (
        <>
          <button onClick={() => void wrong.predict()}>wrong</button>
          <button onClick={() => early.submit({ a: 1, b: 2 })}>early</button>
          <p>wrong: {wrong.status} {wrong.error?.name}</p>
          <p>early: {early.status} {early.error?.message}</p>
          <p>{wrong.client ? 'connected' : 'connecting'}</p>
        </>
      );
    }
    renderApp(<Calls />, { queryClient: qc });
    expect(screen.getByText('connecting')).toBeTruthy();
    click('early'); // before the client has connected: a click that throws nothing and says why
    await screen.findByText("early: error Not connected yet: call once the client is there (the hooks return it as `client`, with status 'ready').");
    await screen.findByText('connected');
    click('wrong');
    await screen.findByText('wrong: error EndpointNotFoundError');
    expect(failed).toEqual(["Not connected yet: call once the client is there (the hooks return it as `client`, with status 'ready').", 'EndpointNotFoundError']);
    expect(errors).not.toHaveBeenCalled();
  });

  it('leaves no unhandled rejection when a predict() nobody awaits is replaced or fails', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => void unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    const onError = vi.fn();
    try {
      function Buttons() {
        const sum = usePredict<[number]>('/calculate');
        const fail = usePredict<[string]>('/fail', { onError });
        return (
          <>
            <button disabled={!sum.client} onClick={() => sum.predict({ a: 2, b: 3 })}>add</button>
            <button onClick={() => fail.predict(['no'])}>fail</button>
            <p>{sum.status} {sum.data?.[0]} {fail.status}</p>
          </>
        );
      }
      renderApp(<Buttons />, { queryClient: qc });
      await waitFor(() => expect(screen.getByRole('button', { name: 'add' }).hasAttribute('disabled')).toBe(false));
      click('add');
      click('add'); // cancels the first: its promise rejects with a CancelledError
      click('fail');
      await screen.findByText('success 5 error');
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
    expect(onError).toHaveBeenCalledTimes(1); // the error is still reported
  });

  it("'parallel' keeps firing the callbacks of the earlier calls once a newer one is shown", async () => {
    const jobs: Job<[number]>[] = [];
    const succeeded: number[] = [];
    const data: string[] = [];
    function Counter() {
      const { submit, client } = usePredict<[number]>('/count', {
        concurrency: 'parallel',
        onData: ([n], job) => data.push(`${jobs.indexOf(job)}:${n}`),
        onSuccess: ([n]) => succeeded.push(n),
      });
      return (
        <>
          <button disabled={!client} onClick={() => jobs.push(submit({ n: 4, delay: 0.2 }))}>long</button>
          <button disabled={!client} onClick={() => jobs.push(submit({ n: 2, delay: 0.2 }))}>short</button>
        </>
      );
    }
    renderApp(<Counter />, { queryClient: qc, sessionHash: session() });
    await waitFor(() => expect(screen.getByRole('button', { name: 'long' }).hasAttribute('disabled')).toBe(false));
    click('long');
    await waitFor(() => expect(data).toContain('0:1'), { timeout: 10_000 });
    click('short');
    expect(await Promise.all(jobs.map((j) => j.result()))).toEqual([[4], [2]]);
    await waitFor(() => expect([...succeeded].sort()).toEqual([2, 4]));
    expect(data.filter((d) => d.startsWith('0:'))).toEqual(['0:1', '0:2', '0:3', '0:4']);
  });

  it('throttleMs holds back output-only re-renders until the end, which is never dropped', async () => {
    const shown = new Set<number>();
    function Counter() {
      const { submit, data, status, client } = usePredict<[number]>('/count', { throttleMs: 60_000 });
      if (data) shown.add(data[0]);
      return (
        <div>
          <button disabled={!client} onClick={() => submit({ n: 5, delay: 0.2 })}>count</button>
          <p>{status} {data?.[0]}</p>
        </div>
      );
    }
    renderApp(<Counter />, { queryClient: qc, sessionHash: session() });
    await waitFor(() => expect(screen.getByRole('button').hasAttribute('disabled')).toBe(false));
    click('count');
    await screen.findByText('success 5', {}, { timeout: 10_000 });
    // the first output comes with the status change (streaming), the last with the end: the outputs between wait for the throttle
    expect([...shown].at(-1)).toBe(5);
    expect(shown.size).toBeLessThanOrEqual(2);
  });

  it('a submit while the connection has failed fails with that connection error, not a generic one', async () => {
    const failed: Error[] = [];
    const connection: { error: Error | null } = { error: null };
    function Calls() {
      const app = useGradioClient('http://127.0.0.1:9/');
      connection.error = app.error;
      const { submit, status, error } = usePredict<[string]>('/echo', { client: 'http://127.0.0.1:9/', onError: (e) => failed.push(e) });
      return (
        <>
          <button onClick={() => submit(['hi'])}>echo</button>
          <p>connection {app.status}</p>
          <p>call {status} {error?.name}</p>
        </>
      );
    }
    renderApp(<Calls />, { queryClient: qc });
    await screen.findByText('connection error', {}, { timeout: 10_000 });
    click('echo');
    await screen.findByText('call error ConnectionError');
    // why it cannot connect, not 'Not connected yet'
    expect(failed.map((e) => e.message)).toEqual([connection.error!.message]);
    expect(failed[0]!.message).not.toMatch(/Not connected yet/);
  });

  it("a child's effect that calls in the commit where the client or the endpoint changed calls with them (the hook's own effects run after it)", async () => {
    function Run({ go, when }: { go: () => void; when: string }) {
      // biome-ignore lint/correctness/useExhaustiveDependencies: calls once per `when`
      useEffect(go, [when]);
      return null;
    }
    function Echo({ endpoint }: { endpoint: string }) {
      const { submit, client, status, data, job } = usePredict<[string]>(endpoint);
      return (
        <div>
          {client && <Run when={endpoint} go={() => void submit(['hi'])} />}
          <p>{`${job?.endpoint} ${status} ${data?.[0]}`}</p>
        </div>
      );
    }
    function Page({ endpoint }: { endpoint: string }) {
      const { client } = useGradioClient(); // the echo is rendered once connected: its first render has the client
      return client ? <Echo endpoint={endpoint} /> : null;
    }
    const { rerender } = renderApp(<Page endpoint="/echo" />, { queryClient: qc });
    await screen.findByText('/echo success hi');
    rerender(<Page endpoint="/echo_now" />);
    await screen.findByText('/echo_now success hi');
    expect(errors).not.toHaveBeenCalled();
  });

  it('reset() goes back to idle', async () => {
    function Echo() {
      const { submit, reset, status, data, client } = usePredict<[string]>('/echo');
      return (
        <div>
          <button disabled={!client} onClick={() => submit(['hi'])}>echo</button>
          <button onClick={reset}>reset</button>
          <p>{status} {data?.[0]}</p>
        </div>
      );
    }
    renderApp(<Echo />, { queryClient: qc });
    await waitFor(() => expect(screen.getByRole('button', { name: 'echo' }).hasAttribute('disabled')).toBe(false));
    click('echo');
    await screen.findByText('success hi');
    click('reset');
    await screen.findByText('idle');
  });
});

describe('usePredict: query mode', () => {
  it('renders queue positions of three queued jobs, which decrease', async () => {
    const other = await otherClient();
    const blocker = other.submit('/slow', { label: 'blocker', seconds: 1.5 });
    function Slow({ label }: { label: string }) {
      const positions = useRef<number[]>([]);
      const { status, queue, data } = usePredict<[string]>('/slow', { args: { label, seconds: 0.5 } });
      if (queue.position !== null && positions.current.at(-1) !== queue.position) positions.current.push(queue.position);
      return <li>{label}: {status} {queue.position ?? ''} [{positions.current.join('>')}] {data?.[0]}</li>;
    }
    renderApp(<ul><Slow label="A" /><Slow label="B" /><Slow label="C" /></ul>, { queryClient: qc, sessionHash: session() });
    // All three wait behind the blocker at once.
    await waitFor(() => {
      const ranks = screen.getAllByRole('listitem').map((li) => /queued (\d)/.exec(li.textContent ?? '')?.[1]);
      expect(ranks.sort()).toEqual(['0', '1', '2']);
    }, { timeout: 20_000 });
    await waitFor(() => expect(screen.getAllByRole('listitem').map((li) => li.textContent).join(' ')).toMatch(/\[2>1|\[1>0/), { timeout: 20_000 });
    for (const label of ['A', 'B', 'C']) await screen.findByText(new RegExp(`done ${label}`), {}, { timeout: 20_000 });
    await blocker.result();
  });

  it('runs when args change, dedups identical calls and caches them', async () => {
    const submit = vi.spyOn(Client.prototype, 'submit');
    function Sum({ a, name }: { a: number; name: string }) {
      const { data, status } = usePredict<[number]>('/calculate', { args: { a, b: 3 } });
      return <p>{name}: {status} {data?.[0]}</p>;
    }
    const { rerender } = renderApp(<><Sum a={2} name="x" /><Sum a={2} name="y" /></>, { queryClient: qc });
    expect(screen.getByText('x: queued')).toBeTruthy();
    await screen.findByText('x: success 5');
    await screen.findByText('y: success 5');
    expect(submit).toHaveBeenCalledTimes(1);
    rerender(<><Sum a={10} name="x" /><Sum a={2} name="y" /></>);
    await screen.findByText('x: success 13');
    expect(submit).toHaveBeenCalledTimes(2);
    rerender(<><Sum a={2} name="x" /><Sum a={2} name="y" /></>);
    expect(screen.getByText('x: success 5')).toBeTruthy(); // cached: no new call
    expect(submit).toHaveBeenCalledTimes(2);
  });

  it('calls again in the new session after resetSession() (the session is part of the key), and shows the old call until then', async () => {
    function Counter() {
      const { data, client } = usePredict<[number]>('/increment', { args: { step: 1 } });
      const [, render] = useState(0);
      return (
        <>
          <button onClick={() => client!.resetSession()}>new session</button>
          <button onClick={() => render((n) => n + 1)}>render</button>
          <p>count {data?.[0]}</p>
        </>
      );
    }
    const submit = vi.spyOn(Client.prototype, 'submit');
    renderApp(<Counter />, { queryClient: qc, sessionHash: session() });
    await screen.findByText('count 1');
    click('render');
    expect(screen.getByText('count 1')).toBeTruthy(); // cached: not called again in the same session
    click('new session'); // no re-render by itself
    expect(screen.getByText('count 1')).toBeTruthy();
    click('render');
    await waitFor(() => expect(submit).toHaveBeenCalledTimes(2));
    await screen.findByText('count 1'); // a fresh gr.State: 1 again, not 2
  });

  it('shares one call between "/name" and "name"', async () => {
    const submit = vi.spyOn(Client.prototype, 'submit');
    function Sum({ endpoint }: { endpoint: string }) {
      const { data } = usePredict<[number]>(endpoint, { args: { a: 1, b: 2 } });
      return <p>{endpoint} {data?.[0]}</p>;
    }
    renderApp(<><Sum endpoint="/calculate" /><Sum endpoint="calculate" /></>, { queryClient: qc });
    await screen.findByText('/calculate 3');
    await screen.findByText('calculate 3');
    expect(submit).toHaveBeenCalledTimes(1);
  });

  it('runs again when a Date argument changes', async () => {
    function Day({ day }: { day: Date }) {
      const { data } = usePredict<[string]>('/echo', { args: [day] });
      return <p>day {data?.[0]}</p>;
    }
    const { rerender } = renderApp(<Day day={new Date(0)} />, { queryClient: qc });
    await screen.findByText('day 1970-01-01T00:00:00.000Z');
    rerender(<Day day={new Date(86_400_000)} />);
    await screen.findByText('day 1970-01-02T00:00:00.000Z');
  });

  it('waits while disabled', async () => {
    const submit = vi.spyOn(Client.prototype, 'submit');
    function Echo({ enabled }: { enabled: boolean }) {
      const { status, data } = usePredict<[string]>('/echo', { args: ['x'], enabled });
      return <p>{status} {data?.[0]}</p>;
    }
    const { rerender } = renderApp(<Echo enabled={false} />, { queryClient: qc });
    await new Promise((r) => setTimeout(r, 300));
    expect(screen.getByText('idle')).toBeTruthy();
    expect(submit).not.toHaveBeenCalled();
    rerender(<Echo enabled />);
    await screen.findByText('success x');
    rerender(<Echo enabled={false} />); // idle again, the cached call kept
    expect(screen.getByText('idle')).toBeTruthy();
    rerender(<Echo enabled />);
    expect(screen.getByText('success x')).toBeTruthy();
    expect(submit).toHaveBeenCalledTimes(1);
  });

  it('keeps a call that another component still shows when one of them unmounts, without the callbacks of the one gone', async () => {
    const submit = vi.spyOn(Client.prototype, 'submit');
    const jobs: Record<string, Job<[number]> | null> = {};
    const succeeded: string[] = [];
    function Counter({ name }: { name: string }) {
      const r = usePredict<[number]>('/count', { args: { n: 20, delay: 0.1 }, onSuccess: ([n]) => succeeded.push(`${name} ${n}`) });
      jobs[name] = r.job;
      return <p>{name}: {r.status} {r.data?.[0]}</p>;
    }
    function App() {
      const [both, setBoth] = useState(true);
      return (
        <>
          {both && <Counter name="a" />}
          <Counter name="b" />
          <button onClick={() => setBoth(false)}>drop</button>
        </>
      );
    }
    renderApp(<App />, { queryClient: qc, sessionHash: session() });
    await shownAtLeast('b: streaming', 2);
    expect(jobs.a).toBe(jobs.b); // one shared call
    click('drop');
    expect(await jobs.b!.result()).toEqual([20]);
    await screen.findByText('b: success 20');
    await waitFor(() => expect(succeeded).toEqual(['b 20'])); // not 'a 20': a has gone
    expect(submit).toHaveBeenCalledTimes(1);
  });

  it("with concurrency: 'parallel', new args leave the call of the previous ones running", async () => {
    const jobs: Job<[number]>[] = [];
    function Counter({ n }: { n: number }) {
      const r = usePredict<[number]>('/count', { args: { n, delay: 0.1 }, concurrency: 'parallel' });
      if (r.job && !jobs.includes(r.job)) jobs.push(r.job);
      return <p>{n} {r.status} {r.data?.[0]}</p>;
    }
    const { rerender } = renderApp(<Counter n={8} />, { queryClient: qc, sessionHash: session() });
    await shownAtLeast('8 streaming', 2);
    rerender(<Counter n={3} />);
    await screen.findByText('3 success 3', {}, { timeout: 10_000 });
    expect(await jobs[0]!.result()).toEqual([8]);
  });

  it('shows a failed connection as the error of the call', async () => {
    function Echo() {
      const { status, error, isError } = usePredict<[string]>('/echo', { client: 'http://127.0.0.1:9/', args: ['x'] });
      return <p>{status} {String(isError)} {error?.name}</p>;
    }
    renderApp(<Echo />, { queryClient: qc });
    await screen.findByText('error true ConnectionError', {}, { timeout: 10_000 });
  });

  it('shows a disabled call as idle, also when the connection failed', async () => {
    function Echo({ enabled }: { enabled: boolean }) {
      const { status, error } = usePredict<[string]>('/echo', { client: 'http://127.0.0.1:9/', args: ['x'], enabled });
      const { status: connection } = useGradioClient('http://127.0.0.1:9/');
      return <p>{`${connection} ${status} ${error?.name}`}</p>;
    }
    const { rerender } = renderApp(<Echo enabled={false} />, { queryClient: qc });
    await screen.findByText('error idle undefined', {}, { timeout: 10_000 });
    rerender(<Echo enabled />);
    expect(screen.getByText('error error ConnectionError')).toBeTruthy();
  });

  it('applies timeout in query mode', async () => {
    function Slow() {
      const { status, error } = usePredict<[string]>('/slow', { args: { label: 't', seconds: 5 }, timeout: 300 });
      return <p>{status} {error?.name}</p>;
    }
    renderApp(<Slow />, { queryClient: qc, sessionHash: session() });
    await screen.findByText('error TimeoutError', {}, { timeout: 10_000 });
  });

  it('keeps the running call through invalidateQueries()', async () => {
    const submit = vi.spyOn(Client.prototype, 'submit');
    let job: Job<[number]> | null = null;
    function Counter() {
      const r = usePredict<[number]>('/count', { args: { n: 8, delay: 0.1 } });
      job = r.job;
      return <p>{r.status} {r.data?.[0]}</p>;
    }
    renderApp(<Counter />, { queryClient: qc, sessionHash: session() });
    await shownAtLeast('streaming', 2);
    const running = job!;
    await qc.invalidateQueries();
    expect(await running.result()).toEqual([8]);
    await screen.findByText('success 8');
    expect(job).toBe(running);
    expect(submit).toHaveBeenCalledTimes(1);
  });

  it('runs a failed call again when a component mounts again', async () => {
    const submit = vi.spyOn(Client.prototype, 'submit');
    function Failing() {
      const { status, error } = usePredict<[string]>('/fail', { args: { message: 'kaboom' } });
      return <p>{status} {error?.message}</p>;
    }
    const { unmount } = renderApp(<Failing />, { queryClient: qc });
    await screen.findByText('error kaboom');
    unmount();
    renderApp(<Failing />, { queryClient: qc });
    await waitFor(() => expect(submit).toHaveBeenCalledTimes(2));
    await screen.findByText('error kaboom');
  });

  it('cancels the shown call that removeQueries() drops', async () => {
    let job: Job<[number]> | null = null;
    function Counter() {
      const r = usePredict<[number]>('/count', { args: { n: 30, delay: 0.1 } });
      job ??= r.job;
      return <p>{r.status} {r.data?.[0]}</p>;
    }
    renderApp(<Counter />, { queryClient: qc, sessionHash: session() });
    await shownAtLeast('streaming', 2);
    qc.removeQueries({ queryKey: ['gradio-hooks', 'job'] });
    await waitFor(() => expect(job!.getSnapshot().stage).toBe('cancelled'));
  });

  it('waits for the connection as queued, never as an error', async () => {
    const seen = new Set<string>();
    function Sum() {
      const { status, data, error } = usePredict<[number]>('/calculate', { args: { a: 1, b: 1 } });
      seen.add(`${status} ${error?.name ?? ''}`.trim());
      return <p>{status} {data?.[0]}</p>;
    }
    renderApp(<Sum />, { queryClient: qc });
    await screen.findByText('success 2');
    expect([...seen].filter((s) => s.startsWith('error'))).toEqual([]);
  });

  it('does not run a failed call again when the window regains focus or the network comes back', async () => {
    const submit = vi.spyOn(Client.prototype, 'submit');
    function Failing() {
      const { status, error } = usePredict<[string]>('/fail', { args: { message: 'kaboom' } });
      return <p>{status} {error?.message}</p>;
    }
    renderApp(<Failing />, { queryClient: qc });
    await screen.findByText('error kaboom');
    try {
      focusManager.setFocused(false);
      focusManager.setFocused(true);
      onlineManager.setOnline(false);
      onlineManager.setOnline(true);
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      focusManager.setFocused(undefined);
    }
    expect(screen.getByText('error kaboom')).toBeTruthy();
    expect(submit).toHaveBeenCalledTimes(1);
  });

  it('renders an unknown endpoint as an error', async () => {
    function Bad() {
      const { status, error } = usePredict('/nope', { args: [] });
      return <p>{status} {error?.name}</p>;
    }
    renderApp(<Bad />, { queryClient: qc });
    await screen.findByText('error EndpointNotFoundError');
  });

  it('cancels the call on unmount when no other component uses it', async () => {
    let job: Job<[number]> | null = null;
    function Counter() {
      const r = usePredict<[number]>('/count', { args: { n: 100, delay: 0.05 } });
      job = r.job;
      return <p>last {r.data?.[0]}</p>;
    }
    const { unmount } = renderApp(<Counter />, { queryClient: qc, sessionHash: session() });
    await shownAtLeast('last', 2);
    unmount();
    await waitFor(() => expect(job!.getSnapshot().stage).toBe('cancelled'));
    expect(errors).not.toHaveBeenCalled();
  });
  it('cancels a call it never rendered: args changed, or the component unmounted, before TanStack told it of the job', async () => {
    const client = await otherClient();
    const jobs: Job<unknown>[] = [];
    const submit = client.submit.bind(client);
    vi.spyOn(client, 'submit').mockImplementation((...a: Parameters<Client['submit']>) => {
      const job = submit(...a);
      jobs.push(job);
      return job;
    });
    const n = { first: 1000, second: 1001, gone: 1002 };
    const Call = ({ label }: { label: keyof typeof n }) => <p>{`${label}: ${usePredict<[number]>('/count', { client, args: { n: n[label], delay: 0.05 } }).status}`}</p>;
    // (a) args changed by an effect right after the mount (read from storage, the URL)
    function Later() {
      const [label, setLabel] = useState<keyof typeof n>('first');
      useEffect(() => setLabel('second'), []);
      return <Call label={label} />;
    }
    // (b) the component is gone in the effect right after its mount
    function Gone() {
      const [shown, setShown] = useState(true);
      useEffect(() => setShown(false), []);
      return shown ? <Call label="gone" /> : <p>gone</p>;
    }
    render(<QueryClientProvider client={qc}><Later /><Gone /></QueryClientProvider>);
    await screen.findByText('second: streaming', {}, { timeout: 10_000 });
    await screen.findByText('gone');
    expect(jobs).toHaveLength(3);
    await waitFor(() => expect(jobs.map((j) => j.getSnapshot().stage).sort()).toEqual(['cancelled', 'cancelled', 'streaming']));
    expect(jobs.find((j) => j.getSnapshot().stage === 'streaming')).toBe(qc.getQueryCache().findAll({ type: 'active' }).map((q) => q.state.data).find(Boolean));
  });

  it('leaves the calls of other components to the same endpoint running when one unmounts', async () => {
    // Gradio's /cancel stops every running call of the endpoint in the session: these are spared
    const jobs: Record<number, Job<[number]> | null> = {};
    function Counter({ n }: { n: number }) {
      const r = usePredict<[number]>('/count', { args: { n, delay: 0.1 } });
      jobs[n] = r.job;
      return <p>{n}: {r.status} {r.data?.[0]}</p>;
    }
    function App() {
      const [both, setBoth] = useState(true);
      return (
        <>
          {both && <Counter n={11} />}
          <Counter n={12} />
          <button onClick={() => setBoth(false)}>drop</button>
        </>
      );
    }
    renderApp(<App />, { queryClient: qc, sessionHash: session() });
    await shownAtLeast('12: streaming', 2);
    expect(jobs[11]!.getSnapshot().stage).toBe('streaming');
    click('drop');
    await waitFor(() => expect(jobs[11]!.getSnapshot().stage).toBe('cancelled'));
    expect(await jobs[12]!.result()).toEqual([12]);
    await screen.findByText('12: success 12');
  });

  it('reports every status to onStatus, from queued, once each, also when the start and the first output come together (StrictMode too)', async () => {
    const statuses: Record<number, PredictStatus[]> = {};
    function Count({ n }: { n: number }) {
      const { status } = usePredict<[number]>('/count', { args: { n, delay: 0.05 }, onStatus: (s) => (statuses[n] ??= []).push(s) });
      return <p>{n}: {status}</p>;
    }
    const ns = [3, 4, 5, 6, 7];
    renderApp(<div>{ns.map((n) => <Count key={n} n={n} />)}</div>, { queryClient: qc, sessionHash: session(), strict: true });
    for (const n of ns) await screen.findByText(`${n}: success`, {}, { timeout: 10_000 });
    for (const n of ns) expect(statuses[n]).toEqual(['queued', 'running', 'streaming', 'success']);
  });

  it('keeps firing the callbacks of a call that outlives its component (cancelOnUnmount: false)', async () => {
    const onData = vi.fn();
    const onSuccess = vi.fn();
    let job: Job<[number]> | null = null;
    function Counter() {
      const r = usePredict<[number]>('/count', { args: { n: 5, delay: 0.1 }, cancelOnUnmount: false, onData, onSuccess });
      job = r.job;
      return <p>{r.status} {r.data?.[0]}</p>;
    }
    const { unmount } = renderApp(<Counter />, { queryClient: qc, sessionHash: session(), strict: true });
    await shownAtLeast('streaming', 2);
    unmount();
    expect(await job!.result()).toEqual([5]);
    await waitFor(() => expect(onSuccess).toHaveBeenCalledTimes(1));
    expect(onSuccess).toHaveBeenCalledWith([5], job);
    expect(onData.mock.calls.map(([d]) => (d as number[])[0])).toEqual([1, 2, 3, 4, 5]); // once each, StrictMode too
  });

  it('keeps the callbacks of a kept call (cancelOnUnmount: false) it never rendered: gone right after its mount', async () => {
    const client = await otherClient(); // connected: the call starts at the mount
    const onStatus = vi.fn();
    const onSuccess = vi.fn();
    function Gone() {
      const [shown, setShown] = useState(true);
      useEffect(() => setShown(false), []);
      return shown ? <Call /> : <p>gone</p>;
    }
    function Call() {
      usePredict<[number]>('/count', { client, args: { n: 3, delay: 0.05 }, cancelOnUnmount: false, onStatus, onSuccess });
      return null;
    }
    render(<QueryClientProvider client={qc}><Gone /></QueryClientProvider>);
    await screen.findByText('gone');
    await waitFor(() => expect(onSuccess).toHaveBeenCalledTimes(1), { timeout: 10_000 });
    expect(onSuccess.mock.calls[0]![0]).toEqual([3]);
    expect(onStatus.mock.calls.map(([s]) => s)).toEqual(['queued', 'running', 'streaming', 'success']);
  });

  it('a disabled component lets go of no call: one kept by another component (cancelOnUnmount: false) goes on', async () => {
    let job: Job<[number]> | null = null;
    function Call({ enabled = true, n = 1000, keep = false }: { enabled?: boolean; n?: number; keep?: boolean }) {
      const r = usePredict<[number]>('/count', { args: { n, delay: 0.05 }, enabled, cancelOnUnmount: !keep });
      if (r.job) job = r.job;
      return <p>{`${enabled ? 'on' : 'off'}: ${r.status}`}</p>;
    }
    const { rerender } = renderApp(<Call key="keeper" keep />, { queryClient: qc, sessionHash: session() });
    await screen.findByText('on: streaming', {}, { timeout: 10_000 });
    rerender(<Call key="disabled" enabled={false} />); // the keeper unmounts: its call goes on
    await screen.findByText('off: idle');
    rerender(<Call key="disabled" enabled={false} n={1001} />); // new args while disabled
    rerender(<p>none</p>); // and gone
    await new Promise((r) => setTimeout(r, 300));
    expect(job!.getSnapshot().stage).toBe('streaming');
    await job!.cancel();
  });

  it('keeps a call that outlives its component (cancelOnUnmount: false) when its query is garbage-collected', async () => {
    const quick = new QueryClient({ defaultOptions: { queries: { gcTime: 50 } } });
    let job: Job<[number]> | null = null;
    function Counter() {
      const r = usePredict<[number]>('/count', { args: { n: 8, delay: 0.1 }, cancelOnUnmount: false });
      job = r.job;
      return <p>{r.status} {r.data?.[0]}</p>;
    }
    const { unmount } = renderApp(<Counter />, { queryClient: quick, sessionHash: session() });
    try {
      await shownAtLeast('streaming', 2);
      const jobs = quick.getQueryCache().findAll({ queryKey: ['gradio-hooks', 'job'] });
      unmount();
      await waitFor(() => expect(quick.getQueryCache().findAll({ queryKey: ['gradio-hooks', 'job'] })).toHaveLength(jobs.length - 1));
      expect(await job!.result()).toEqual([8]);
    } finally {
      quick.clear();
    }
  });

  it("cancels a call that outlives its component (cancelOnUnmount: false) when its client closes: the provider's gcTime after the last user left", async () => {
    let job: Job<[number]> | null = null;
    function Counter() {
      const r = usePredict<[number]>('/count', { cancelOnUnmount: false });
      job = r.job;
      return <button disabled={!r.client} onClick={() => r.submit({ n: 50, delay: 0.1 })}>{`${r.status} ${r.data?.[0]}`}</button>;
    }
    const { unmount } = render(
      <QueryClientProvider client={qc}>
        <GradioProvider src={gradioUrl()} options={{ gcTime: 200, sessionHash: session() }}>
          <Counter />
        </GradioProvider>
      </QueryClientProvider>,
    );
    await waitFor(() => expect(screen.getByRole('button').hasAttribute('disabled')).toBe(false));
    fireEvent.click(screen.getByRole('button'));
    await shownAtLeast('streaming', 1);
    expect(qc.getQueryCache().findAll({ queryKey: ['gradio-hooks', 'client'] })).toHaveLength(1);
    unmount(); // kept: the cancel below is the client's close (an unmount's would not say so)
    await waitFor(() => expect(job!.getSnapshot().stage).toBe('cancelled'), { timeout: 5_000 });
    expect(job!.getSnapshot().error?.message).toMatch(/client was closed/);
    expect(qc.getQueryCache().findAll({ queryKey: ['gradio-hooks', 'client'] })).toHaveLength(0);
  });

  it('cancels a call that outlives its component (cancelOnUnmount: false) when its query is reset: its result could not be read any more', async () => {
    let job: Job<[number]> | null = null;
    function Counter() {
      const r = usePredict<[number]>('/count', { args: { n: 40, delay: 0.1 }, cancelOnUnmount: false });
      job = r.job;
      return <p>{r.status} {r.data?.[0]}</p>;
    }
    const { unmount } = renderApp(<Counter />, { queryClient: qc, sessionHash: session() });
    await shownAtLeast('streaming', 2);
    unmount();
    await new Promise((r) => setTimeout(r, 50));
    expect(job!.getSnapshot().stage).toBe('streaming'); // kept, as asked
    await qc.resetQueries({ queryKey: ['gradio-hooks', 'job'] });
    await expect(job!.result()).rejects.toBeInstanceOf(CancelledError);
  });

  it('shows a cancelled call that runs again (back to earlier args) as starting, never as cancelled', async () => {
    const seen: string[] = [];
    function Counter({ n }: { n: number }) {
      const r = usePredict<[number]>('/count', { args: { n, delay: 0.1 } });
      seen.push(`${n} ${r.status}`);
      return <p>{n} {r.status} {r.data?.[0]}</p>;
    }
    const { rerender } = renderApp(<Counter n={30} />, { queryClient: qc, sessionHash: session() });
    await shownAtLeast('30 streaming', 2);
    rerender(<Counter n={3} />); // cancels the call of 30
    await screen.findByText('3 success 3', {}, { timeout: 10_000 });
    seen.length = 0;
    rerender(<Counter n={30} />);
    await shownAtLeast('30 streaming', 1);
    expect(seen).not.toContain('30 cancelled');
    expect(seen[0]).toBe('30 queued');
  });

  it('cancels the shown call that resetQueries() drops (the hook runs it again)', async () => {
    const jobs = new Set<Job<[number]>>();
    function Counter() {
      const r = usePredict<[number]>('/count', { args: { n: 30, delay: 0.1 } });
      if (r.job) jobs.add(r.job);
      return <p>{r.status} {r.data?.[0]}</p>;
    }
    renderApp(<Counter />, { queryClient: qc, sessionHash: session() });
    await shownAtLeast('streaming', 2);
    const [first] = jobs;
    await qc.resetQueries({ queryKey: ['gradio-hooks', 'job'] });
    await waitFor(() => expect(jobs.size).toBe(2));
    expect(first!.getSnapshot().stage).toBe('cancelled');
    await shownAtLeast('streaming', 1);
  });
});

describe('predictQueryOptions', () => {
  it('works with native useQuery and prefetchQuery', async () => {
    const client = await otherClient();
    await qc.prefetchQuery(predictQueryOptions(client, '/echo', ['pre']));
    expect(qc.getQueryData(predictQueryOptions<[string]>(client, '/echo', ['pre']).queryKey)).toEqual(['pre']);
    function Sum() {
      const { data } = useQuery(predictQueryOptions<[number]>(client, '/calculate', { a: 2, b: 3 }));
      return <p>sum {data?.[0]}</p>;
    }
    render(<QueryClientProvider client={qc}><Sum /></QueryClientProvider>);
    await screen.findByText('sum 5');
  });

  it('waits for the client of useGradioClient() while it connects, then calls', async () => {
    const seen: string[] = [];
    function Sum() {
      const { client } = useGradioClient();
      const { data, status, fetchStatus } = useQuery(predictQueryOptions<[number]>(client, '/calculate', { a: 2, b: 5 }));
      seen.push(`${client ? 'client' : 'none'} ${status} ${fetchStatus}`);
      return <p>sum {data?.[0]}</p>;
    }
    renderApp(<Sum />, { queryClient: qc });
    await screen.findByText('sum 7');
    // while connecting the query waits (no call, no error); with the client it fetches once
    expect(seen[0]).toBe('none pending idle');
    expect(seen.filter((s) => s.startsWith('none')).every((s) => s === 'none pending idle')).toBe(true);
    expect(seen).not.toContainEqual(expect.stringContaining('error'));
  });

  it('does not call again on mount for a prefetched result', async () => {
    const client = await otherClient();
    await qc.prefetchQuery(predictQueryOptions(client, '/echo', ['pre']));
    const predict = vi.spyOn(Client.prototype, 'predict');
    function Echo() {
      const { data } = useQuery(predictQueryOptions<[string]>(client, '/echo', ['pre']));
      return <p>echo {data?.[0]}</p>;
    }
    render(<QueryClientProvider client={qc}><Echo /></QueryClientProvider>);
    expect(screen.getByText('echo pre')).toBeTruthy();
    await new Promise((r) => setTimeout(r, 100));
    expect(predict).not.toHaveBeenCalled();
  });

  it('cancels the call when its last component unmounts before it ends', async () => {
    const client = await otherClient();
    const predict = vi.spyOn(Client.prototype, 'predict');
    function Slow() {
      const { status } = useQuery(predictQueryOptions<[string]>(client, '/slow', { label: 'q', seconds: 2 }));
      return <p>{status}</p>;
    }
    const { unmount } = render(<QueryClientProvider client={qc}><Slow /></QueryClientProvider>);
    await waitFor(() => expect(predict).toHaveBeenCalledTimes(1));
    const signal = (predict.mock.calls[0]![2] as { signal?: AbortSignal }).signal;
    unmount();
    await waitFor(() => expect(signal?.aborted).toBe(true));
  });

  it('keys file arguments by object', () => {
    const client = { url: 'u', sessionHash: 's' } as Client;
    const a = new Blob(['a']);
    const b = new Blob(['b']);
    const key = (v: unknown) => JSON.stringify(predictQueryOptions(client, '/echo_file', [v]).queryKey);
    expect(key(a)).toBe(key(a));
    expect(key(a)).not.toBe(key(b));
  });

  it('keys other objects as they are sent: a Date by its time, handleFile() by its source', () => {
    const client = { url: 'u', sessionHash: 's' } as Client;
    const key = (v: unknown) => JSON.stringify(predictQueryOptions(client, '/echo', [v]).queryKey);
    expect(key(new Date(0))).toBe(key(new Date(0)));
    expect(key(new Date(0))).not.toBe(key(new Date(1)));
    const blob = new Blob(['a']);
    expect(key(handleFile(blob))).toBe(key(handleFile(blob)));
    expect(key(handleFile(blob))).not.toBe(key(handleFile(new Blob(['a']))));
    expect(key(handleFile(blob, { name: 'a.txt' }))).not.toBe(key(handleFile(blob, { name: 'b.txt' })));
  });
});

describe('usePredict: concurrent rendering', () => {
  // React's own scheduling (no act()), as in a browser: a transition stays pending for real
  const scope = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
  beforeEach(() => void (scope.IS_REACT_ACT_ENVIRONMENT = false));
  afterEach(() => void (scope.IS_REACT_ACT_ENVIRONMENT = true));

  it('keeps the shown call live, cancellable and with its own callbacks while React holds a transition to new args pending', async () => {
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    let released = false;
    /** Suspends for any prompt but the first until released: the transition to it stays pending. */
    function Held({ prompt }: { prompt: string }) {
      if (prompt !== 'a' && !released) throw held;
      return null;
    }
    const prompts: string[] = [];
    function Search() {
      const [prompt, setPrompt] = useState('a');
      const [pending, start] = useTransition();
      const r = usePredict<[string]>('/stream_text', { args: { prompt, n_tokens: 200, delay: 0.05 }, onData: () => prompts.push(prompt) });
      return (
        <>
          <button onClick={() => start(() => setPrompt('b'))}>next</button>
          <button onClick={r.cancel}>stop</button>
          <p>
            {prompt} {pending ? 'pending' : 'settled'} {r.status} {r.outputs.length}
          </p>
          <Suspense fallback={null}>
            <Held prompt={prompt} />
          </Suspense>
        </>
      );
    }
    renderApp(<Search />, { queryClient: qc, sessionHash: session() });
    const shown = () => screen.getByText(/^a (pending|settled) \w+ \d+$/).textContent!.split(' ');
    await waitFor(() => expect(Number(shown()[3])).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
    screen.getByRole('button', { name: 'next' }).click(); // a render for 'b' that React does not commit yet
    await waitFor(() => expect(shown()[1]).toBe('pending'));
    const before = Number(shown()[3]);
    await waitFor(() => expect(Number(shown()[3])).toBeGreaterThanOrEqual(before + 3), { timeout: 10_000 }); // the shown stream goes on
    expect(new Set(prompts)).toEqual(new Set(['a'])); // its callbacks are those of the render on screen
    screen.getByRole('button', { name: 'stop' }).click();
    await waitFor(() => expect(shown().slice(1, 3)).toEqual(['pending', 'cancelled'])); // stop stops the call on screen
    released = true;
    release();
    await screen.findByText(/^b settled (queued|running|streaming|success) \d+$/, undefined, { timeout: 10_000 });
  });

  // React 18 has no Actions: the test exists in the React 19 project only
  (Number(version.split('.')[0]) >= 19 ? it : () => {})('shows a call awaited in a React 19 Action as it streams (a form action)', async () => {
    const rendered = new Set<string>();
    function Chat() {
      const { predict, status, outputs, isPending, client } = usePredict<[string]>('/stream_text');
      const [reply, setReply] = useState('');
      rendered.add(`${status} ${isPending}`);
      return (
        <form
          action={async () => {
            const [out] = await predict({ prompt: 'hi', n_tokens: 12, delay: 0.05 });
            setReply(out);
          }}
        >
          <button disabled={!client}>send</button>
          <p>
            {status} {outputs.length} {reply}
          </p>
        </form>
      );
    }
    renderApp(<Chat />, { queryClient: qc, sessionHash: session() });
    await waitFor(() => expect(screen.getByRole('button', { name: 'send' }).hasAttribute('disabled')).toBe(false), { timeout: 10_000 });
    click('send');
    // while the Action runs: React held a state update until its end, so this stayed idle throughout
    await screen.findByText(/^streaming [1-9]\d*$/, undefined, { timeout: 10_000 });
    await screen.findByText(/^success 12 hi tok1 .* tok12$/, undefined, { timeout: 10_000 });
    expect(rendered).toContain('streaming true');
  });

  it('goes from the replaced call straight to the new one when submit() runs in a transition', async () => {
    const committed: string[] = [];
    let r!: ReturnType<typeof usePredict<[string]>>;
    function Chat() {
      r = usePredict<[string]>('/stream_text');
      useEffect(() => void committed.push(`${r.status} ${r.data?.[0] ?? ''}`));
      return (
        <p>
          {r.status} {r.data?.[0]}
        </p>
      );
    }
    renderApp(<Chat />, { queryClient: qc, sessionHash: session() });
    await waitFor(() => expect(r.client).toBeTruthy(), { timeout: 10_000 });
    r.submit({ prompt: 'a', n_tokens: 100, delay: 0.05 });
    await screen.findByText(/^streaming a tok/, undefined, { timeout: 10_000 });
    committed.length = 0;
    startTransition(() => void r.submit({ prompt: 'b', n_tokens: 3, delay: 0.05 }));
    await screen.findByText(/^success b tok1 tok2 tok3$/, undefined, { timeout: 10_000 });
    expect(committed.filter((c) => c.startsWith('cancelled'))).toEqual([]); // the replaced call, cancelled, is never on screen
  });
});
