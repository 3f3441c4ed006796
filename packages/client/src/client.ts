import {
  AuthenticationError,
  CancelledError,
  ConnectionError,
  GradioError,
  QueueFullError,
  TimeoutError,
  TooManyRequestsError,
  ValidationError,
} from './errors.js';
import { FILE_META, FileInput, isFileData, mapDeep } from './handleFile.js';
import { Job, type JobDriver } from './job.js';
import { SessionStream, type StreamMessage } from './sessionStream.js';
import { buildData, endpointInfo, needsInfo, resolveEndpoint, visibleOutputs, type Args } from './endpoint.js';
import type { ApiInfo, FileData, GradioConfig, JobStage } from './types.js';

const RUNNING: readonly JobStage[] = ['running', 'streaming'];

/** Options of {@link Client.connect}. */
export interface ClientOptions {
  /** A Hugging Face token (`hf_…`) for private Spaces; sent as `Authorization: Bearer`. */
  token?: string;
  /** Username and password of an app launched with `auth=`; logs in through `/login`. */
  auth?: readonly [username: string, password: string];
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /** The `fetch` to use (defaults to the global one). */
  fetch?: typeof fetch;
  /** `credentials` of browser requests (for cookie auth across origins use `'include'`). */
  credentials?: RequestCredentials;
  /** The session id; by default a random one. Jobs of one session share `gr.State`. */
  sessionHash?: string;
  /** Aborts `connect()`. */
  signal?: AbortSignal;
  /** Milliseconds each HTTP request may take (default 30 000). Streams are watched separately. */
  timeout?: number;
  /** Milliseconds the session stream may stay silent before it counts as lost (default 60 000; the server sends a heartbeat every 15 s). */
  streamTimeout?: number;
  /** Hub base URL used to resolve Space ids (default `https://huggingface.co`). */
  hubUrl?: string;
}

/** Options of {@link Client.duplicate}. */
export interface DuplicateOptions extends ClientOptions {
  /** A Hugging Face token with write access (required). */
  token: string;
  /** The new Space id (`name` or `owner/name`); by default the source's name under your account. */
  toId?: string;
  /** Make the copy private (default `true`). */
  private?: boolean;
  /** Hardware of the copy, e.g. `cpu-basic`, `t4-small`. */
  hardware?: string;
  /** Minutes of inactivity before paid hardware sleeps (default 5). */
  sleepTimeout?: number;
}

/** Options of {@link Client.submit} and {@link Client.predict}. */
export interface SubmitOptions<T = unknown[]> {
  /** Cancels the job when aborted. */
  signal?: AbortSignal;
  /** Fails the job with a `TimeoutError` (and cancels it on the server) after this many milliseconds. */
  timeout?: number;
  /** Called with the final outputs when the job succeeds (Python `result_callbacks`). */
  onResult?: (data: T) => void;
}

const SUPPORTED = ['sse_v1', 'sse_v2', 'sse_v2.1', 'sse_v3'];
const randomHash = () => Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);

/**
 * A connection to one Gradio app. Make one with {@link Client.connect}; call endpoints with
 * {@link Client.predict} (a Promise of the outputs) or {@link Client.submit} (an observable
 * {@link Job}); free it with {@link Client.close}.
 */
export class Client {
  /** The app's base URL (the URL given, or the Space's host), without a trailing slash. */
  readonly url: string;
  /** The app's `/config`. */
  readonly config: GradioConfig;
  /** The session id sent with every call: the key of the server's `gr.State`. */
  sessionHash: string;
  private stream!: SessionStream;
  private info: Partial<Record<'all' | 'public', Promise<ApiInfo>>> = {};
  private cookies: Map<string, string>;
  private heartbeat: AbortController | null = null;
  private active = new Map<Job<unknown>, { fn: number; session: string }>();
  private closed = false;

  private constructor(url: string, config: GradioConfig, private readonly options: ClientOptions, cookies: Map<string, string>) {
    this.url = url;
    this.config = config;
    this.cookies = cookies;
    this.sessionHash = options.sessionHash ?? randomHash();
    this.newStream();
  }

  /**
   * Connects to a Gradio app: reads its `/config` (logging in first with `auth`). Does not fetch
   * `/info`; that happens when first needed.
   *
   * @param src - the app's URL (any sub-path is kept) or a Space id `owner/name`.
   * @throws ConnectionError when the app is unreachable, is not a Gradio app, or speaks an unsupported protocol.
   * @throws AuthenticationError when the login fails or is required.
   */
  static async connect(src: string, options: ClientOptions = {}): Promise<Client> {
    const cookies = new Map<string, string>();
    const http = (url: string, init?: RequestInit) => request(url, init, options, cookies, options.signal);
    let url = src.replace(/[?#].*$/, '').replace(/\/+$/, '');
    if (!/^https?:\/\//.test(url)) {
      if (!/^[\w.-]+\/[\w.-]+$/.test(src)) {
        throw new ConnectionError(`"${src}" is neither an http(s) URL nor a Space id like "owner/name".`);
      }
      const res = await http(`${options.hubUrl ?? 'https://huggingface.co'}/api/spaces/${src}/host`);
      if (!res.ok) {
        throw await httpError(res, `Could not find the Space ${src} on the Hub (private Spaces need a token)`);
      }
      url = String(((await res.json()) as { host: string }).host).replace(/\/+$/, '');
    }
    if (options.auth) {
      const body = new URLSearchParams({ username: options.auth[0], password: options.auth[1] });
      const res = await http(`${url}/login`, { method: 'POST', body });
      if (res.status === 400 || res.status === 401) {
        throw new AuthenticationError(`Login to ${url} failed: wrong username or password.`, { status: res.status });
      }
      if (!res.ok) throw await httpError(res, `Login to ${url}`);
    }
    const res = await http(`${url}/config`);
    if (!res.ok) throw await httpError(res, `Reading ${url}/config`);
    let config: GradioConfig;
    try {
      config = (await res.json()) as GradioConfig;
    } catch {
      config = {} as GradioConfig;
    }
    if (!Array.isArray(config.dependencies) || !Array.isArray(config.components)) {
      throw new ConnectionError(`${url} is not a Gradio app: /config answered ${res.headers.get('content-type') ?? 'something'} without a Gradio config.`);
    }
    const protocol = config.protocol ?? 'ws';
    if (!SUPPORTED.includes(protocol)) {
      throw new ConnectionError(`${url} runs Gradio ${config.version ?? '(unknown version)'} with the "${protocol}" protocol; this client supports Gradio ≥ 4.9 (${SUPPORTED.join(', ')}).`);
    }
    return new Client(url, config, options, cookies);
  }

  /**
   * Duplicates a Space into your account (or `toId`) and connects to the copy (Python
   * `Client.duplicate`). An existing copy is reused. Needs a `token` with write access.
   */
  static async duplicate(spaceId: string, options: DuplicateOptions): Promise<Client> {
    const hub = options.hubUrl ?? 'https://huggingface.co';
    const call = async <R>(path: string, body?: unknown, ok409 = false): Promise<R | null> => {
      const res = await request(`${hub}/api/${path}`, body === undefined ? undefined : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }, options, new Map(), options.signal);
      if (ok409 && res.status === 409) return null;
      if (!res.ok) throw await httpError(res, `Duplicating ${spaceId} (${path})`);
      return (await res.json()) as R;
    };
    const user = options.toId?.includes('/') ? options.toId.split('/')[0] : (await call<{ name: string }>('whoami-v2'))!.name;
    const target = `${user}/${(options.toId ?? spaceId).split('/').pop()}`;
    await call(`spaces/${spaceId}/duplicate`, { repository: target, private: options.private ?? true, ...(options.hardware && { hardware: options.hardware }) }, true);
    if (options.hardware && options.hardware !== 'cpu-basic') {
      await call(`spaces/${target}/sleeptime`, { seconds: (options.sleepTimeout ?? 5) * 60 });
    }
    return Client.connect(target, options);
  }

  /** Whether `/cancel` takes a queued event out of the queue (Gradio ≥ 6.14). */
  private get dequeues(): boolean {
    const [major = 0, minor = 0] = (this.version ?? '').split('.').map(Number);
    return major > 6 || (major === 6 && minor >= 14);
  }

  /** The prefix of API routes: `/gradio_api` on Gradio ≥ 5, empty on 4. */
  get apiPrefix(): string {
    return this.config.api_prefix ?? '';
  }

  /** The server's Gradio version. */
  get version(): string | undefined {
    return this.config.version;
  }

  /** How many session streams (SSE connections) this client has opened so far. */
  get streamsOpened(): number {
    return this.streams;
  }

  private streams = 0;

  /**
   * The endpoints, their parameters (names, types, defaults) and returns, from the server's `/info`
   * (fetched once, when first asked). `all` also lists undocumented endpoints.
   */
  viewApi(options: { all?: boolean } = {}): Promise<ApiInfo> {
    const key = options.all ? 'all' : 'public';
    return (this.info[key] ??= this.json<ApiInfo>(`/info${options.all ? '?all_endpoints=true' : ''}`).catch((e: unknown) => {
      delete this.info[key];
      throw e;
    }));
  }

  /**
   * Calls an endpoint and resolves with its final outputs (State outputs removed).
   *
   * @param endpoint - `"/name"`, `"name"` or a fn index.
   * @param args - positional (array) or by parameter name (object); omitted parameters take their defaults.
   */
  predict<T = unknown[]>(endpoint: string | number, args: Args = [], options: SubmitOptions<T> = {}): Promise<T> {
    try {
      return this.submit<T>(endpoint, args, options).result();
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Starts a call and returns its {@link Job} at once.
   * @throws EndpointNotFoundError or ArgumentError when the endpoint or the number of arguments is wrong.
   */
  submit<T = unknown[]>(endpoint: string | number, args: Args = [], options: SubmitOptions<T> = {}): Job<T> {
    if (this.closed) throw new ConnectionError('This client is closed; connect a new one.');
    const ep = resolveEndpoint(this.config, endpoint);
    const early = needsInfo(ep, args) ? undefined : buildData(ep, args, undefined);
    const stream = this.stream;
    const session = this.sessionHash;
    let eventId: Promise<string | null> = Promise.resolve(null);
    const driver: JobDriver<T> = {
      diffs: this.config.protocol !== 'sse_v1',
      quoted: /^4\./.test(this.version ?? ''),
      onResult: options.onResult,
      output: (data) => mapDeep(visibleOutputs(ep, data), (v) => (isFileData(v) ? this.fileData(v) : undefined)) as T,
      cancel: async (stage) => {
        const id = await eventId;
        if (!id) return;
        const post = async () => {
          // Gradio's /cancel stops every running call of this endpoint in this session, not just
          // this event: end those jobs too, so none waits for messages that will never come.
          const hit = [...this.active].filter(([j, m]) => j !== job && m.fn === ep.fnIndex && m.session === session && RUNNING.includes(j.getSnapshot().stage));
          await this.json('/cancel', { event_id: id, fn_index: ep.fnIndex, session_hash: session });
          hit.forEach(([j]) => j.interrupt(new CancelledError(`Gradio cancelled this call to ${ep.name} together with another one: it cancels every running call of an endpoint in a session.`)));
        };
        const sibling = [...this.active].some(([j, m]) => j !== job && m.fn === ep.fnIndex && m.session === session && RUNNING.includes(j.getSnapshot().stage));
        if (RUNNING.includes(stage) || (!sibling && this.dequeues)) return post();
        // A queued event that the server would not take out of its queue (Gradio < 6.14), or whose
        // cancel would also kill a running call of the same endpoint: cancel it the moment it
        // starts. For the caller it is cancelled already.
        const watcher = {
          message: (m: StreamMessage) => {
            if (m.msg === 'process_starts') void post().catch(() => {});
            if (m.msg === 'process_completed') stream.remove(id, watcher);
          },
          lost: () => {},
        };
        stream.listen(id, watcher);
      },
    };
    const job = new Job<T>(ep.name, driver);
    const active = job as Job<unknown>;
    this.active.set(active, { fn: ep.fnIndex, session });
    const abort = () => void job.cancel();
    options.signal?.addEventListener('abort', abort);
    const timer = options.timeout === undefined ? undefined : setTimeout(() => {
      const { stage } = job.getSnapshot();
      job.fail(new TimeoutError(`The call to ${ep.name} took longer than ${options.timeout} ms; it was cancelled.`));
      void driver.cancel(stage).catch(() => {});
    }, options.timeout);
    const cleanup = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', abort);
      this.active.delete(active);
    };
    void job.result().then(cleanup, cleanup);
    if (options.signal?.aborted) abort();
    eventId = (async () => {
      let id: string | undefined;
      try {
        const data = early ?? buildData(ep, args, endpointInfo(await this.viewApi({ all: true }), ep));
        const payload = await this.upload(data);
        if (job.done()) return null;
        job.code('JOINING_QUEUE');
        if (this.config.connect_heartbeat) this.beat();
        const body = { data: payload, fn_index: ep.fnIndex, session_hash: session, event_data: null, trigger_id: null };
        if (ep.dependency.queue === false) {
          const out = await this.json<{ data: unknown[] }>(`/run/${ep.name.slice(1)}`, body);
          job.message({ msg: 'process_completed', success: true, output: out });
          return null;
        }
        stream.beginJoin();
        try {
          id = (await this.json<{ event_id: string }>('/queue/join', body, { 'x-gradio-user': 'api' })).event_id;
          job.joined(id);
        } finally {
          stream.endJoin(job.done() ? undefined : id, job);
        }
        const remove = () => stream.remove(id!, job);
        void job.result().then(remove, remove);
        return id;
      } catch (e) {
        job.fail(e instanceof GradioError ? e : new ConnectionError(String(e), { cause: e }));
        return id ?? null;
      }
    })();
    return job;
  }

  /** Starts a new session: later calls get fresh `gr.State` (Python `reset_session()`). Running jobs finish in their old session. */
  resetSession(): void {
    this.sessionHash = randomHash();
    this.heartbeat?.abort();
    this.heartbeat = null;
    this.newStream();
  }

  /**
   * Uploads files to the server and returns their `FileData` (name and type kept). Jobs do this by
   * themselves for `handleFile()` values and `Blob`s in their arguments.
   */
  async upload<V>(value: V): Promise<V> {
    const found: FileInput[] = [];
    const walk = (v: unknown) => {
      if (v instanceof FileInput) {
        if (typeof v.source === 'string' && /^https?:\/\//.test(v.source)) {
          return { path: v.source, url: v.source, orig_name: v.name ?? null, meta: FILE_META };
        }
        found.push(v);
        return v;
      }
      if (v instanceof Blob) {
        const input = new FileInput(v, v instanceof File ? v.name : undefined, undefined);
        found.push(input);
        return input;
      }
      return undefined;
    };
    const marked = mapDeep(value, walk);
    if (!found.length) return marked as V;
    const form = new FormData();
    const blobs = await Promise.all(found.map(toBlob));
    blobs.forEach((b, i) => form.append('files', b, found[i]!.name ?? 'file'));
    const paths = await this.json<string[]>('/upload', form);
    const uploaded = new Map(found.map((f, i): [FileInput, FileData] => [f, {
      path: paths[i]!, orig_name: f.name ?? null, size: blobs[i]!.size, mime_type: blobs[i]!.type || null, meta: FILE_META,
    }]));
    return mapDeep(marked, (v) => (v instanceof FileInput ? uploaded.get(v) : undefined)) as V;
  }

  /** Downloads an output file (a `FileData` or its URL) with this client's credentials. */
  async download(file: FileData | string): Promise<Blob> {
    const url = typeof file === 'string' ? file : this.fileData(file).url!;
    const res = await this.fetch(url);
    if (!res.ok) throw await httpError(res, `Downloading ${url}`);
    return res.blob();
  }

  /**
   * Ends every stream and timer of this client and cancels its pending jobs. A Node process with
   * nothing else to do exits afterwards.
   */
  close(): void {
    this.closed = true;
    this.active.forEach((_, j) => void j.cancel());
    this.stream.close(new CancelledError('The client was closed.'));
    this.heartbeat?.abort();
    this.heartbeat = null;
  }

  /** The URL of a file the server stores, built from this client's URL (not the server's `root`). */
  private fileData(f: FileData): FileData {
    if (/^https?:\/\//.test(f.path)) return f;
    const root = this.config.root?.replace(/\/+$/, '');
    const url = f.is_stream && f.url && root && f.url.startsWith(root) ? this.url + f.url.slice(root.length) : `${this.url}${this.apiPrefix}/file=${f.path}`;
    return { ...f, url };
  }

  private newStream(): void {
    const session = this.sessionHash;
    this.stream = new SessionStream((signal) => {
      this.streams++;
      return this.fetch(`${this.url}${this.apiPrefix}/queue/data?session_hash=${encodeURIComponent(session)}`, { signal }, true);
    }, this.options.streamTimeout ?? 60_000);
  }

  /** Keeps the session alive while jobs use it (servers with `connect_heartbeat`). */
  private beat(): void {
    if (this.heartbeat || this.closed) return;
    const controller = (this.heartbeat = new AbortController());
    void this.fetch(`${this.url}${this.apiPrefix}/heartbeat/${this.sessionHash}`, { signal: controller.signal }, true)
      .then((res) => res.body?.pipeTo(new WritableStream()))
      .catch(() => {})
      .finally(() => {
        if (this.heartbeat === controller) this.heartbeat = null;
      });
  }

  private async json<T = unknown>(path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    const init: RequestInit = body === undefined ? {} : {
      method: 'POST',
      body: body instanceof FormData ? body : JSON.stringify(body),
      headers: body instanceof FormData ? headers : { 'content-type': 'application/json', ...headers },
    };
    const res = await this.fetch(`${this.url}${this.apiPrefix}${path}`, init);
    if (!res.ok) throw await httpError(res, `${init.method ?? 'GET'} ${this.apiPrefix}${path}`);
    return (await res.json()) as T;
  }

  private fetch(url: string, init: RequestInit = {}, stream = false): Promise<Response> {
    return request(url, init, this.options, this.cookies, init.signal ?? undefined, stream);
  }
}

async function toBlob(f: FileInput): Promise<Blob> {
  const s = f.source;
  if (s instanceof Blob) return f.type ? new Blob([s], { type: f.type }) : s;
  if (typeof s !== 'string') return new Blob([s as BlobPart], f.type ? { type: f.type } : {});
  if (!(globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node) {
    throw new TypeError(`handleFile("${s}"): local paths can only be read in Node; pass a File or Blob in the browser.`);
  }
  const fs = 'node:fs/promises';
  const { readFile } = (await import(/* @vite-ignore */ fs)) as { readFile(p: string): Promise<Uint8Array> };
  return new Blob([(await readFile(s)) as BlobPart], f.type ? { type: f.type } : {});
}

/** One HTTP request with the client's headers, cookies, credentials and timeout; transport failures become typed errors. */
async function request(url: string, init: RequestInit | undefined, options: ClientOptions, cookies: Map<string, string>, signal?: AbortSignal, stream = false): Promise<Response> {
  const headers = new Headers(options.headers);
  new Headers(init?.headers).forEach((v, k) => headers.set(k, v));
  if (options.token) headers.set('authorization', `Bearer ${options.token}`);
  if (cookies.size) headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
  const ms = options.timeout ?? 30_000;
  const timeout = stream ? undefined : AbortSignal.timeout(ms);
  const signals = [signal, timeout].filter((s): s is AbortSignal => !!s);
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(url, { ...init, headers, credentials: options.credentials, signal: AbortSignal.any(signals) });
  } catch (e) {
    if (timeout?.aborted) throw new TimeoutError(`${url} did not answer within ${ms} ms.`, { cause: e });
    if (signal?.aborted) throw new CancelledError(`The request to ${url} was aborted.`, { cause: e });
    throw new ConnectionError(`Could not reach ${url} (${e instanceof Error ? (e.cause as Error | undefined)?.message ?? e.message : String(e)}). Check the URL and that the server is running.`, { cause: e });
  }
  res.headers.getSetCookie?.().forEach((c) => {
    const [pair = ''] = c.split(';');
    const eq = pair.indexOf('=');
    if (eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  });
  return res;
}

/** Maps an HTTP error answer to a typed error. */
export async function httpError(res: Response, what: string): Promise<GradioError> {
  const text = await res.text().catch(() => '');
  let detail: unknown = text;
  try {
    const body = JSON.parse(text) as { detail?: unknown; error?: unknown };
    detail = body.detail ?? body.error ?? body;
  } catch {}
  const status = res.status;
  const message = typeof detail === 'string' ? detail.slice(0, 300) : JSON.stringify(detail).slice(0, 300);
  const said = `${what}: HTTP ${status}${message ? ` — ${message}` : ''}`;
  if (status === 401 || status === 403) return new AuthenticationError(`${said}. Pass a valid token, or auth for apps with a login.`, { status });
  if (status === 429) return new TooManyRequestsError(`${said}. Too many requests; wait before retrying.`, { status });
  if (status === 503) return new QueueFullError(`${said}. The queue is full; retry later.`, { status });
  if (status === 422) {
    // Gradio validators send {parameter_name, message}; FastAPI's own checks send {loc, msg}.
    const issues = (Array.isArray(detail) ? detail : []).map((d: { parameter_name?: string; message?: string; loc?: unknown[]; msg?: string }) => ({
      parameterName: d.parameter_name ?? (d.loc?.length ? String(d.loc.at(-1)) : null),
      message: String(d.message ?? d.msg ?? ''),
    }));
    return new ValidationError(`${issues.length} parameter(s) failed validation: ${issues.map((i) => `${i.parameterName}: ${i.message}`).join('; ') || message}`, issues, status);
  }
  return new ConnectionError(said, { status });
}
