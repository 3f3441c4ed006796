import type { Args } from './endpoint.js';
import { AppError, CancelledError, QueueFullError, type GradioError } from './errors.js';
import { applyDiff, type DiffOperation } from './applyDiff.js';
import type { StreamListener, StreamMessage } from './sessionStream.js';
import type { JobStage, LogMessage, ProgressUnit, QueueInfo, StatusCode, StatusUpdate } from './types.js';

/** An immutable view of a job, replaced (never mutated) on every change. */
export interface JobSnapshot<T> {
  /** The server's event id, once the queue accepted the job. */
  readonly eventId: string | null;
  /** Where the job is in its life: see {@link JobStage} for the transitions. */
  readonly stage: JobStage;
  /** The latest wire status, with Python's codes. */
  readonly status: StatusUpdate;
  /** Position and queue size while queued, and the ETA of the result (see {@link QueueInfo}). */
  readonly queue: QueueInfo;
  /** The latest `gr.Progress` units, outermost first; `null` before the app reports any. */
  readonly progress: readonly ProgressUnit[] | null;
  /** Every `gr.Info` / `gr.Warning` / `gr.Success` message so far, in order. */
  readonly logs: readonly LogMessage[];
  /** Every output so far: each generator yield (diffs applied), or the single final output. */
  readonly outputs: readonly T[];
  /** The latest output. */
  readonly data: T | undefined;
  /** Why the job failed or was cancelled. */
  readonly error: GradioError | undefined;
  /** True once the stage is `success`, `error` or `cancelled`. */
  readonly done: boolean;
}

/** An event of {@link Job.events}: every status change and every output, in order. */
export type JobEvent<T> =
  | {
      /** A status change. */
      readonly type: 'status';
      /** The new status. */
      readonly status: StatusUpdate;
    }
  | {
      /** An output. */
      readonly type: 'data';
      /** The outputs (diffs applied). */
      readonly data: T;
      /**
       * True for the job's result (its last data event; the `FINISHED` status event follows). A
       * generator's result repeats its last yield (the server sends it again, in full): to collect
       * the yields, take the events that are not `final`, or use {@link Job.outputs} or the job's
       * own iterator, which give each yield once.
       */
      readonly final: boolean;
    };

/** @internal What the client gives a job to talk to the server. */
export interface JobDriver<T> {
  /**
   * Turns a full server `data` array into the public outputs (hidden outputs removed, file URLs
   * fixed). `streamed`: a generator's yield, whose unchanged parts keep the objects they had.
   */
  output(data: unknown[], streamed?: boolean): T;
  /**
   * Asks the server to cancel (called once, after the job became `cancelled`; `stage` is the one it
   * had before). `spare`: not when that would stop other calls (see {@link CancelOptions}).
   */
  cancel(stage: JobStage, spare?: boolean): Promise<unknown>;
  /** Sends the next input of a streamed-input call; `null` ends its input. False when it had ended. */
  send(args: Args | null): Promise<boolean>;
  /** Whether the protocol sends generator diffs. */
  diffs: boolean;
  /** Gradio before 5.3 sends `gr.Error` messages as Python string literals (`'text'`). */
  quoted?: boolean;
  onResult?: ((data: T) => void) | undefined;
}

/** Options of {@link Job.cancel}. */
export interface CancelOptions {
  /**
   * Gradio stops every running call of the endpoint in the session when it cancels one. `true`:
   * when that would stop another call of this client (running, or queued: it may start before the
   * cancel reaches the server), the server is not asked; the job
   * still ends here as cancelled, and its run on the server finishes unseen. For cancels that no
   * user asked for, such as a component that goes away while other components of the session call
   * the same endpoint (the React hooks do so).
   */
  spareOthers?: boolean | undefined;
  /** Why, said in the job's {@link CancelledError}: `The call to /x was cancelled: <reason>.` */
  reason?: string | undefined;
}

const TERMINAL: readonly JobStage[] = ['success', 'error', 'cancelled'];

/**
 * A submitted call (Python `Job`). Observe it with {@link Job.subscribe} / {@link Job.getSnapshot}
 * (fit for React's `useSyncExternalStore`), `await` {@link Job.result}, or iterate its outputs with
 * `for await (const out of job)`.
 *
 * @typeParam T - the tuple of the endpoint's outputs (State outputs removed).
 */
export class Job<T = unknown[]> implements AsyncIterable<T>, StreamListener {
  /** The endpoint this job calls, as `"/name"` (or the fn index). */
  readonly endpoint: string;
  #state: Omit<JobSnapshot<T>, 'outputs' | 'done'>;
  #outputList: T[] = [];
  #history: JobEvent<T>[] = [];
  #snapshot: JobSnapshot<T> | null = null;
  #listeners = new Set<() => void>();
  #wake: Array<() => void> = [];
  #scheduled = false;
  #raw: unknown[] | null = null;
  #generated = false;
  /** Whether the latest output was built by applying diffs. */
  #patched = false;
  #final: Promise<T>;
  #settle!: [(value: T) => void, (error: GradioError) => void];

  /** @internal Jobs are made by `client.submit()`. */
  constructor(endpoint: string, private readonly driver: JobDriver<T>) {
    this.endpoint = endpoint;
    this.#state = {
      eventId: null,
      stage: 'pending',
      status: status('STARTING'),
      queue: { position: null, size: null, eta: null },
      progress: null,
      logs: [],
      data: undefined,
      error: undefined,
    };
    this.#history.push({ type: 'status', status: this.#state.status });
    this.#final = new Promise<T>((resolve, reject) => (this.#settle = [resolve, reject]));
    this.#final.catch(() => {}); // a rejection nobody awaits is not an unhandled one
  }

  /** The server's event id, once the queue accepted the job. */
  get eventId(): string | null {
    return this.#state.eventId;
  }

  /** The latest status (Python `job.status()`). */
  status(): StatusUpdate {
    return this.#state.status;
  }

  /**
   * Every output so far (Python `job.outputs()`), kept while the job is. A generator's outputs
   * share the parts its diffs left unchanged (the same objects): treat them as read-only.
   */
  outputs(): readonly T[] {
    return this.#outputList.slice();
  }

  /** True once the job succeeded, failed or was cancelled. */
  done(): boolean {
    return TERMINAL.includes(this.#state.stage);
  }

  /**
   * The final outputs. Rejects with the job's error: {@link AppError}, {@link CancelledError},
   * `ConnectionLostError`, `TimeoutError`, …
   */
  result(): Promise<T> {
    return this.#final;
  }

  /**
   * Cancels the job: at once for the caller (`CANCELLED`, `result()` rejects with
   * {@link CancelledError}); on the server a queued job leaves the queue (Gradio ≥ 6.14; older
   * servers: it is cancelled as it starts) and a running generator stops after its current step.
   * Resolves `false` when the job had already ended.
   *
   * Gradio cancels every running call of the endpoint in the session (of a `batch=True` function,
   * none: those go on): those jobs end as cancelled too, also when the answer to the cancel is lost. A queued job while another call of the same endpoint in the session is queued or running is
   * cancelled on the server when it starts, so that call is not stopped; and a call of the endpoint
   * submitted while a cancel is on its way (or just before it, in the same task) joins once the server has answered
   * it. `spareOthers` leaves the server alone when it would stop other calls.
   */
  async cancel(options: CancelOptions = {}): Promise<boolean> {
    if (this.done()) return false;
    const { stage } = this.#state;
    this.interrupt(new CancelledError(`The call to ${this.endpoint} was cancelled${options.reason ? `: ${options.reason}` : ''}.`));
    await this.driver.cancel(stage, options.spareOthers).catch(() => {});
    return true;
  }

  /**
   * Sends the next input of a call whose event streams its input (`.stream()` on a streaming
   * `gr.Audio` or `gr.Image`, Gradio ≥ 5: `connection: "stream"` in its config), such as the next
   * chunk from a microphone. Arguments as in `submit`; files are uploaded, and inputs (and
   * {@link Job.closeInput}) reach the server in the order they were sent. The server runs the
   * function on the latest input it has when it is ready for one: inputs sent while it is busy
   * replace each other, so send at the app's pace (its `stream_every`) or after each output.
   * Resolves `false` when the job had already ended, or when the server ended it (its
   * `time_limit`, say) before this input reached it (Gradio ≥ 6.18 says so; 5.x takes the input and
   * drops it, so `true`; 6.13–6.17 answer HTTP 500, a `ConnectionError`).
   * @throws ArgumentError when the endpoint does not stream its input, or for bad arguments.
   */
  send(args: Args): Promise<boolean> {
    return this.driver.send(args);
  }

  /**
   * Ends the input of a streamed-input call (see {@link Job.send}): the job then finishes with the
   * last output. Resolves `false` when the job had already ended.
   */
  closeInput(): Promise<boolean> {
    return this.driver.send(null);
  }

  /** @internal Ends the job as cancelled without asking the server (it already stopped it). */
  interrupt(error: CancelledError): void {
    if (!this.done()) this.#end('cancelled', error, 'CANCELLED');
  }

  /**
   * Subscribes to changes; returns the unsubscribe function. Changes in one tick are batched. A
   * listener subscribed during a notification is called from the next one.
   */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** The current immutable snapshot: the same object until something changes. */
  getSnapshot(): JobSnapshot<T> {
    if (!this.#snapshot) {
      // The outputs are copied when first read, not at every change: a long stream whose every
      // change was read (a UI) copied all its outputs each time, O(n²). The list only grows (a
      // corrected last output goes into a new one), so the first n items stay this snapshot's.
      const list = this.#outputList;
      const n = list.length;
      let outputs: readonly T[] | undefined;
      this.#snapshot = Object.freeze({
        ...this.#state,
        get outputs() {
          return (outputs ??= list.slice(0, n));
        },
        done: this.done(),
      });
    }
    return this.#snapshot;
  }

  /** @internal Whether a generator's output came: the job went through `streaming` (however briefly). */
  get streamed(): boolean {
    return this.#generated;
  }

  /** @internal The outputs from the `start`-th on (no copy of those before it). */
  outputsFrom(start: number): T[] {
    return this.#outputList.slice(start);
  }

  /**
   * Iterates every output (each yield), from the first, and ends when the job ends. Throws the job's
   * error, except for a cancellation, which just ends the loop. Leaving the loop early does not
   * cancel the job (as in Python): call {@link Job.cancel} for that.
   */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    yield* this.#follow(() => this.#outputList);
    if (this.#state.stage === 'error') throw this.#state.error;
  }

  /** Iterates every status and output event, from the first, until the job ends (leaving the loop does not cancel the job). */
  events(): AsyncGenerator<JobEvent<T>> {
    return this.#follow(() => this.#history);
  }

  /** Yields the entries of a list this job appends to, from the first, until the job ends. */
  async *#follow<E>(list: () => readonly E[]): AsyncGenerator<E> {
    for (let i = 0; ; i++) {
      while (i >= list().length) {
        if (this.done()) return;
        await new Promise<void>((r) => this.#wake.push(r));
      }
      yield list()[i]!;
    }
  }

  /** @internal The join answered. */
  joined(eventId: string): void {
    if (this.#state.stage === 'pending') this.#update({ eventId, stage: 'queued' }, 'IN_QUEUE');
    else this.#state = { ...this.#state, eventId };
  }

  /** @internal Sets a status code before the job has an event (`JOINING_QUEUE`). */
  code(code: StatusCode): void {
    if (!this.done()) this.#update({}, code);
  }

  /** @internal Ends the job with an error. */
  fail(error: GradioError): void {
    if (!this.done()) this.#end('error', error, error instanceof QueueFullError ? 'QUEUE_FULL' : 'FINISHED', false);
  }

  /** @internal Stream routing: the stream dropped. */
  lost(error: GradioError): void {
    this.fail(error);
  }

  /** @internal Stream routing: one message of this job's event. */
  message(m: StreamMessage): void {
    if (this.done()) return;
    const s = this.#state;
    switch (m.msg) {
      case 'estimation': {
        const queue = { position: num(m.rank), size: num(m.queue_size), eta: num(m.rank_eta) };
        return this.#update({ queue, stage: 'queued' }, 'IN_QUEUE', { rank: queue.position, queueSize: queue.size, eta: queue.eta });
      }
      case 'process_starts':
        return this.#update({ stage: 'running', queue: { position: null, size: null, eta: num(m.eta) } }, 'PROCESSING', { eta: num(m.eta) });
      case 'progress': {
        const progress = (m.progress_data as ProgressUnit[] | null) ?? null;
        return this.#update({ progress, stage: s.stage === 'queued' || s.stage === 'pending' ? 'running' : s.stage }, 'PROGRESS', { progress });
      }
      case 'log': {
        const log: LogMessage = { message: String(m.log ?? ''), level: String(m.level ?? 'info'), title: (m.title as string | null) ?? null, duration: m.duration === undefined ? 10 : num(m.duration) };
        return this.#update({ logs: [...s.logs, log] }, 'LOG', { log });
      }
      case 'unexpected_error':
        return this.fail(new AppError(String(m.message ?? 'The server failed unexpectedly.')));
      case 'queue_full':
        return this.fail(new QueueFullError('The Gradio queue is full; try again later.'));
      case 'process_generating':
      case 'process_streaming': {
        const data = (m.output as { data?: unknown[] } | undefined)?.data ?? [];
        this.#patched = !!this.#raw && this.driver.diffs && m.msg === 'process_generating';
        this.#raw = this.#patched ? data.map((ops, i) => applyDiff(this.#raw![i] ?? null, ops as DiffOperation[])) : data;
        this.#generated = true;
        return this.#emit(this.driver.output(this.#raw, true), false, 'streaming', 'ITERATING');
      }
      case 'process_completed': {
        const output = (m.output ?? {}) as { data?: unknown[]; error?: string | null; title?: string | null; duration?: number | null; visible?: boolean };
        if (!m.success) {
          const text = output.error && this.driver.quoted ? unquote(output.error) : output.error;
          // output's duration and visible, where the server sends them (gr.Error's)
          return this.fail(new AppError(text ?? 'The app raised an error and did not share its message (the app can set show_error=True, or raise gr.Error).', output.title ?? (m.title as string | null) ?? null, output));
        }
        if (!output.data) return this.#end('cancelled', new CancelledError(`The call to ${this.endpoint} was cancelled by the server.`), 'CANCELLED');
        return this.#emit(this.driver.output(output.data), true, 'success', 'FINISHED');
      }
    }
  }

  #emit(data: T, final: boolean, stage: JobStage, code: StatusCode): void {
    const list = this.#outputList;
    // A generator's final message repeats its last yield in full: it adds nothing, or corrects a
    // last output built from diffs that went wrong (a known server quirk), in a new list (the
    // snapshots keep theirs). A streamed-input call on Gradio < 6.31 ends with a new output (the
    // function runs once more): it is added.
    if (!final || !this.#generated) list.push(data);
    else if (JSON.stringify(list.at(-1)) !== JSON.stringify(data)) (this.#outputList = [...list]).splice(list.length - (this.#patched ? 1 : 0), 1, data);
    else data = list.at(-1)!; // the same value: keep its objects
    this.#history.push({ type: 'data', data, final });
    if (final) {
      this.#end(stage, undefined, code, true, data);
      // a throwing callback must not break the stream that carries the session's other jobs
      isolated(this.driver.onResult, data);
    } else this.#update({ data, stage }, code);
  }

  #end(stage: JobStage, error: GradioError | undefined, code: StatusCode, success?: boolean, data?: T): void {
    this.#update({ stage, error, ...(data !== undefined && { data }), queue: { position: null, size: null, eta: null } }, code, { success: success ?? null });
    if (error) this.#settle[1](error);
    else this.#settle[0](data as T);
    this.#raw = null;
  }

  #update(patch: Partial<JobSnapshot<T>>, code: StatusCode, fields: Partial<StatusUpdate> = {}): void {
    const next = { ...status(code), ...fields };
    this.#state = { ...this.#state, ...patch, status: next };
    this.#history.push({ type: 'status', status: next });
    this.#snapshot = null;
    this.#wake.splice(0).forEach((w) => w());
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      notify(this.#listeners);
    });
  }
}

/**
 * @internal Calls the listeners subscribed when it begins, but not one unsubscribed meanwhile (a
 * listener that subscribes again, or a new one, waits for the next time), each {@link isolated}.
 */
export function notify(listeners: Set<() => void>): void {
  for (const l of [...listeners]) if (listeners.has(l)) isolated(l);
}

/**
 * @internal Calls a caller's function (a listener, a callback): what it throws is reported as an
 * uncaught error, and does not reach the code that called it (a stream carrying other jobs).
 */
export function isolated<A extends unknown[]>(fn: ((...args: A) => void) | undefined, ...args: A): void {
  try {
    fn?.(...args);
  } catch (e) {
    setTimeout(() => {
      throw e;
    });
  }
}

function status(code: StatusCode): StatusUpdate {
  return { code, rank: null, queueSize: null, eta: null, success: null, time: Date.now(), progress: null, log: null };
}

/** Undoes Python's `repr()` of a string: `'it\'s'` → `it's`. */
function unquote(text: string): string {
  const m = /^(['"])([\s\S]*)\1$/.exec(text);
  return m ? m[2]!.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t' })[c] ?? c) : text;
}

function num(v: unknown): number | null {
  return typeof v === 'number' ? v : null;
}
