/**
 * Wire and public types shared by the client modules.
 * @packageDocumentation
 */

/** A component entry of the app's `/config`. Only the fields the client reads are typed. */
export interface ComponentConfig {
  id: number;
  type: string;
  skip_api?: boolean;
  props?: { label?: string | null; value?: unknown; [key: string]: unknown };
  [key: string]: unknown;
}

/** A dependency (event listener) entry of the app's `/config`. */
export interface DependencyConfig {
  id?: number;
  api_name?: string | false | null;
  /** Gradio 6: `public`, `private` or `undocumented`. */
  api_visibility?: 'public' | 'private' | 'undocumented';
  /** Gradio 4/5: `false` hides the endpoint from the docs. */
  show_api?: boolean;
  inputs: number[];
  outputs: number[];
  queue?: boolean | null;
  backend_fn?: boolean;
  types?: { generator?: boolean; cancel?: boolean };
  /** Gradio ≥ 5: `"stream"` for a `.stream()` event, whose input the client keeps sending. */
  connection?: 'sse' | 'stream';
  [key: string]: unknown;
}

/** The app's `/config`, as far as the client uses it. */
export interface GradioConfig {
  version?: string;
  protocol?: string;
  api_prefix?: string;
  root?: string;
  components: ComponentConfig[];
  dependencies: DependencyConfig[];
  connect_heartbeat?: boolean;
  enable_queue?: boolean;
  auth_required?: boolean;
  space_id?: string | null;
  max_file_size?: number | null;
  /** Gradio ≥ 5: the pages of a multipage app (`demo.route`), by route (`""` for the main one). */
  page?: Record<string, unknown>;
  [key: string]: unknown;
}

/** One parameter of an endpoint, as reported by the server's `/info`. */
export interface ParameterInfo {
  label: string | null;
  /** The Python parameter's name, for keyword calls. Gradio before 4.23 names none (positional calls only). */
  parameter_name?: string;
  /** Whether the parameter has a default (Gradio ≥ 4.23; before, every argument is required). */
  parameter_has_default?: boolean;
  parameter_default?: unknown;
  type?: unknown;
  python_type?: { type: string; description?: string };
  component: string;
  example_input?: unknown;
  description?: string;
}

/** One return value of an endpoint, as reported by the server's `/info`. */
export interface ReturnInfo {
  label: string | null;
  type?: unknown;
  python_type?: { type: string; description?: string };
  component: string;
}

/** One endpoint of `/info`. */
export interface EndpointInfo {
  parameters: ParameterInfo[];
  returns: ReturnInfo[];
  description?: string;
  show_api?: boolean;
  api_visibility?: string;
  /** The endpoint's function takes a `gr.OAuthToken` (Gradio ≥ 6.21): see `ClientOptions.oauthToken`. */
  oauth_token?: 'required' | 'optional';
  [key: string]: unknown;
}

/** The server's `/info`: endpoints keyed by `"/" + api_name` (and by fn index for unnamed ones). */
export interface ApiInfo {
  named_endpoints: Record<string, EndpointInfo>;
  unnamed_endpoints: Record<string, EndpointInfo>;
}

/** Gradio's file object on the wire (`gradio.FileData`). */
export interface FileData {
  path: string;
  url?: string | null;
  size?: number | null;
  orig_name?: string | null;
  mime_type?: string | null;
  is_stream?: boolean;
  meta: { _type: 'gradio.FileData' };
}

/** Status codes, the same as Python `gradio_client.utils.Status`. */
export type StatusCode =
  | 'STARTING'
  | 'JOINING_QUEUE'
  | 'QUEUE_FULL'
  | 'IN_QUEUE'
  | 'SENDING_DATA'
  | 'PROCESSING'
  | 'ITERATING'
  | 'PROGRESS'
  | 'FINISHED'
  | 'CANCELLED'
  | 'LOG';

/** One unit of `gr.Progress` (Python `ProgressUnit`). */
export interface ProgressUnit {
  index: number | null;
  length: number | null;
  unit: string | null;
  progress: number | null;
  desc: string | null;
}

/** A `gr.Info` / `gr.Warning` / `gr.Success` message sent by the app while a job runs. */
export interface LogMessage {
  message: string;
  level: 'info' | 'warning' | 'success' | 'error' | (string & {});
  title: string | null;
  /** Seconds the app asked the toast to stay; `null` means until dismissed. */
  duration: number | null;
}

/** The latest status of a job (Python `StatusUpdate`, in camelCase). */
export interface StatusUpdate {
  code: StatusCode;
  /** 0-based position in the queue (0 = next to run), while queued. */
  rank: number | null;
  queueSize: number | null;
  /** Estimated seconds until the job starts (queued) or finishes (running). */
  eta: number | null;
  success: boolean | null;
  /** `Date.now()` when this status was received. */
  time: number;
  progress: readonly ProgressUnit[] | null;
  log: LogMessage | null;
}

/**
 * A coarse lifecycle stage derived from the wire status, for UIs.
 *
 * | from | to | when |
 * |---|---|---|
 * | `pending` | `queued` | the join was accepted / an estimation arrived |
 * | `pending`, `queued` | `running` | `process_starts` (or a first `progress`) |
 * | `running` | `streaming` | the first generator output |
 * | any non-terminal | `success` | `process_completed` with data |
 * | any non-terminal | `error` | a server error, a lost connection, a timeout |
 * | any non-terminal | `cancelled` | `cancel()` or the abort signal |
 *
 * `success`, `error` and `cancelled` are terminal. Logs never change the stage.
 */
export type JobStage = 'pending' | 'queued' | 'running' | 'streaming' | 'success' | 'error' | 'cancelled';

/**
 * Queue figures of a job, as the server last reported them to it: `position` is 0-based (0 = next),
 * `size` counts the events waiting in its queue (its endpoint's concurrency group), `eta` is in
 * seconds. Gradio reports them when the job joins and whenever a job of its queue starts, not when
 * others join after it, so `size` can be lower than the queue is by then.
 */
export interface QueueInfo {
  position: number | null;
  size: number | null;
  eta: number | null;
}
