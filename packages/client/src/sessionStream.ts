import { createParser } from 'eventsource-parser';
import { ArgumentError, ConnectionLostError, GradioError } from './errors.js';
import { limited, MAX_TEXT } from './http.js';

/** One message of the session stream (`/queue/data`). */
export interface StreamMessage {
  /** The message's kind: `estimation`, `process_starts`, `progress`, `log`, `process_generating`, `process_completed`, `heartbeat`, `close_stream`, … */
  msg: string;
  /** The event it is about (none for the stream's own messages). */
  event_id?: string | null;
  [key: string]: unknown;
}

/** What a job registers to receive its messages. */
export interface StreamListener {
  /** Called with each message of the listener's event, in order. */
  message(msg: StreamMessage): void;
  /** Called once when the stream drops before the event has ended. */
  lost(error: GradioError): void;
}

/**
 * The streams of this process that read or join. Gradio gives each message of a session to one of
 * the session's streams, and two streams lose their order: one session has one stream at a time.
 */
const active = new Set<SessionStream>();

/**
 * The one multiplexed SSE stream of a session. It opens when asked to once a joined job is
 * registered, routes messages by `event_id`, buffers messages that arrive before their job's join answer,
 * reopens when the server closes it (`close_stream`) while jobs are still registered, and fails
 * every registered job with {@link ConnectionLostError} when it drops.
 */
export class SessionStream {
  #listeners = new Map<string, StreamListener>();
  #buffered = new Map<string, StreamMessage[]>();
  #joining = 0;
  #controller: AbortController | null = null;
  /** The server has this session's message queue: a join succeeded, and no stream of ours was aborted since. */
  #known = false;
  /** Successful joins so far. */
  #joined = 0;
  /** The session is over ({@link SessionStream.release}): the stream ends once no job needs it. */
  #released = false;

  readonly #request: (signal: AbortSignal) => Promise<Response>;
  readonly #idleTimeout: number;
  readonly #key: string;
  readonly #closes: boolean;

  /**
   * `key`: the session and the app's URL (`"id" at url`); one stream of a key may read or join at a time.
   * `closes`: the server ends each stream with `close_stream` (`sse_v3`), so a stream that ends
   * without one while calls wait was cut on the way (the server then drops the session's events).
   */
  constructor(request: (signal: AbortSignal) => Promise<Response>, idleTimeout: number, key: string, closes = true) {
    this.#request = request;
    this.#idleTimeout = idleTimeout;
    this.#key = key;
    this.#closes = closes;
  }

  /** Keeps this stream in {@link active} while it reads, joins or has calls (it may open after a run of joins). */
  #enlist(): void {
    this.#controller || this.#joining || this.#listeners.size ? active.add(this) : active.delete(this);
  }

  /**
   * Call before POSTing `/queue/join`, so early messages of that event are kept. Another stream of
   * this process in the same session whose calls are all over still reads until the server's
   * `close_stream`, a moment after its last result: the join waits for it to end (up to 2 s).
   * @throws ArgumentError when another stream of this process has calls or joins in the same session.
   */
  async beginJoin(): Promise<void> {
    for (let waited = 0, other: SessionStream | undefined; (other = [...active].find((s) => s !== this && s.#key === this.#key)); waited += 10) {
      if (other.#listeners.size || other.#joining || waited > 2000) {
        throw new ArgumentError(`Another client calls in session ${this.#key}: the two would split its messages. Share one client per session, or give each its own sessionHash.`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    this.#joining++;
    this.#enlist();
  }

  /** Call when the join answered (or failed: no `eventId`). Registers the job; {@link SessionStream.open} starts the stream. */
  endJoin(eventId?: string, listener?: StreamListener): void {
    this.#joining--;
    if (eventId && listener) {
      this.#known = true;
      this.#joined++;
      this.#listeners.set(eventId, listener);
      const early = this.#buffered.get(eventId);
      this.#buffered.delete(eventId);
      early?.forEach((m) => this.#deliver(eventId, m));
    }
    if (!this.#joining) this.#buffered.clear();
    this.#enlist();
  }

  /**
   * Opens the stream if jobs are registered and it is not open. Until then the server keeps the
   * session's messages, so a caller may first finish a run of joins and then open one stream for all.
   *
   * A stream that no job needs (opened early for joins that all failed) is left open for the next
   * call, not cut: the server drops a session's queue and queued events when its stream is cut, and
   * a join that reaches it just before it notices would vanish with them.
   */
  open(): void {
    if (this.#listeners.size) {
      if (!this.#controller) void this.#run();
    } else if (this.#released && !this.#joining) this.#abort();
  }

  /** Nothing is left to do: no stream open, no job registered, no join on its way. */
  get idle(): boolean {
    return !this.#controller && !this.#listeners.size && !this.#joining;
  }

  /** The session is over (reset): its stream ends once no job needs it, now if none does. */
  release(): void {
    this.#released = true;
    this.open();
  }

  /**
   * Opens the stream while a join is being sent, when the server already knows the session, so that
   * the join and the stream's request overlap (one round trip less per call; Gradio ≥ 6.11, whose
   * stream waits for messages without polling). If the server turns out not to know the session,
   * the stream ends quietly and is opened again for the registered jobs. Not while earlier jobs of
   * a run of joins wait for the stream: their end could close it before this join reaches the
   * server, which would then need a second stream.
   */
  openEarly(): void {
    if (this.#known && !this.#controller && !this.#listeners.size) void this.#run(true);
  }

  #abort(): void {
    this.#controller?.abort();
    this.#controller = null;
    this.#known = false; // the server drops a session's queue when its stream is cut
    this.#enlist();
  }

  /** Routes an event's messages to `listener` (in place of its job), opening the stream if it is not open. */
  listen(eventId: string, listener: StreamListener): void {
    this.#listeners.set(eventId, listener);
    this.open();
  }

  /** Stops routing an event's messages to `listener` (its job has ended). */
  remove(eventId: string, listener: StreamListener): void {
    if (this.#listeners.get(eventId) === listener) this.#listeners.delete(eventId);
    this.#enlist();
  }

  /** Aborts the stream and fails every registered job with `error`. */
  close(error: GradioError): void {
    this.#abort();
    this.#failAll(error);
  }

  #failAll(error: GradioError): void {
    const listeners = [...this.#listeners.values()];
    this.#listeners.clear();
    this.#enlist();
    listeners.forEach((l) => l.lost(error));
  }

  /** Gives a message to its event's listener; after `process_completed` the event is over and unregistered. */
  #deliver(id: string, m: StreamMessage): void {
    const listener = this.#listeners.get(id);
    try {
      listener?.message(m);
    } catch (e) {
      // a message its job cannot take (a malformed diff): that job fails, the others go on
      listener!.lost(new GradioError(`Could not apply the server's "${m.msg}" message (${(e as Error).message}); the call was abandoned.`, { cause: e }));
    }
    if (m.msg === 'process_completed') this.remove(id, listener!);
  }

  #dispatch(m: StreamMessage): void {
    const id = m.event_id;
    if (id == null) {
      if (m.msg === 'unexpected_error') {
        this.#failAll(new ConnectionLostError(`The server ended the session stream: ${String(m.message ?? 'unexpected error')}`.replace(/[^.!?]$/, '$&.')));
      }
      return;
    }
    if (this.#listeners.has(id)) this.#deliver(id, m);
    else if (this.#joining) {
      const list = this.#buffered.get(id);
      list ? list.push(m) : this.#buffered.set(id, [m]);
    }
  }

  /**
   * The stream's answer. A request that failed before the server answered (a proxy's 502 or 429, a
   * reset connection) loses nothing, since the server keeps the session's messages for the next
   * stream: it is sent again, 5 times in about 4 s. A refusal of the server's own (a 401) is not.
   */
  async #open(signal: AbortSignal): Promise<Response> {
    for (let wait = 250; ; wait *= 2) {
      const res = await this.#request(signal).catch((e: unknown) => {
        if (wait > 2000) throw e;
      });
      signal.throwIfAborted();
      if (res?.ok) return res;
      if (res && (wait > 2000 || (res.status < 500 && res.status !== 429))) throw new ConnectionLostError(`Could not open the session stream (HTTP ${res.status}): submit its calls again.`);
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, wait);
        signal.addEventListener('abort', () => resolve(clearTimeout(timer)));
      });
    }
  }

  async #run(early = false): Promise<void> {
    const controller = new AbortController();
    this.#controller = controller;
    this.#enlist();
    let received = 0;
    /** Bytes read since the last message. */
    let unread = 0;
    let notFound = false;
    /** The server broke this stream but kept the session's queue: open another one. */
    let resume = false;
    /** The event of the previous message, when that was its `process_completed`. */
    let completed: unknown;
    const joined = this.#joined;
    let ended = false;
    let last = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const watch = (ms = this.#idleTimeout) => {
      if (!limited(this.#idleTimeout)) return;
      timer = setTimeout(() => {
        const quiet = Date.now() - last;
        if (quiet < this.#idleTimeout) return watch(this.#idleTimeout - quiet); // what is left of it
        this.#abort();
        this.#failAll(new ConnectionLostError(`The session stream sent nothing for ${this.#idleTimeout / 1000} s; the connection is considered lost.`));
      }, ms);
    };
    watch();
    controller.signal.addEventListener('abort', () => clearTimeout(timer));
    /** This stream is over: at its `close_stream` (the server sends nothing after it) or at its end. */
    const end = (closed: boolean, error?: unknown) => {
      if (ended || controller.signal.aborted) return;
      ended = true;
      clearTimeout(timer);
      this.#controller = null;
      this.#enlist();
      if (notFound && joined === this.#joined) this.#known = false; // a join since then has created the session
      if (!this.#listeners.size) return;
      // Jobs are still registered: a join raced the server's close_stream, or this early stream
      // came before the server knew the session (open again), or the server went away (fail them).
      // (Before sse_v3 a stream ends without close_stream, and a join may race that end.)
      if (closed || notFound || resume || (error === undefined && received && !this.#closes)) return void this.#run();
      const reason = error instanceof Error ? error.message : 'the server closed it';
      this.#failAll(
        error instanceof ConnectionLostError ? error : new ConnectionLostError(`Lost the connection to the Gradio server (${reason}). Pending jobs were abandoned by the server; submit them again.`),
      );
    };
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    try {
      const res = await this.#open(controller.signal);
      const parser = createParser({
        onEvent: (e) => {
          unread = 0;
          if (ended) return;
          received++;
          const m = JSON.parse(e.data) as StreamMessage;
          // The server does not know the session: an early stream that came before its join made
          // it (opened again), or the server lost it (restarted) with its calls. Either way this
          // stream is over (cut below): the next call needs one of its own.
          if (m.msg === 'unexpected_error' && m.session_not_found) {
            notFound = true;
            if (!early) this.#failAll(new ConnectionLostError('The server no longer knows this session (did it restart?): its calls were lost. Submit them again.'));
            end(false);
          }
          // Over now, so that the next join can open a stream without waiting for this one to end.
          else if (m.msg === 'close_stream') end(true);
          // Gradio 4.31–5.45 break the stream with a KeyError naming the event whose process_completed
          // came twice (a cancel that raced the call's end). The session's queue is intact, and
          // another stream reads on: the session's other calls go on.
          else if (m.msg === 'unexpected_error' && m.message === `'${completed}'`) resume = true;
          else this.#dispatch(m);
          completed = m.msg === 'process_completed' && m.event_id;
        },
      });
      reader = res.body!.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) break;
        last = Date.now();
        // one message may not fill the memory (a server sending one for ever)
        if ((unread += chunk.value.length) > MAX_TEXT) throw new Error(`a message is over ${MAX_TEXT / 1e6} MB`);
        parser.feed(decoder.decode(chunk.value, { stream: true }));
        // Nothing follows a session_not_found, but its connection may stay open (Gradio 6's
        // server-side rendering front keeps it), so do not wait for its end. Not an abort: Node's
        // fetch can leave a read pending for ever when aborted after the body has arrived.
        if (notFound) return void reader.cancel().catch(() => {});
      }
      end(false);
    } catch (e) {
      // a stream that cannot be read on (a message over the limit or not JSON) is cut: left open, it
      // would take the session's next messages, which no one reads
      void reader?.cancel().catch(() => {});
      end(false, e);
    }
  }
}
