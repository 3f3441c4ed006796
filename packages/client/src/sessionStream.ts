import { createParser } from 'eventsource-parser';
import { ConnectionLostError, type GradioError } from './errors.js';

/** One message of the session stream (`/queue/data`). */
export interface StreamMessage {
  msg: string;
  event_id?: string | null;
  [key: string]: unknown;
}

/** What a job registers to receive its messages. */
export interface StreamListener {
  message(msg: StreamMessage): void;
  lost(error: GradioError): void;
}

/**
 * The one multiplexed SSE stream of a session. It opens when asked to once a joined job is
 * registered, routes messages by `event_id`, buffers messages that arrive before their job's join answer,
 * reopens when the server closes it (`close_stream`) while jobs are still registered, and fails
 * every registered job with {@link ConnectionLostError} when it drops.
 */
export class SessionStream {
  private listeners = new Map<string, StreamListener>();
  private buffered = new Map<string, StreamMessage[]>();
  private joining = 0;
  private controller: AbortController | null = null;

  constructor(
    private readonly request: (signal: AbortSignal) => Promise<Response>,
    private readonly idleTimeout: number,
  ) {}

  /** Call before POSTing `/queue/join`, so early messages of that event are kept. */
  beginJoin(): void {
    this.joining++;
  }

  /** Call when the join answered (or failed: no `eventId`). Registers the job; {@link SessionStream.open} starts the stream. */
  endJoin(eventId?: string, listener?: StreamListener): void {
    this.joining--;
    if (eventId && listener) {
      this.listeners.set(eventId, listener);
      const early = this.buffered.get(eventId);
      this.buffered.delete(eventId);
      early?.forEach((m) => this.listeners.get(eventId)?.message(m));
    }
    if (!this.joining) this.buffered.clear();
  }

  /**
   * Opens the stream if jobs are registered and it is not open. Until then the server keeps the
   * session's messages, so a caller may first finish a run of joins and then open one stream for all.
   */
  open(): void {
    if (this.listeners.size && !this.controller) void this.run();
  }

  /** Routes an event's messages to `listener` (in place of its job). */
  listen(eventId: string, listener: StreamListener): void {
    this.listeners.set(eventId, listener);
  }

  /** Stops routing an event's messages to `listener` (its job has ended). */
  remove(eventId: string, listener: StreamListener): void {
    if (this.listeners.get(eventId) === listener) this.listeners.delete(eventId);
  }

  /** Aborts the stream and fails every registered job with `error`. */
  close(error: GradioError): void {
    this.controller?.abort();
    this.controller = null;
    this.failAll(error);
  }

  private failAll(error: GradioError): void {
    const listeners = [...this.listeners.values()];
    this.listeners.clear();
    listeners.forEach((l) => l.lost(error));
  }

  private dispatch(m: StreamMessage): void {
    const id = m.event_id;
    if (id == null) {
      if (m.msg === 'unexpected_error') {
        this.failAll(new ConnectionLostError(`The server ended the session stream: ${String(m.message ?? 'unexpected error')}.`));
      }
      return;
    }
    const listener = this.listeners.get(id);
    if (listener) listener.message(m);
    else if (this.joining) {
      const list = this.buffered.get(id);
      list ? list.push(m) : this.buffered.set(id, [m]);
    }
  }

  private async run(): Promise<void> {
    const controller = new AbortController();
    this.controller = controller;
    let received = 0;
    let last = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const watch = () => {
      timer = setTimeout(() => {
        if (Date.now() - last < this.idleTimeout) return watch();
        controller.abort();
        this.controller = null;
        this.failAll(new ConnectionLostError(`The session stream sent nothing for ${this.idleTimeout / 1000} s; the connection is considered lost.`));
      }, this.idleTimeout);
    };
    watch();
    controller.signal.addEventListener('abort', () => clearTimeout(timer));
    let error: unknown;
    try {
      const res = await this.request(controller.signal);
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      const parser = createParser({
        onEvent: (e) => {
          received++;
          this.dispatch(JSON.parse(e.data) as StreamMessage);
        },
      });
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) break;
        last = Date.now();
        parser.feed(decoder.decode(chunk.value, { stream: true }));
      }
    } catch (e) {
      error = e;
    } finally {
      clearTimeout(timer);
    }
    if (controller.signal.aborted) return;
    this.controller = null;
    if (!this.listeners.size) return;
    // The server closed the stream while jobs are still registered: a join raced its close_stream
    // (reopen), or the server went away (fail them all).
    if (error !== undefined || !received) {
      const reason = error instanceof Error ? error.message : 'the server closed it';
      this.failAll(new ConnectionLostError(`Lost the connection to the Gradio server (${reason}). Pending jobs were abandoned by the server; submit them again.`));
    } else void this.run();
  }
}
