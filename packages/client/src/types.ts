/**
 * Wire and public types shared by the client modules.
 * @packageDocumentation
 */

/**
 * A label that the browser translates (a `gr.I18n` label, and some of Gradio's own, such as a
 * `gr.ChatInterface`'s chatbot on Gradio 6): the key of its text, not the text.
 */
export interface I18nLabel {
  /** The key of the text in the app's translations. */
  key: string;
  /** Always `"translation_metadata"`. */
  _type: 'translation_metadata';
}

/** A component entry of the app's `/config`. Only the fields the client reads are typed. */
export interface ComponentConfig {
  /** The component's id, as the dependencies' `inputs` and `outputs` list it. */
  id: number;
  /** The component's kind, lower-case (`"textbox"`, `"state"`, …). */
  type: string;
  /** True for components the API leaves out (`gr.State` and layout blocks). */
  skip_api?: boolean;
  /** The component's constructor arguments as the app set them. */
  props?: {
    /** The component's label. */
    label?: string | I18nLabel | null;
    /** Its initial value (the default of a hidden input). */
    value?: unknown;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** A dependency (event listener) entry of the app's `/config`. */
export interface DependencyConfig {
  /** The fn index; a server that gives none uses the index in `dependencies`. */
  id?: number;
  /** The endpoint's name without its `/`; `false` or `null` for one without a name. */
  api_name?: string | false | null;
  /** Gradio 6: `public`, `private` or `undocumented`. */
  api_visibility?: 'public' | 'private' | 'undocumented';
  /** Gradio 4/5: `false` hides the endpoint from the docs. */
  show_api?: boolean;
  /** The ids of the input components, in the function's order. */
  inputs: number[];
  /** The ids of the output components, in the function's order. */
  outputs: number[];
  /** `false` for an event that runs outside the queue (`queue=False`: one HTTP request). */
  queue?: boolean | null;
  /** False for an event with no Python function (a `js=` only one): the API cannot call it. */
  backend_fn?: boolean;
  /** What kind of function the event runs. */
  types?: {
    /** The function is a generator: its outputs stream. */
    generator?: boolean;
    /** The event only cancels others (`cancels=`). */
    cancel?: boolean;
  };
  /** The function takes the inputs of several calls at once (`batch=True`); Gradio's `/cancel` stops none of its runs. */
  batch?: boolean;
  /** Gradio ≥ 5: `"stream"` for a `.stream()` event, whose input the client keeps sending. */
  connection?: 'sse' | 'stream';
  [key: string]: unknown;
}

/** The app's `/config`, as far as the client uses it. */
export interface GradioConfig {
  /** The Gradio release of the server, e.g. `"6.31.0"`. */
  version?: string;
  /** The queue protocol: `"sse_v3"` on current servers; `sse_v1` to `sse_v2.1` on Gradio 4.9–4.21. */
  protocol?: string;
  /** The path of the API routes under the app's URL: `"/gradio_api"` since Gradio 5, none before. */
  api_prefix?: string;
  /** The URL the server believes it has (not used: behind proxies it can be wrong). */
  root?: string;
  /** Every component of the app. */
  components: ComponentConfig[];
  /** Every event listener of the app (an endpoint each, callable or not). */
  dependencies: DependencyConfig[];
  /** The server wants a heartbeat stream while a session is in use (apps with `gr.State`, `unload` handlers, streamed inputs or per-session caches). */
  connect_heartbeat?: boolean;
  /** Gradio before 4: whether the queue is on. */
  enable_queue?: boolean;
  /** The app needs a login (`auth=`) that this client has not done. */
  auth_required?: boolean;
  /** The Space the app runs in (`owner/name`), if any. */
  space_id?: string | null;
  /** The largest file the app takes, in bytes (`max_file_size=`); `null` for no limit. */
  max_file_size?: number | null;
  /** Gradio ≥ 5: the pages of a multipage app (`demo.route`), by route (`""` for the main one). */
  page?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * A JSON schema, as `/info` gives the type of a value on the wire: the keywords Gradio uses are
 * typed (a `gr.Radio` has `enum`, a file `properties` and `$defs`), any other may come.
 */
export interface JsonSchema {
  /** `"string"`, `"number"`, `"integer"`, `"boolean"`, `"array"`, `"object"`, `"null"`. */
  type?: string | readonly string[];
  /** The values allowed (the choices of a `gr.Radio` or `gr.Dropdown`). */
  enum?: readonly unknown[];
  /** The one value allowed. */
  const?: unknown;
  /** A name for the schema (Gradio gives the component's or the class's). */
  title?: string;
  /** What the value means. */
  description?: string;
  /** The value when none is given. */
  default?: unknown;
  /** The schema of a list's items. */
  items?: JsonSchema | readonly JsonSchema[];
  /** The schemas of an object's properties. */
  properties?: Record<string, JsonSchema>;
  /** The properties an object must have. */
  required?: readonly string[];
  /** The schema of an object's other properties (`true`: anything). */
  additionalProperties?: JsonSchema | boolean;
  /** The value fits one of these (an optional value is `[T, { type: "null" }]`). */
  anyOf?: readonly JsonSchema[];
  /** A schema of `$defs`, as `"#/$defs/Name"`. */
  $ref?: string;
  /** Schemas that `$ref` names. */
  $defs?: Record<string, JsonSchema>;
  [keyword: string]: unknown;
}

/** One parameter of an endpoint, as reported by the server's `/info`. */
export interface ParameterInfo {
  /** The input component's label. */
  label: string | I18nLabel | null;
  /** The Python parameter's name, for keyword calls. Gradio before 4.23 names none (positional calls only). */
  parameter_name?: string;
  /** Whether the parameter has a default (Gradio ≥ 4.23; before, every argument is required). */
  parameter_has_default?: boolean;
  /** The default, when `parameter_has_default`. */
  parameter_default?: unknown;
  /** The JSON schema of the value on the wire. */
  type?: JsonSchema;
  /** The Python type the function receives, as Python's `view_api()` shows it. */
  python_type?: {
    /** The type, e.g. `"str"` or `"filepath"`. */
    type: string;
    /** What the value means, when the component says. */
    description?: string;
  };
  /** The input component's class, e.g. `"Textbox"`. */
  component: string;
  /** A value that fits, as the server suggests it for usage examples. */
  example_input?: unknown;
  /** The parameter's description from the function's docstring, if any. */
  description?: string;
}

/** One return value of an endpoint, as reported by the server's `/info`. */
export interface ReturnInfo {
  /** The output component's label. */
  label: string | I18nLabel | null;
  /** The JSON schema of the value on the wire. */
  type?: JsonSchema;
  /** The Python type of the value, as Python's `view_api()` shows it. */
  python_type?: {
    /** The type, e.g. `"str"` or `"filepath"`. */
    type: string;
    /** What the value means, when the component says. */
    description?: string;
  };
  /** The output component's class, e.g. `"Textbox"`. */
  component: string;
}

/** One endpoint of `/info`. */
export interface EndpointInfo {
  /** The arguments, in order (`gr.State` and other hidden inputs left out). */
  parameters: ParameterInfo[];
  /** The outputs, in order (`gr.State` outputs left out). */
  returns: ReturnInfo[];
  /** The function's description (its docstring, or the event's `api_description=`). */
  description?: string;
  /** Gradio 4/5: `false` for an endpoint hidden from the docs (callable all the same). */
  show_api?: boolean;
  /** Gradio 6: `public`, or `undocumented` for one hidden from the docs (callable all the same). */
  api_visibility?: string;
  /** The endpoint's function takes a `gr.OAuthToken` (Gradio ≥ 6.21): see `ClientOptions.oauthToken`. */
  oauth_token?: 'required' | 'optional';
  [key: string]: unknown;
}

/** The server's `/info`: endpoints keyed by `"/" + api_name` (and by fn index for unnamed ones). */
export interface ApiInfo {
  /** The endpoints with a name, keyed by `"/" + api_name`. */
  named_endpoints: Record<string, EndpointInfo>;
  /** The endpoints without a name, keyed by fn index. */
  unnamed_endpoints: Record<string, EndpointInfo>;
}

/** Gradio's file object on the wire (`gradio.FileData`). */
export interface FileData {
  /** Where the file is on the server (its cache path), or a URL. */
  path: string;
  /** In outputs: the absolute URL to download it from, built from the client's own URL (see {@link Client.download}). */
  url?: string | null;
  /** Size in bytes, when known. */
  size?: number | null;
  /** The file's name as it was given (uploaded with it, or named by the app). */
  orig_name?: string | null;
  /** The MIME type, when known. */
  mime_type?: string | null;
  /** True for a streamed media output (`streaming=True`): `url` is an HLS playlist (`.m3u8`) that grows while the job runs. */
  is_stream?: boolean;
  /** The marker Gradio ≥ 4.21 uses to tell files from other objects. */
  meta: {
    /** Always `"gradio.FileData"`. */
    _type: 'gradio.FileData';
  };
}

/**
 * Status codes, the same as Python `gradio_client.utils.Status`. `SENDING_DATA` never comes: it is
 * Python's step of the websocket protocol (Gradio 3), which this client does not speak.
 */
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
  /** Steps done, when the app tracks an iterable (`progress.tqdm(...)`, `track_tqdm`). */
  index: number | null;
  /** Steps in all, when known. */
  length: number | null;
  /** What a step is, e.g. `"steps"`. */
  unit: string | null;
  /** The fraction done (0 to 1), when the app sets it (`progress(0.5)`). */
  progress: number | null;
  /** The app's description of the step, e.g. `"Loading model"`. */
  desc: string | null;
}

/** A `gr.Info` / `gr.Warning` / `gr.Success` message sent by the app while a job runs. */
export interface LogMessage {
  /** The message's text. */
  message: string;
  /** `info` (`gr.Info`), `warning` (`gr.Warning`), `success` (`gr.Success`) or `error`; the type leaves room for new ones. */
  level: 'info' | 'warning' | 'success' | 'error' | (string & {});
  /** The title the app gave the message, if any. */
  title: string | null;
  /** Seconds the app asked the toast to stay; `null` means until dismissed. */
  duration: number | null;
}

/** The latest status of a job (Python `StatusUpdate`, in camelCase). */
export interface StatusUpdate {
  /** What happened (Python's `Status`): see {@link StatusCode}. */
  code: StatusCode;
  /** 0-based position in the queue (0 = next to run), while queued. */
  rank: number | null;
  /** Events waiting in the job's queue, while queued (see {@link QueueInfo}). */
  queueSize: number | null;
  /** Estimated seconds, from when this status came, until the job's result: while queued its wait plus its run; when it starts, the endpoint's average run time. */
  eta: number | null;
  /** Once the job has ended: whether it succeeded; `null` before, and for a cancelled job. */
  success: boolean | null;
  /** `Date.now()` when this status was received. */
  time: number;
  /** With `PROGRESS`: the app's `gr.Progress` units, outermost first. */
  progress: readonly ProgressUnit[] | null;
  /** With `LOG`: the message. */
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
 * | any non-terminal | `error` | a `gr.Error` or other server error, a full queue, a lost connection, a timeout, a call that could not be sent (arguments, upload) |
 * | any non-terminal | `cancelled` | `cancel()`, the abort signal, `client.close()`; Gradio's `/cancel` of another call of the endpoint in the session (it stops them all); a completion without data (the server cancelled it) |
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
  /** 0-based position in the queue (0 = next to run); `null` when not queued. */
  position: number | null;
  /** Events waiting in the job's queue when the server last said; `null` when not queued. */
  size: number | null;
  /** Estimated seconds until the job's result, as of the server's last report: while queued its wait plus its run; when it starts, the endpoint's average run time. `null` until Gradio has timed a call of the endpoint. */
  eta: number | null;
}
