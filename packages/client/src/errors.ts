/**
 * Typed errors. Every error a client, its jobs and its helpers throw or reject with is a
 * {@link GradioError} (`applyDiff`, a plain function, throws `TypeError` and `RangeError`; a job
 * whose diff fails ends with a `GradioError` that says so). Catch a subclass to react to one cause.
 * Messages say what happened and what to do about it.
 * @packageDocumentation
 */

/** Base class of every error raised by `@gradio-hooks/client`. */
export class GradioError extends Error {
  /** The class's name (`'AppError'`, `'TimeoutError'`, …), set as a string so that it survives minification. */
  override name = 'GradioError';
  /** HTTP status when the error came from an HTTP answer. */
  readonly status: number | undefined;
  constructor(message: string, options?: { cause?: unknown; status?: number | undefined }) {
    super(message, options);
    this.status = options?.status;
    // V8 writes the stack out when it is first read, and until then keeps the functions on it, with
    // all they see: a kept job's error (a cancel from a component's cleanup) held the component.
    // Once the subclass has set its name, which the stack's first line gives.
    queueMicrotask(() => void this.stack);
  }
}

/**
 * The app raised an error (`gr.Error` or an exception): `message`, `title`, `duration` and
 * `visible` are the app's (Python's `AppError` has the same four).
 */
export class AppError extends GradioError {
  override name = 'AppError';
  /** The `title` given to `gr.Error(..., title=...)`, if the server sent one. */
  readonly title: string | null;
  /** Seconds the app's UI would show the error (`gr.Error(duration=)`, default 10); `null`: until it is closed. */
  readonly duration: number | null;
  /** False when the app raised `gr.Error(visible=False)`: its own UI would not show it. */
  readonly visible: boolean;
  constructor(message: string, title: string | null = null, { duration = 10, visible = true }: { duration?: number | null | undefined; visible?: boolean | undefined } = {}) {
    super(message);
    this.title = title;
    this.duration = duration;
    this.visible = visible;
  }
}

/** The server's queue is full (`queue_full`, or an HTTP 503 saying so; another 503 is a `ConnectionError`). Retry later. */
export class QueueFullError extends GradioError {
  override name = 'QueueFullError';
}

/** One failed check of a Gradio `validator=` (HTTP 422). */
export interface ValidationIssue {
  /** The parameter that failed (Gradio's `parameter_name`, or the last part of FastAPI's `loc`), or `null` when the server names none. */
  parameterName: string | null;
  /** The validator's message. */
  message: string;
}

/**
 * The server refused the inputs (HTTP 422 from a `validator=`; `issues` lists each failure), or a
 * file is larger than the app's `max_file_size` (HTTP 413; found before uploading when the app's
 * config says it).
 */
export class ValidationError extends GradioError {
  override name = 'ValidationError';
  /** Each failed check (empty for a file over `max_file_size`). */
  readonly issues: readonly ValidationIssue[];
  constructor(message: string, issues: readonly ValidationIssue[] = [], status?: number) {
    super(message, { status });
    this.issues = issues;
  }
}

/** Login failed or is required (wrong `auth`, missing or invalid `token`). */
export class AuthenticationError extends GradioError {
  override name = 'AuthenticationError';
}

/** The server or the Hub rate-limited the request (HTTP 429). */
export class TooManyRequestsError extends GradioError {
  override name = 'TooManyRequestsError';
}

/**
 * The endpoint (name or index) does not exist or is private. `available` lists every name callable
 * (the message names only the documented ones, those `viewApi()` lists).
 */
export class EndpointNotFoundError extends GradioError {
  override name = 'EndpointNotFoundError';
  /** Every endpoint name that can be called (`"/name"`). */
  readonly available: readonly string[];
  constructor(message: string, available: readonly string[]) {
    super(message);
    this.available = available;
  }
}

/**
 * Bad input: arguments that do not fit the endpoint (unknown, missing, duplicated or too many), or
 * that cannot be sent (a value JSON cannot encode, a file that cannot be read, not a file at all);
 * options that cannot work (a `src` that is neither a URL nor a Space id, a negative `timeout`).
 */
export class ArgumentError extends GradioError {
  override name = 'ArgumentError';
}

/**
 * The client could not talk to a Gradio app: unreachable host, a page that is not Gradio, an
 * unsupported protocol, an unexpected HTTP answer.
 */
export class ConnectionError extends GradioError {
  override name = 'ConnectionError';
}

/** The session stream dropped while the job was pending; the server has abandoned the job. */
export class ConnectionLostError extends GradioError {
  override name = 'ConnectionLostError';
}

/** A request or a job took longer than the `timeout` it was given. */
export class TimeoutError extends GradioError {
  override name = 'TimeoutError';
}

/** The job was cancelled: by `cancel()`, an abort signal or `client.close()`; or by Gradio, whose `/cancel` of a call stops the session's other running calls of the endpoint, or which ended it without data. */
export class CancelledError extends GradioError {
  override name = 'CancelledError';
}
