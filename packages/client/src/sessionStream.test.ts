import { afterEach, describe, expect, it, vi } from 'vitest';
import { ArgumentError, CancelledError, ConnectionLostError, GradioError } from './errors.js';
import { SessionStream, type StreamListener, type StreamMessage } from './sessionStream.js';

const encoder = new TextEncoder();

/** Polls `check` until it passes (fast polling: the stream reads are only a few promise hops away). */
const until = (check: () => void, timeout = 2_000) => vi.waitFor(check, { timeout, interval: 2 });

/** One response of the fake `/queue/data`: a body we write to by hand. */
interface Connection {
  signal: AbortSignal;
  /** Sends one SSE frame `data: <json>`. */
  send(message: StreamMessage): void;
  /** Sends raw text (to split frames across chunks). */
  raw(text: string): void;
  /** Ends the response cleanly. */
  end(): void;
  /** Breaks the response (a transport error). */
  fail(error: Error): void;
  /** Whether the client cancelled the body (stopped reading it, closing the connection). */
  cancelled(): boolean;
}

/** A fake `open(signal)` whose responses the test controls; it honours the abort signal like fetch does. */
function fakeServer() {
  const connections: Connection[] = [];
  const open = vi.fn(async (signal: AbortSignal): Promise<Response> => {
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    let finished = false;
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c), cancel: () => void (cancelled = true) });
    const guard = (fn: () => void) => {
      if (finished) return;
      fn();
    };
    signal.addEventListener('abort', () => guard(() => ((finished = true), controller.error(new DOMException('aborted', 'AbortError')))));
    connections.push({
      signal,
      send: (m) => guard(() => controller.enqueue(encoder.encode(`data: ${JSON.stringify(m)}\n\n`))),
      raw: (t) => guard(() => controller.enqueue(encoder.encode(t))),
      end: () => guard(() => ((finished = true), controller.close())),
      fail: (e) => guard(() => ((finished = true), controller.error(e))),
      cancelled: () => cancelled,
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  });
  /** The n-th opened connection, once it exists. */
  const connection = async (n = 0) => {
    await until(() => expect(connections[n]).toBeDefined());
    return connections[n]!;
  };
  return { open, connections, connection };
}

function listener() {
  const received: StreamMessage[] = [];
  const l = {
    received,
    message: vi.fn((m: StreamMessage) => void received.push(m)),
    lost: vi.fn(),
  } satisfies StreamListener & { received: StreamMessage[] };
  return l;
}

const msg = (event_id: string | null, kind = 'estimation', extra: Record<string, unknown> = {}): StreamMessage => ({ msg: kind, event_id, ...extra });

/** Lets the stream's reader loop run (reads are a few promise hops away). */
const settle = () => new Promise<void>((r) => setTimeout(r, 5));

const streams: SessionStream[] = [];
let sessions = 0;
/** `key`: the session (by default one of its own); one stream of a session may read or join at a time. */
function makeStream(open: (signal: AbortSignal) => Promise<Response>, idleTimeout = 10_000, key = `session ${++sessions}`, closes = true) {
  const s = new SessionStream(open, idleTimeout, key, closes);
  streams.push(s);
  return s;
}
afterEach(() => {
  // Abort whatever is still open so no reader or watchdog outlives its test.
  streams.splice(0).forEach((s) => s.close(new CancelledError('test done')));
});

/** Registers a job the way the client does: beginJoin before the POST, endJoin with its answer, then open. */
function join(stream: SessionStream, id: string, l: StreamListener) {
  stream.beginJoin();
  stream.endJoin(id, l);
  stream.open();
}

/** A stream with one job per id registered (as the client does), and the connection it opened. */
async function streaming<const I extends readonly string[]>(...ids: I) {
  const server = fakeServer();
  const stream = makeStream(server.open);
  const jobs = ids.map((id) => {
    const l = listener();
    join(stream, id, l);
    return l;
  }) as { [K in keyof I]: ReturnType<typeof listener> };
  return { server, stream, jobs, c: await server.connection() };
}

describe('SessionStream', () => {
  it('opens when asked once a job is registered, once', async () => {
    const server = fakeServer();
    const stream = makeStream(server.open);
    stream.open(); // nothing registered yet
    stream.beginJoin();
    expect(server.open).not.toHaveBeenCalled();
    stream.endJoin('a', listener());
    expect(server.open).not.toHaveBeenCalled(); // registering alone does not open
    stream.open();
    expect(server.open).toHaveBeenCalledTimes(1);
    join(stream, 'b', listener());
    join(stream, 'c', listener());
    await settle();
    expect(server.open).toHaveBeenCalledTimes(1);
  });

  it('does not open when the join failed (no event id)', async () => {
    const server = fakeServer();
    const stream = makeStream(server.open);
    stream.beginJoin();
    stream.endJoin();
    stream.beginJoin();
    stream.endJoin(undefined, listener());
    stream.open();
    await settle();
    expect(server.open).not.toHaveBeenCalled();
  });

  it('refuses a join while another stream of this process has calls or joins in its session (their messages would be split); one after the other works', async () => {
    const server = fakeServer();
    const [first, second, other] = [makeStream(server.open, 10_000, '"s1" at app'), makeStream(server.open, 10_000, '"s1" at app'), makeStream(server.open, 10_000, '"s2" at app')];
    const a = listener();
    await first.beginJoin();
    let waited = false;
    setTimeout(() => (waited = true));
    await expect(second.beginJoin()).rejects.toThrow(ArgumentError); // first is joining: at once, no waiting
    expect(waited).toBe(false);
    first.endJoin('a', a);
    first.open();
    const c = await server.connection(0);
    await expect(second.beginJoin()).rejects.toThrow(
      new ArgumentError('Another client calls in session "s1" at app: the two would split its messages. Share one client per session, or give each its own sessionHash.'),
    ); // first reads for its call
    await other.beginJoin(); // another session
    other.endJoin();
    c.send(msg('a', 'process_completed', { success: true, output: { data: [1] } }));
    await until(() => expect(a.received).toHaveLength(1));
    // first's call is over, but it reads until the server's close_stream: second waits for that
    let joined = false;
    const turn = second.beginJoin().then(() => (joined = true));
    await settle();
    expect(joined).toBe(false);
    c.send(msg(null, 'close_stream'));
    await turn;
    second.endJoin();
    await expect(first.beginJoin()).resolves.toBeUndefined();
    first.endJoin();
  });

  it('gives up waiting for a stream whose calls are over after 2 s', async () => {
    vi.useFakeTimers();
    try {
      const server = fakeServer();
      const [first, second] = [makeStream(server.open, 0, '"s3" at app'), makeStream(server.open, 0, '"s3" at app')];
      const a = listener();
      await first.beginJoin();
      first.endJoin('a', a);
      first.open();
      const c = await server.connection(0);
      c.send(msg('a', 'process_completed', { success: true, output: { data: [1] } }));
      await vi.waitFor(() => expect(a.received).toHaveLength(1));
      const refused = expect(second.beginJoin()).rejects.toThrow(ArgumentError);
      await vi.advanceTimersByTimeAsync(2_100);
      await refused;
    } finally {
      vi.useRealTimers();
    }
  });

  it('routes interleaved events by event_id, in order, ignoring heartbeats and close_stream', async () => {
    const { jobs: [a, b], c } = await streaming('a', 'b');
    c.send(msg('a', 'estimation', { rank: 0 }));
    c.send(msg('b', 'estimation', { rank: 1 }));
    c.send(msg(null, 'heartbeat'));
    c.send(msg('a', 'process_starts'));
    c.send(msg('b', 'process_starts'));
    c.send(msg('a', 'process_completed'));
    c.send(msg('zzz', 'process_completed')); // nobody's
    await until(() => expect(a.received).toHaveLength(3));
    await until(() => expect(b.received).toHaveLength(2));
    expect(a.received.map((m) => m.msg)).toEqual(['estimation', 'process_starts', 'process_completed']);
    expect(a.received[0]).toEqual({ msg: 'estimation', event_id: 'a', rank: 0 });
    expect(b.received.map((m) => m.msg)).toEqual(['estimation', 'process_starts']);
    expect(a.lost).not.toHaveBeenCalled();
    expect(b.lost).not.toHaveBeenCalled();
  });

  it('fails only the job whose message throws (a malformed diff); the stream and the other jobs go on', async () => {
    const { jobs: [a, b], c } = await streaming('a', 'b');
    a.message.mockImplementationOnce(() => {
      throw new TypeError('Cannot add at the root of an output');
    });
    c.send(msg('a', 'process_generating'));
    c.send(msg('b', 'process_starts'));
    c.send(msg('b', 'process_completed'));
    await until(() => expect(b.received).toHaveLength(2));
    expect(a.lost).toHaveBeenCalledTimes(1);
    const error = a.lost.mock.calls[0]![0] as GradioError;
    expect(error).toBeInstanceOf(GradioError);
    expect(error.message).toMatch(/"process_generating" message \(Cannot add at the root of an output\); the call was abandoned/);
    expect(b.lost).not.toHaveBeenCalled();
  });

  it('parses frames split across chunks and several frames in one chunk', async () => {
    const { jobs: [a], c } = await streaming('a');
    const one = JSON.stringify(msg('a', 'process_generating', { output: { data: ['Hel'] } }));
    c.raw(`data: ${one.slice(0, 10)}`);
    c.raw(`${one.slice(10)}\n`);
    c.raw(`\ndata: ${JSON.stringify(msg('a', 'log', { log: 'x' }))}\n\ndata: ${JSON.stringify(msg('a', 'process_completed'))}\n\n`);
    await until(() => expect(a.received).toHaveLength(3));
    expect(a.received[0]).toEqual({ msg: 'process_generating', event_id: 'a', output: { data: ['Hel'] } });
    expect(a.received.map((m) => m.msg)).toEqual(['process_generating', 'log', 'process_completed']);
  });

  it('stops routing to a removed job', async () => {
    const { stream, jobs: [a, b], c } = await streaming('a', 'b');
    c.send(msg('a'));
    await until(() => expect(a.received).toHaveLength(1));
    stream.remove('a', listener()); // someone else's listener: no effect
    c.send(msg('a', 'log'));
    await until(() => expect(a.received).toHaveLength(2));
    stream.remove('a', a);
    c.send(msg('a', 'process_completed'));
    c.send(msg('b'));
    await until(() => expect(b.received).toHaveLength(1));
    expect(a.received.map((m) => m.msg)).toEqual(['estimation', 'log']);
  });

  it('listen() routes an event to another listener in place of its job', async () => {
    const { stream, jobs: [a], c } = await streaming('a');
    const watcher = listener();
    stream.listen('a', watcher);
    stream.remove('a', a); // the job ended: must not unregister the watcher
    c.send(msg('a', 'process_starts'));
    await until(() => expect(watcher.received).toHaveLength(1));
    expect(a.message).not.toHaveBeenCalled();
  });

  describe('early messages', () => {
    it('buffers messages that arrive before endJoin registers the job, and replays them first, in order', async () => {
      const { server, stream, jobs: [a], c } = await streaming('a');
      stream.beginJoin(); // job b POSTs /queue/join
      c.send(msg('b', 'estimation', { rank: 0 }));
      c.send(msg('b', 'process_starts'));
      c.send(msg('a', 'log'));
      await until(() => expect(a.received).toHaveLength(1));
      const b = listener();
      stream.endJoin('b', b); // the join answered
      expect(b.received.map((m) => m.msg)).toEqual(['estimation', 'process_starts']);
      c.send(msg('b', 'process_completed'));
      await until(() => expect(b.received).toHaveLength(3));
      expect(b.received.map((m) => m.msg)).toEqual(['estimation', 'process_starts', 'process_completed']);
      expect(server.open).toHaveBeenCalledTimes(1);
    });

    it('keeps the buffer while another join is still in flight', async () => {
      const server = fakeServer();
      const stream = makeStream(server.open);
      join(stream, 'a', listener());
      const c = await server.connection();
      stream.beginJoin(); // b
      stream.beginJoin(); // c
      c.send(msg('c', 'estimation'));
      c.send(msg('b', 'estimation'));
      await settle();
      const b = listener();
      stream.endJoin('b', b);
      expect(b.received).toHaveLength(1);
      const cl = listener();
      stream.endJoin('c', cl);
      expect(cl.received.map((m) => m.event_id)).toEqual(['c']);
    });

    it('drops messages of unknown events when no join is in flight', async () => {
      const { stream, jobs: [a], c } = await streaming('a');
      c.send(msg('x', 'estimation'));
      c.send(msg('a', 'estimation'));
      await until(() => expect(a.received).toHaveLength(1));
      const x = listener();
      join(stream, 'x', x);
      expect(x.message).not.toHaveBeenCalled();
    });

    it('clears the buffer when the last in-flight join ends, even if it failed', async () => {
      const { stream, jobs: [a], c } = await streaming('a');
      stream.beginJoin();
      c.send(msg('x', 'estimation'));
      c.send(msg('a', 'log'));
      await until(() => expect(a.received).toHaveLength(1));
      stream.endJoin(); // the join failed
      const x = listener();
      join(stream, 'x', x);
      expect(x.message).not.toHaveBeenCalled();
    });
  });

  describe('reopening', () => {
    it('reopens after a clean close while jobs remain, and routes on the new stream', async () => {
      const server = fakeServer();
      const stream = makeStream(server.open);
      const a = listener();
      join(stream, 'a', a);
      const first = await server.connection(0);
      first.send(msg('a', 'estimation'));
      first.send(msg(null, 'close_stream'));
      first.end();
      const second = await server.connection(1);
      expect(first.signal.aborted).toBe(false);
      second.send(msg('a', 'process_completed'));
      await until(() => expect(a.received).toHaveLength(2));
      expect(a.received.map((m) => m.msg)).toEqual(['estimation', 'process_completed']);
      expect(a.lost).not.toHaveBeenCalled();
      expect(server.open).toHaveBeenCalledTimes(2);
    });

    it('does not reopen after a clean close when no job remains', async () => {
      const { server, stream, jobs: [a], c } = await streaming('a');
      c.send(msg('a', 'process_completed'));
      await until(() => expect(a.received).toHaveLength(1));
      stream.remove('a', a);
      c.send(msg(null, 'close_stream'));
      c.end();
      await settle();
      expect(server.open).toHaveBeenCalledTimes(1);
      expect(a.lost).not.toHaveBeenCalled();
      // The next job opens a fresh stream.
      join(stream, 'b', listener());
      await server.connection(1);
      expect(server.open).toHaveBeenCalledTimes(2);
    });

    it('has only one stream open at a time across reopen', async () => {
      const server = fakeServer();
      const stream = makeStream(server.open);
      join(stream, 'a', listener());
      const first = await server.connection(0);
      first.send(msg(null, 'heartbeat'));
      first.send(msg(null, 'close_stream'));
      first.end();
      await server.connection(1);
      join(stream, 'b', listener());
      join(stream, 'c', listener());
      await settle();
      expect(server.open).toHaveBeenCalledTimes(2);
    });

    it('fails the jobs when the stream ends without close_stream (cut on the way: the server dropped their events)', async () => {
      const { server, jobs: [a, b], c } = await streaming('a', 'b');
      c.send(msg('a', 'estimation'));
      c.send(msg(null, 'heartbeat'));
      c.end();
      await until(() => expect(a.lost).toHaveBeenCalledTimes(1));
      expect(b.lost).toHaveBeenCalledTimes(1);
      expect(a.lost.mock.calls[0]![0]).toBeInstanceOf(ConnectionLostError);
      await settle();
      expect(server.open).toHaveBeenCalledTimes(1); // a stream opened again would wait for ever: no message comes
    });

    it('before sse_v3 (no close_stream), reopens after a clean end that follows messages (a join may race it)', async () => {
      const server = fakeServer();
      const stream = makeStream(server.open, 10_000, 'old protocol', false);
      const a = listener();
      join(stream, 'a', a);
      const first = await server.connection(0);
      first.send(msg('a', 'estimation'));
      first.end();
      (await server.connection(1)).send(msg('a', 'process_completed'));
      await until(() => expect(a.received.map((m) => m.msg)).toEqual(['estimation', 'process_completed']));
      expect(a.lost).not.toHaveBeenCalled();
    });

    it('cuts the stream at a message that is not JSON and fails its jobs (left open, it would take the next messages)', async () => {
      for (const bad of ['{not json', 'null']) {
        const { server, jobs: [a], c } = await streaming('a');
        c.send(msg('a', 'estimation'));
        c.raw(`data: ${bad}\n\n`);
        await until(() => expect(a.lost).toHaveBeenCalledTimes(1));
        expect(a.lost.mock.calls[0]![0]).toBeInstanceOf(ConnectionLostError);
        expect(c.cancelled()).toBe(true);
        expect(server.open).toHaveBeenCalledTimes(1);
      }
    });

    it('fails the jobs (no reopen loop) when the server closes without sending anything', async () => {
      const server = fakeServer();
      const stream = makeStream(server.open);
      const a = listener();
      join(stream, 'a', a);
      (await server.connection()).end();
      await until(() => expect(a.lost).toHaveBeenCalledTimes(1));
      expect(a.lost.mock.calls[0]![0]).toBeInstanceOf(ConnectionLostError);
      expect(server.open).toHaveBeenCalledTimes(1);
    });
  });

  describe('close_stream and process_completed', () => {
    it('a stream is over at close_stream: the next job opens a new one without waiting for the old response to end', async () => {
      const server = fakeServer();
      const stream = makeStream(server.open);
      const a = listener();
      join(stream, 'a', a);
      const first = await server.connection(0);
      first.send(msg('a', 'process_completed'));
      first.send(msg(null, 'close_stream')); // the response itself has not ended yet
      await until(() => expect(a.received).toHaveLength(1));
      await settle();
      expect(server.open).toHaveBeenCalledTimes(1); // a's event ended with process_completed: no reopen for it
      join(stream, 'b', listener());
      await server.connection(1);
      expect(first.signal.aborted).toBe(false); // left to end by itself
      expect(a.lost).not.toHaveBeenCalled();
    });

    it('unregisters an event at its process_completed (the server sends nothing after it)', async () => {
      const { jobs: [a], c } = await streaming('a');
      c.send(msg('a', 'process_completed'));
      c.send(msg('a', 'log')); // never happens on a real server; shows a is no longer routed to
      await settle();
      expect(a.received.map((m) => m.msg)).toEqual(['process_completed']);
    });
  });

  describe('openEarly()', () => {
    /** A stream whose session the server knows: one job joined and finished, its stream ended. */
    async function knownSession() {
      const server = fakeServer();
      const stream = makeStream(server.open);
      join(stream, 'a', listener());
      const c = await server.connection(0);
      c.send(msg('a', 'process_completed'));
      c.send(msg(null, 'close_stream'));
      c.end();
      await settle();
      return { server, stream };
    }

    it('does nothing before the server knows the session', async () => {
      const server = fakeServer();
      const stream = makeStream(server.open);
      stream.openEarly();
      await settle();
      expect(server.open).not.toHaveBeenCalled();
    });

    it('opens while the join is sent; messages before the join answers are kept for the job', async () => {
      const { server, stream } = await knownSession();
      stream.beginJoin();
      stream.openEarly();
      const c = await server.connection(1);
      c.send(msg('b', 'estimation'));
      c.send(msg('b', 'process_starts'));
      await settle();
      const b = listener();
      stream.endJoin('b', b);
      stream.open(); // already open: nothing new
      c.send(msg('b', 'process_completed'));
      await until(() => expect(b.received).toHaveLength(3));
      expect(b.received.map((m) => m.msg)).toEqual(['estimation', 'process_starts', 'process_completed']);
      expect(server.open).toHaveBeenCalledTimes(2);
    });

    it('waits for the join when earlier joins of a run wait for the stream: one stream for them all', async () => {
      // early, the stream could carry the earlier calls to their end, and the server then closes it
      // before this join reaches it: that join would need a second stream
      const { server, stream } = await knownSession();
      const [b, c] = [listener(), listener()];
      stream.beginJoin();
      stream.endJoin('b', b); // joined; the stream waits for the run's last join
      stream.beginJoin();
      stream.openEarly();
      await settle();
      expect(server.open).toHaveBeenCalledTimes(1); // the known session's first stream only
      stream.endJoin('c', c);
      stream.open();
      const next = await server.connection(1);
      next.send(msg('b', 'process_completed'));
      next.send(msg('c', 'process_completed'));
      await until(() => expect([b.received, c.received]).toEqual([[msg('b', 'process_completed')], [msg('c', 'process_completed')]]));
    });

    const notFound = msg(null, 'unexpected_error', { message: '404: Not Found', session_not_found: true, success: false });

    it('ends quietly when the server does not know the session, and opens again for the job', async () => {
      const { server, stream } = await knownSession();
      stream.beginJoin();
      stream.openEarly();
      const early = await server.connection(1);
      const b = listener();
      stream.endJoin('b', b); // the join answered first: it created the session
      stream.open();
      early.send(notFound);
      early.end();
      const next = await server.connection(2);
      next.send(msg('b', 'process_completed'));
      await until(() => expect(b.received).toHaveLength(1));
      expect(b.lost).not.toHaveBeenCalled();
      next.send(msg(null, 'close_stream'));
      await settle();
      stream.beginJoin();
      stream.openEarly(); // known again thanks to b's join
      await server.connection(3);
    });

    it('cuts the connection that said the server does not know the session, even when it is kept open', async () => {
      // Gradio 6's server-side rendering front (Node) does not pass on the end of that answer
      const { server, stream } = await knownSession();
      stream.beginJoin();
      stream.openEarly();
      const early = await server.connection(1);
      const b = listener();
      stream.endJoin('b', b);
      stream.open();
      early.send(notFound); // and nothing more, not even the end
      const next = await server.connection(2);
      await until(() => expect(early.cancelled()).toBe(true));
      next.send(msg('b', 'process_completed'));
      await until(() => expect(b.received).toHaveLength(1));
      expect(b.lost).not.toHaveBeenCalled();
    });

    it('fails the calls of a stream whose session the server lost, and gives the next call a stream of its own (even when that connection is kept open)', async () => {
      const { jobs: [a], c, server, stream } = await streaming('a');
      c.send(notFound); // and nothing more, not even the end (Gradio 6's server-side rendering front)
      await until(() => expect(a.lost).toHaveBeenCalledTimes(1));
      expect(a.lost.mock.calls[0]![0]).toEqual(new ConnectionLostError('The server no longer knows this session (did it restart?): its calls were lost. Submit them again.'));
      await until(() => expect(c.cancelled()).toBe(true));
      const b = listener();
      join(stream, 'b', b);
      const next = await server.connection(1);
      next.send(msg('b', 'process_completed'));
      await until(() => expect(b.received).toHaveLength(1));
      expect(b.lost).not.toHaveBeenCalled();
    });

    it('is not tried early again when no join succeeded since the server said it did not know the session', async () => {
      const { server, stream } = await knownSession();
      stream.beginJoin();
      stream.openEarly();
      const early = await server.connection(1);
      early.send(notFound);
      early.end();
      await settle();
      stream.endJoin(); // that join failed
      stream.open();
      stream.openEarly();
      await settle();
      expect(server.open).toHaveBeenCalledTimes(2);
    });

    it('is left open for the next call when the joins it was opened for all failed (cut, it could take that call with it)', async () => {
      const { server, stream } = await knownSession();
      stream.beginJoin();
      stream.openEarly();
      const early = await server.connection(1);
      stream.endJoin(); // the join failed
      stream.open();
      await settle();
      expect(early.signal.aborted).toBe(false);
      stream.beginJoin();
      stream.openEarly(); // open already
      const c = listener();
      stream.endJoin('c', c);
      stream.open();
      early.send(msg('c', 'process_completed'));
      await until(() => expect(c.received).toHaveLength(1));
      expect(server.open).toHaveBeenCalledTimes(2);
    });
  });

  describe('release()', () => {
    it('ends a stream that no job needs at once', async () => {
      const { stream, c } = await streaming('a');
      c.send(msg('a', 'process_completed')); // a stream opened early for a failed join looks the same
      await settle();
      stream.release();
      expect(c.signal.aborted).toBe(true);
    });

    it('leaves the stream to its jobs, and ends it when the last join in flight fails', async () => {
      const { stream, jobs: [a], c } = await streaming('a');
      stream.beginJoin(); // a join of the old session still on its way
      stream.release();
      expect(c.signal.aborted).toBe(false);
      c.send(msg('a', 'process_completed'));
      await until(() => expect(a.received).toHaveLength(1));
      expect(c.signal.aborted).toBe(false);
      stream.endJoin(); // it failed
      stream.open();
      expect(c.signal.aborted).toBe(true);
      expect(a.lost).not.toHaveBeenCalled();
    });
  });

  describe('losing the connection', () => {
    it('fails every registered job with ConnectionLostError on a transport error', async () => {
      const { server, jobs: [a, b], c } = await streaming('a', 'b');
      c.send(msg('a'));
      await until(() => expect(a.received).toHaveLength(1));
      c.fail(new Error('socket hang up'));
      await until(() => expect(b.lost).toHaveBeenCalledTimes(1));
      expect(a.lost).toHaveBeenCalledTimes(1);
      const error = a.lost.mock.calls[0]![0];
      expect(error).toBeInstanceOf(ConnectionLostError);
      expect(error.message).toContain('socket hang up');
      expect(b.lost.mock.calls[0]![0]).toBe(error);
      await settle();
      expect(server.open).toHaveBeenCalledTimes(1);
    });

    it('sends a stream request that failed before the server answered again (the server keeps the messages), and then reads them', async () => {
      const server = fakeServer();
      const answers: Array<() => Promise<Response>> = [
        () => Promise.reject(new TypeError('fetch failed')), // a connection reset
        async () => new Response('<title>502 Bad Gateway</title>', { status: 502 }), // a proxy
        async () => new Response('slow down', { status: 429 }),
      ];
      const stream = makeStream((signal) => (answers.shift() ?? (() => server.open(signal)))());
      const a = listener();
      join(stream, 'a', a);
      const c = await server.connection();
      c.send(msg('a', 'process_completed', { success: true, output: { data: [1] } }));
      await until(() => expect(a.received.map((m) => m.msg)).toEqual(['process_completed']));
      expect(a.lost).not.toHaveBeenCalled();
    });

    it.each([
      ['rejects', () => Promise.reject(new TypeError('fetch failed')), 'fetch failed', 5],
      ['answers an HTTP error', async () => new Response('nope', { status: 500 }), 'Could not open the session stream (HTTP 500): submit its calls again.', 5],
      ['answers a refusal of its own (401): not sent again', async () => new Response('{}', { status: 401 }), 'Could not open the session stream (HTTP 401)', 1],
    ])('fails the jobs when the stream request %s, after trying 4 s at most', async (_, answer: () => Promise<Response>, words, tries) => {
      vi.useFakeTimers();
      try {
        const open = vi.fn(answer);
        const stream = makeStream(open);
        const a = listener();
        join(stream, 'a', a);
        await vi.advanceTimersByTimeAsync(3_749); // 250 + 500 + 1,000 + 2,000 ms between 5 tries
        expect(open).toHaveBeenCalledTimes(tries === 1 ? 1 : 4);
        await vi.advanceTimersByTimeAsync(1);
        expect(open).toHaveBeenCalledTimes(tries);
        expect(a.lost).toHaveBeenCalledTimes(1);
        expect(a.lost.mock.calls[0]![0]).toBeInstanceOf(ConnectionLostError);
        expect(a.lost.mock.calls[0]![0].message).toContain(words);
      } finally {
        vi.useRealTimers();
      }
    });

    it('fails its jobs when one message grows past 100 MB (a server sending it for ever), instead of filling the memory', async () => {
      const { jobs: [a], c } = await streaming('a');
      c.send(msg('a', 'estimation'));
      const mb = 'x'.repeat(1e6);
      c.raw('data: {"msg": "process_generating", "event_id": "a", "output": "');
      for (let i = 0; i < 101 && !a.lost.mock.calls.length; i++) {
        c.raw(mb);
        await settle();
      }
      await until(() => expect(a.lost).toHaveBeenCalledTimes(1));
      expect(a.lost.mock.calls[0]![0]).toBeInstanceOf(ConnectionLostError);
      expect(a.lost.mock.calls[0]![0].message).toContain('a message is over 100 MB');
      expect(c.cancelled()).toBe(true); // the body is not read on
      expect(a.received.map((m) => m.msg)).toEqual(['estimation']);
    });

    it('limits each message to 100 MB, not the stream: more than 100 MB in smaller messages passes', async () => {
      const { jobs: [a], c } = await streaming('a');
      const mb = 'x'.repeat(1e6);
      for (let i = 0; i < 102; i++) {
        c.send(msg('a', 'process_generating', { output: { data: [mb] } }));
        if (i % 10 === 9) await settle();
      }
      c.send(msg('a', 'process_completed', { output: { data: ['done'] }, success: true }));
      await until(() => expect(a.received).toHaveLength(103));
      expect(a.lost).not.toHaveBeenCalled();
    });

    it('stops trying at close(), leaving no timer behind', async () => {
      vi.useFakeTimers();
      try {
        let sent = 0;
        const stream = makeStream(async (signal: AbortSignal) => {
          signal.throwIfAborted(); // as fetch does: an aborted request is not sent
          sent++;
          return new Response('', { status: 502 });
        });
        const a = listener();
        join(stream, 'a', a);
        await vi.advanceTimersByTimeAsync(300);
        expect(sent).toBe(2);
        stream.close(new CancelledError('closed'));
        expect(vi.getTimerCount()).toBe(0);
        await vi.advanceTimersByTimeAsync(10_000);
        expect(sent).toBe(2);
      } finally {
        vi.useRealTimers();
      }
    });

    it('fails every registered job on an unexpected_error with event_id null', async () => {
      const { jobs: [a, b], c } = await streaming('a', 'b');
      c.send({ msg: 'unexpected_error', event_id: null, message: 'Server stopped unexpectedly.', session_not_found: false, success: false });
      await until(() => expect(a.lost).toHaveBeenCalledTimes(1));
      expect(b.lost).toHaveBeenCalledTimes(1);
      const error = a.lost.mock.calls[0]![0];
      expect(error).toBeInstanceOf(ConnectionLostError);
      expect(error.message).toContain('Server stopped unexpectedly.');
      // The failed jobs are no longer routed to.
      c.send(msg('a', 'process_completed'));
      await settle();
      expect(a.message).not.toHaveBeenCalled();
    });

    it("reads on in a new stream when Gradio (4.31–5.45) breaks it over an event completed twice (a cancel racing the call's end), losing no other call", async () => {
      const { server, jobs: [a, b], c } = await streaming('a', 'b');
      c.send(msg('a', 'process_completed', { success: true, output: {} }));
      c.send(msg('a', 'process_completed', { success: true, output: { data: [1] } })); // the second one
      c.send({ msg: 'unexpected_error', event_id: null, message: "'a'", success: false });
      await settle(); // read before the break (which drops what is not read)
      c.fail(new TypeError('terminated'));
      const second = await server.connection(1);
      second.send(msg('b', 'process_completed', { success: true, output: { data: [2] } }));
      await until(() => expect(b.received).toHaveLength(1));
      expect(b.lost).not.toHaveBeenCalled();
      expect(a.received).toHaveLength(1);
    });

    it('fails the jobs on an unexpected_error naming an event that is not the one just completed', async () => {
      // one still running
      const first = await streaming('a');
      first.c.send({ msg: 'unexpected_error', event_id: null, message: "'a'", success: false });
      await until(() => expect(first.jobs[0].lost).toHaveBeenCalledTimes(1));
      // one that completed, but other messages came since
      const { jobs: [x, y], c } = await streaming('x', 'y');
      c.send(msg('x', 'process_completed', { success: true, output: {} }));
      c.send(msg('y'));
      c.send({ msg: 'unexpected_error', event_id: null, message: "'x'", success: false });
      await until(() => expect(y.lost).toHaveBeenCalledTimes(1));
      expect(x.lost).not.toHaveBeenCalled();
    });

    it('a job that registers after a failure gets a fresh stream', async () => {
      const server = fakeServer();
      const stream = makeStream(server.open);
      const a = listener();
      join(stream, 'a', a);
      (await server.connection(0)).fail(new Error('reset'));
      await until(() => expect(a.lost).toHaveBeenCalled());
      const b = listener();
      join(stream, 'b', b);
      const second = await server.connection(1);
      second.send(msg('b'));
      await until(() => expect(b.received).toHaveLength(1));
      expect(b.lost).not.toHaveBeenCalled();
    });
  });

  describe('close()', () => {
    it('aborts the stream and fails every registered job with the given error', async () => {
      const { server, stream, jobs: [a, b], c } = await streaming('a', 'b');
      const error = new CancelledError('The client was closed.');
      stream.close(error);
      expect(c.signal.aborted).toBe(true);
      expect(a.lost).toHaveBeenCalledWith(error);
      expect(b.lost).toHaveBeenCalledWith(error);
      await settle();
      expect(a.lost).toHaveBeenCalledTimes(1);
      expect(server.open).toHaveBeenCalledTimes(1); // no reopen after an abort
    });

    it('is harmless when nothing is open', () => {
      const server = fakeServer();
      const stream = makeStream(server.open);
      expect(() => stream.close(new CancelledError('x'))).not.toThrow();
      expect(server.open).not.toHaveBeenCalled();
    });
  });

  describe('idle watchdog', () => {
    it('fails the jobs with ConnectionLostError when the stream stays silent', async () => {
      const server = fakeServer();
      const stream = makeStream(server.open, 50);
      const a = listener();
      join(stream, 'a', a);
      const c = await server.connection();
      await until(() => expect(a.lost).toHaveBeenCalledTimes(1), 5_000);
      expect(a.lost.mock.calls[0]![0]).toBeInstanceOf(ConnectionLostError);
      expect(c.signal.aborted).toBe(true);
    });

    it('counts the silence from the last message: after a message it waits what is left of the timeout, not a whole one more', async () => {
      const timers = vi.spyOn(globalThis, 'setTimeout');
      try {
        const server = fakeServer();
        const stream = makeStream(server.open, 337);
        const a = listener();
        join(stream, 'a', a);
        const c = await server.connection();
        await new Promise((r) => setTimeout(r, 150));
        c.send(msg('a', 'process_starts')); // halfway through the first wait
        timers.mockClear();
        await until(() => expect(a.lost).toHaveBeenCalledTimes(1), 5_000);
        // after the first wait: what was left of the timeout after the message (about 150 ms), then the loss
        const armed = timers.mock.calls.map(([, ms]) => ms).filter((ms) => typeof ms === 'number' && ms > 20);
        expect(armed).toHaveLength(1);
        expect(armed[0]).toBeLessThan(337);
      } finally {
        timers.mockRestore();
      }
    });

    it('fails the jobs when open() never answers', async () => {
      let signal: AbortSignal | undefined;
      const stream = makeStream((s) => {
        signal = s;
        return new Promise<Response>(() => {});
      }, 50);
      const a = listener();
      join(stream, 'a', a);
      await until(() => expect(a.lost).toHaveBeenCalledTimes(1), 5_000);
      expect(a.lost.mock.calls[0]![0]).toBeInstanceOf(ConnectionLostError);
      expect(signal?.aborted).toBe(true);
    });

    it.each([0, Infinity])('is off with an idle timeout of %s: no timer at all', async (idle) => {
      const timers = vi.spyOn(globalThis, 'setTimeout');
      try {
        const server = fakeServer();
        const stream = makeStream(server.open, idle);
        const a = listener();
        join(stream, 'a', a);
        const c = await server.connection();
        c.send(msg('a', 'process_starts'));
        await until(() => expect(a.received).toHaveLength(1));
        await settle();
        expect(timers.mock.calls.filter(([, ms]) => ms === idle)).toEqual([]);
        expect(a.lost).not.toHaveBeenCalled();
        expect(c.signal.aborted).toBe(false);
      } finally {
        timers.mockRestore();
      }
    });
  });
});
