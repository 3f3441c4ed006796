import { ArgumentError, AuthenticationError, CancelledError, ConnectionError, GradioError, TimeoutError, ValidationError } from './errors.js';
import { FILE_META, FileInput, isFileData, mapDeep } from './handleFile.js';
import { checkHeaders, checkMs, httpError, isRedirect, layered, limited, notFollowed, onAbort, parseJson, readBody, readJson, readText, request, TIMEOUT, type HttpOptions } from './http.js';
import { SPACE_ID, spaceHost, spaceStage, STUCK, type HubOptions } from './hub.js';
import { Job, type JobDriver } from './job.js';
import { SessionStream, type StreamListener } from './sessionStream.js';
import { buildData, endpointInfo, endpointNames, needsInfo, resolveEndpoint, visibleOutputs, type Args } from './endpoint.js';
import type { ApiInfo, FileData, GradioConfig, JobStage } from './types.js';

/** Options of {@link Client.connect}. */
export interface ClientOptions extends HubOptions {
  /**
   * A Hugging Face token (`hf_…`) for private Spaces and ZeroGPU quota. Sent to the app as
   * `X-HF-Authorization`, which the Spaces proxy reads and strips, so the app's code never sees it
   * (as Python's client does); only Hub API requests carry it as `Authorization`.
   */
  token?: string | undefined;
  /**
   * A Hugging Face token for the app to act on your behalf (Python `oauth_token`), for endpoints
   * whose function takes a `gr.OAuthToken` (Gradio ≥ 6.21; `/info` marks them, and is read for
   * it). Unlike `token`, the app's code receives it, so it is sent only to those endpoints.
   */
  oauthToken?: string | undefined;
  /** Username and password of an app launched with `auth=`; logs in through `/login` (in a browser, `credentials` default to `'include'`). */
  auth?: readonly [username: string, password: string] | undefined;
  /** Extra headers sent with every request to the app (not to the Hub): a record, a `Headers` or pairs. */
  headers?: RequestInit['headers'];
  /** The `fetch` to use (defaults to the global one). */
  fetch?: typeof fetch | undefined;
  /** `credentials` of browser requests to the app (default with `auth`: `'include'`, so that the login cookie reaches an app on another origin; Hub requests never send cookies). */
  credentials?: RequestInit['credentials'] | undefined;
  /**
   * The session id; by default a random one. Jobs of one session share `gr.State`. Any non-empty
   * string without `/`, but `.` and `..`. One client per session: Gradio gives each of a session's messages to one of
   * the session's streams, so two clients calling in one session at once would lose messages and
   * their order. A second client of this process that calls while another one calls in its session
   * fails with an `ArgumentError` (taking turns works: a call waits for the other client's stream, which
   * ends a moment after its last result); clients in other processes or tabs cannot be
   * checked, give each its own session.
   */
  sessionHash?: string | undefined;
  /** Aborts `connect()`. */
  signal?: AbortSignal | undefined;
  /**
   * Milliseconds the server may take to answer each HTTP request (default 30 000; an upload gets
   * 1 s more per 20 kB it sends), and the longest pause within an answer's body: a large download
   * takes as long as it needs, a stalled one fails. Streams are watched separately; calls are
   * limited only by their own `timeout` (see {@link SubmitOptions}), queued or not. `0` or
   * `Infinity`: no limit.
   */
  timeout?: number | undefined;
  /**
   * Milliseconds the session stream may stay silent before it counts as lost (default 60 000; servers
   * send a heartbeat every 15 s). `0` or `Infinity`: never.
   */
  streamTimeout?: number | undefined;
}

/** Options of {@link Client.submit} and {@link Client.predict}. */
export interface SubmitOptions<T = unknown[]> {
  /** Cancels the job when aborted. */
  signal?: AbortSignal | undefined;
  /** Fails the job with a `TimeoutError` (and cancels it on the server) after this many milliseconds (none by default; `0` or `Infinity`: none). */
  timeout?: number | undefined;
  /** Called with the final outputs when the job succeeds (Python `result_callbacks`). */
  onResult?: ((data: T) => void) | undefined;
  /**
   * Headers of this call (Python's per-call `headers=`), over the client's: sent with the request
   * that starts it, whose headers the app's `gr.Request` sees. For example a server that calls a
   * ZeroGPU Space for its users passes each user's `x-ip-token`. A record, a `Headers` or pairs.
   */
  headers?: RequestInit['headers'];
}

const SUPPORTED = ['sse_v1', 'sse_v2', 'sse_v2.1', 'sse_v3'];
const RUNNING: readonly JobStage[] = ['running', 'streaming'];
const randomHash = () => Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
const isUrl = (s: string) => /^https?:\/\//i.test(s);

/**
 * An app's `src` as {@link Client.connect} reads it: trimmed (an unset variable, or a URL pasted
 * with a space or a newline around it); a Space's page on the Hub as the Space's id; a URL without
 * its query, hash and trailing slashes; in a page or a worker, a path (`/gradio`, a dev server's
 * proxy) as a URL on its origin. Two sources with the same result are one app (the React hooks key
 * their connections by it).
 * @param hubUrl - the Hub whose Space pages are read as Space ids (`ClientOptions.hubUrl`).
 */
export function appSource(src: string | URL, hubUrl = 'https://huggingface.co'): string {
  src = typeof src === 'string' || src instanceof URL ? String(src).trim() : '';
  // Node has no `location` (Deno throws for one unless given --location): the path stays as it is
  if (src[0] === '/') try { src = new URL(src, location.href).href; } catch {}
  const page = `${hubUrl}/spaces/`;
  if (!isUrl(src)) return src;
  // as requests send it ("LOCALHOST", "/./" and spaces not kept): file URLs and keys made from it match
  try {
    src = new URL(src).href;
  } catch {}
  if (src.startsWith(page)) return src.slice(page.length).split(/[/?#]/, 2).join('/');
  return src.replace(/[?#].*/, '').replace(/\/+$/, '');
}
/** Why JSON would not carry `v` as it is, if it would not (it would arrive as something else). */
const unfaithful = (v: unknown) =>
  (typeof v === 'number' ? !Number.isFinite(v) : typeof v === 'function' || typeof v === 'symbol')
    ? `${typeof v === 'number' ? v : `a ${typeof v}`}, which JSON cannot carry`
    : typeof v === 'string'
      ? // the server cannot encode it: it would end the session's stream, and every call of the session with it
        /\p{Cs}/u.test(v) && 'a string with half a character (a lone surrogate, as slice() can leave of an emoji), which the server cannot read'
      : v instanceof Map || v instanceof Set
      ? `a ${v.constructor.name}, which JSON would send as {}`
      : (ArrayBuffer.isView(v) || /ArrayBuffer]$/.test(Object.prototype.toString.call(v))) && 'bytes: wrap them in handleFile() to send a file';
/**
 * A submitted job waiting for its turn to join; `ready` once its data is built and uploaded,
 * `over` once its join has answered (or failed) and the next one may go.
 */
type Turn = { ready: boolean; stream: SessionStream; over: Promise<void> };

/** @internal Whether a Gradio `version` is at least `major.minor`. */
export const atLeast = (version: string | undefined, major: number, minor: number): boolean => {
  const [a = 0, b = 0] = (version ?? '').split('.').map(Number);
  return a * 1000 + b >= major * 1000 + minor;
};

/**
 * A connection to one Gradio app. Make one with {@link Client.connect}; call endpoints with
 * {@link Client.predict} (a Promise of the outputs) or {@link Client.submit} (an observable
 * {@link Job}); free it with {@link Client.close}.
 */
export class Client {
  /**
   * The session id sent with every call: the key of the server's `gr.State`. Read it; to change it,
   * call {@link Client.resetSession} (a new one) or connect with `sessionHash`.
   */
  sessionHash: string;
  /** How many session streams (SSE connections) this client has opened so far. */
  streamsOpened = 0;
  #stream!: SessionStream;
  #info: Record<string, Promise<ApiInfo>> = {};
  /** Ends the session's heartbeat, which ends the session on the server. */
  #heartbeat?: (() => void) | undefined;
  #active = new Map<Job<unknown>, [fnIndex: number, session: string]>();
  /** The /cancel requests on their way, by fn index (settled when all are answered; see submit). */
  #cancels = new Map<number, Promise<unknown>>();
  /** The streams of earlier sessions (resetSession) that jobs still used then. */
  #released = new Set<SessionStream>();
  /** The joins and /info requests on their way, which close() stops. */
  #requests = new Set<AbortController>();
  /** Submitted jobs that have not joined yet, in order. */
  #waiting: Turn[] = [];
  #closed?: boolean;
  readonly #options: ClientOptions;
  readonly #cookies: Map<string, string>;

  private constructor(
    /** The app's base URL (the URL given, or the Space's host), without a trailing slash. */
    readonly url: string,
    /** The app's `/config`. */
    readonly config: GradioConfig,
    options: ClientOptions,
    cookies: Map<string, string>,
  ) {
    this.#options = options;
    this.#cookies = cookies;
    this.sessionHash = options.sessionHash ?? randomHash();
    this.#newStream();
  }

  /**
   * Connects to a Gradio app: reads its `/config` (logging in first with `auth`). Does not fetch
   * `/info`; that happens when first needed.
   *
   * @param src - the app's URL (a string or a `URL`; any sub-path is kept), a Space id `owner/name`, or the Space's page
   *   on the Hub (`https://huggingface.co/spaces/owner/name`, taken as its id); in a page or a
   *   worker also a path (`/gradio`, behind a dev server's proxy), read as a URL on its origin.
   * @throws ConnectionError when the app is unreachable, is not a Gradio app, or speaks an
   *   unsupported protocol.
   * @throws AuthenticationError when the login fails or is required.
   * @throws ArgumentError when `src` is neither a URL nor a Space id (spaces around it are
   *   ignored; as `duplicate()` and `waitForSpace()` say it), for a `sessionHash` the server cannot take (empty, `.`, `..`, or with a "/"), a
   *   `timeout` / `streamTimeout` that is not a number ≥ 0, or an `auth` with an empty part.
   * @throws TimeoutError when the app (or the Hub) does not answer within `timeout`;
   *   CancelledError when `signal` aborts; TooManyRequestsError for an HTTP 429.
   */
  static async connect(src: string | URL, options: ClientOptions = {}): Promise<Client> {
    checkMs(options.timeout, 'timeout');
    checkMs(options.streamTimeout, 'streamTimeout');
    // the server takes any session id but an empty one; its heartbeat route, none with a "/"
    // "." and ".." would be read as a path's segments: the heartbeat would reach another URL, and the session never end
    if (options.sessionHash !== undefined && (typeof options.sessionHash !== 'string' || /^\.{0,2}$|\//.test(options.sessionHash))) throw new ArgumentError(`sessionHash ${JSON.stringify(options.sessionHash)}: give a non-empty id without "/", not "." or "..".`);
    if (options.auth && !(Array.isArray(options.auth) && options.auth.length === 2 && options.auth.every((s) => s && typeof s === 'string'))) {
      throw new ArgumentError('auth: give [username, password], two strings, neither empty.');
    }
    checkHeaders(options.headers, 'headers (or token)', options.token);
    // a login is a cookie, which a browser keeps and sends to another origin only with 'include'
    if (options.auth) options = { ...options, credentials: options.credentials ?? 'include' };
    const cookies = new Map<string, string>();
    const http = (url: string, init?: RequestInit) => request(url, { ...init, signal: options.signal }, options, cookies);
    const given = src;
    src = appSource(src, options.hubUrl);
    let url = src;
    const space = !isUrl(src);
    if (space) {
      if (!SPACE_ID.test(src)) {
        throw new ArgumentError(`${JSON.stringify(given)} is neither an http(s) URL nor a Space id "owner/name"${/^[\w.-]+:\d/.test(src) ? `: give "http://${src}"` : src[0] === '/' ? ' (a path is read as a URL on the page\'s origin only in a browser or worker)' : ''}.`);
      }
      url = appSource(await spaceHost(src, options));
    }
    if (options.auth) {
      const [username, password] = options.auth;
      const res = await http(`${url}/login`, { method: 'POST', body: new URLSearchParams({ username, password }), redirect: 'manual' });
      if (isRedirect(res)) throw new ConnectionError(`${notFollowed(res, `${url}/login`)} An app launched without auth= redirects its /login to its page: connect without auth (or, if it leads to another place, to the app's URL there).`, { status: res.status });
      if (res.status === 400 || res.status === 401) throw new AuthenticationError(`Login to ${url} failed: wrong username or password.`, { status: res.status });
      // The URL of a page of a multipage app has no login (404; 405 from the server-side rendering's
      // Node server): its app's has. The password is not sent on to the URL one level up, which may be
      // another app.
      if (res.status === 404 || res.status === 405) throw new ConnectionError(`Login to ${url}: HTTP ${res.status}, no login there. Give the app's URL (for a page of a multipage app, its app's).`, { status: res.status });
      if (!res.ok) throw await httpError(res, `Login to ${url}`);
    }
    let config: GradioConfig;
    [url, config] = await readConfig(url, http, options).catch(async (e: GradioError) => {
      // A Space that is not running (building, sleeping, paused, broken) serves no app: say so,
      // from the Hub's runtime stage, asked only now (Python asks it on every connect).
      const stage = space && !options.signal?.aborted && (await spaceStage(src, options).catch(() => undefined));
      if (!stage || stage.startsWith('RUNNING')) throw e;
      throw new ConnectionError(`The Space ${src} is ${stage}, so ${url} serves no app. ${STUCK.test(stage) ? 'Its owner has to fix it.' : 'Connect again once it is RUNNING (waitForSpace() waits for that).'}`, { cause: e });
    });
    // glued to the URL: one that is no path (".evil.com/x", "@evil.com") would change its host
    if (!/^(\/|$)/.test(config.api_prefix ?? '')) throw new ConnectionError(`${url} gives the API prefix ${JSON.stringify(config.api_prefix)}, which is no path.`);
    const protocol = config.protocol ?? 'ws';
    if (!SUPPORTED.includes(protocol)) {
      throw new ConnectionError(`${url} runs Gradio ${config.version} with the "${protocol}" protocol; this client supports Gradio ≥ 4.9 (${SUPPORTED.join(', ')}).`);
    }
    return new Client(url, config, options, cookies);
  }

  /** The names (`"/name"`) of the endpoints callable by name, from the config (no request). */
  get endpoints(): string[] {
    return endpointNames(this.config);
  }

  /** The prefix of API routes: `/gradio_api` on Gradio ≥ 5, empty on 4. */
  get apiPrefix(): string {
    return this.config.api_prefix ?? '';
  }

  /** The server's Gradio version. */
  get version(): string | undefined {
    return this.config.version;
  }

  /**
   * The endpoints, their parameters (names, types, defaults) and returns, from the server's `/info`
   * (each view fetched once, when first asked). `all` also lists undocumented endpoints; calls that
   * need the parameters read that view.
   */
  viewApi(options: { all?: boolean | undefined } = {}): Promise<ApiInfo> {
    const query = options.all ? '?all_endpoints=true' : '';
    return (this.#info[query] ??= this.#stoppable(async (signal) => {
      const info = await this.#json<ApiInfo | null>('/info' + query, undefined, { signal });
      if (typeof info?.named_endpoints !== 'object') throw new ConnectionError(`GET ${this.apiPrefix}/info${query}: the answer is no Gradio API info (not Gradio's?).`);
      return info;
    }).catch((e: unknown) => {
      delete this.#info[query];
      throw e;
    }));
  }

  /**
   * Calls an endpoint and resolves with its final outputs (State outputs removed).
   *
   * @param endpoint - `"/name"`, `"name"` or a fn index.
   * On an event that streams its input (`.stream()`, see {@link Job.send}) it sends this one input
   * and closes it, so the call ends with its output (use `submit()` to send more).
   *
   * @param args - positional (array) or by parameter name (object); omitted (or `undefined`) parameters take their defaults.
   */
  async predict<T = unknown[]>(endpoint: string | number, args?: Args, options?: SubmitOptions<T>): Promise<T> {
    const job = this.submit<T>(endpoint, args, options);
    // one input: an event that streams its input would wait for more until its time limit
    if (resolveEndpoint(this.config, endpoint).dependency.connection === 'stream') job.closeInput().catch(() => {});
    return job.result();
  }

  /**
   * Starts a call and returns its {@link Job} at once. Arguments checked against the app's parameters
   * (keyword ones and left-out ones, which need `/info`) and values that cannot be sent (`NaN`, a
   * `Map`, a file that cannot be read) fail the job with an `ArgumentError`, as the call starts.
   * @throws ConnectionError when the client is closed; EndpointNotFoundError for an unknown endpoint;
   *   ArgumentError for more positional arguments than the endpoint takes, arguments that are neither
   *   an array nor an object, or a `timeout` that is not a number ≥ 0.
   */
  submit<T = unknown[]>(endpoint: string | number, args: Args = [], options: SubmitOptions<T> = {}): Job<T> {
    if (this.#closed) throw new ConnectionError('This client is closed: connect a new one.');
    checkMs(options.timeout, 'timeout');
    checkHeaders(options.headers, 'headers');
    if (options.onResult != null && typeof options.onResult !== 'function') throw new ArgumentError('onResult: give a function.');
    const ep = resolveEndpoint(this.config, endpoint);
    const early = needsInfo(ep, args) ? undefined : buildData(ep, args, undefined);
    const stream = this.#stream;
    const session = this.sessionHash;
    const fn = ep.fnIndex;
    let eventId: Promise<string | undefined> | undefined;
    let id: string | undefined;
    /** The listener of a call cancelled while its join was on its way (see the driver's cancel). */
    let joining: StreamListener | undefined;
    /** Its join was sent: ended before that join answers (a timeout, a cancel), it lets the next calls join. */
    let sending = false;
    let sent: Promise<boolean> = Promise.resolve(true); // the latest send() of a streamed-input call
    /** A generator's previous yield, as the server sent it and as it was given out: unchanged parts keep their objects. */
    let last: [unknown[], unknown[]] | undefined;
    /** The body of a request that gives this call its input: the join, or a streamed input's next one. */
    const callBody = (data: unknown[]) => ({ data, fn_index: fn, session_hash: session, event_data: null, trigger_id: null });
    const driver: JobDriver<T> = {
      diffs: this.config.protocol !== 'sse_v1',
      quoted: !atLeast(this.version, 5, 3),
      onResult: options.onResult,
      output: (data, streamed) => {
        const raw = visibleOutputs(ep, data);
        const out = raw.map((v, i) => mapDeep(v, (f) => (isFileData(f) ? this.#fileData(f) : undefined), last?.[0][i], last?.[1][i]));
        last = streamed ? [raw, out] : undefined;
        return out as T;
      },
      send: (next) => {
        // inputs reach the server in the order they were sent, even when a later upload is quicker
        const previous = sent;
        return (sent = (async () => {
          if (ep.dependency.connection !== 'stream') {
            throw new ArgumentError(`${ep.name} does not stream its input: send() needs a .stream() event (Gradio ≥ 5).`);
          }
          if (job.done()) return false;
          // null (closeInput) ends the input; anything else is input (send() without one is an error, not an end)
          const info = next !== null && needsInfo(ep, next) ? endpointInfo(await this.viewApi({ all: true }), ep) : undefined;
          const data =
            next &&
            (await this.#upload(buildData(ep, next, info), endSignal).catch((e: unknown) => {
              if (!job.done()) throw e;
              return null; // the job's end stopped the upload: the input is not needed any more
            }));
          await previous.catch(() => {});
          const id = await eventId;
          if (!id || job.done()) return false;
          // 404: the server ended the call (a time limit, say) before this input reached it, and
          // the call's end is on its way in the stream
          return await this.#json(`/stream/${id}${data ? '' : '/close'}`, data ? callBody(data) : {}).then(
            () => true,
            async (e: GradioError) => {
              if (e.status !== 404) throw e;
              await job.result().catch(() => {});
              return false;
            },
          );
        })().catch((e: unknown) => {
          throw unsendable(ep.name, e);
        }));
      },
      cancel: async (stage, spare) => {
        // Cancelled while its join is on its way: the later calls of the endpoint wait until its
        // /cancel is through (sent once the join answers, it would stop them).
        // (Cancelled as it starts, it holds them until then: by then they could run.)
        const through = sending && !id ? this.#hold(fn) : undefined;
        const cancelled = cancel(stage, spare);
        void cancelled.then((later) => later?.ended, () => {}).then(through);
        await cancelled;
      },
    };
    const cancel = async (stage: JobStage, spare?: boolean) => {
      // Gradio's /cancel stops every running call of this endpoint in this session, not just
      // this event, and those calls get no message again: they end here. It stops no run of a
      // batch function (it names no task for one): their calls go on.
      const others = () => (ep.dependency.batch ? [] : [...this.#active].filter(([j, m]) => j !== job && m[0] === fn && m[1] === session).map(([j]) => j));
      const siblings = (queued?: boolean) => others().filter((j) => (queued && j.getSnapshot().stage === 'queued') || RUNNING.includes(j.getSnapshot().stage));
      /** A /cancel was sent, or the event has ended: none (more) is needed. */
      let over = false;
      // the event's end: after a /cancel, the server sends it behind what it sent before
      let end!: () => void;
      const ended = new Promise<void>((r) => (end = r));
      const watcher: StreamListener = {
        message: (m) => {
          // after the rest of its chunk: an event that ended in it needs no /cancel (which would stop others)
          if (m.msg === 'process_starts') queueMicrotask(() => void (over || post().catch(() => {})));
          if (m.msg === 'process_completed') (over = true), end();
        },
        lost: end,
      };
      const post = async () => {
        over = true;
        // a queued one may start before the /cancel gets there
        if (spare && siblings(true).length) return;
        // A /cancel stops every running call of its endpoint in the session, even one that joined
        // after it was sent (its request can be slower than a join): joins wait for its answer.
        const answered = this.#hold(fn);
        if (this.#closed) end(); // the watcher is not listening: that would open the stream again
        let hit: Job<unknown>[] = [];
        try {
          // Gradio tells a call its place as it joins, and starts it a moment later when its queue
          // has room (1 ms later, 50 on Windows). Started before the /cancel gets there, the call is
          // stopped too, though the stream may not have shown it started yet. So wait until no
          // call of the endpoint is joining, or has been placed for less than 100 ms (a call still
          // queued then waits for room, and starts only after the cancel).
          const placed = new Map<Job<unknown>, number>();
          const unsure = (j: Job<unknown>) => {
            const { stage, status, queue } = j.getSnapshot();
            if (stage === 'pending') return status.code === 'JOINING_QUEUE';
            if (stage !== 'queued') return false;
            if (queue.position !== null && !placed.has(j)) placed.set(j, status.time);
            return Date.now() - (placed.get(j) ?? Date.now()) < 100;
          };
          // their places come through the stream, which a run of joins may hold back until its end:
          // and the next call of that run waits for this cancel
          if (!this.#closed) stream.open();
          while (others().some(unsure)) await new Promise((r) => setTimeout(r, 10));
          hit = siblings();
          // also when its answer is lost: the server may have stopped them, and they would wait for ever
          await this.#json('/cancel', { event_id: id, fn_index: fn, session_hash: session }).catch(() => {});
        } finally {
          answered();
        }
        // They end once this event's end has come through the stream (a call that finished
        // meanwhile has its result there first), at most 2 s later (an event the server no longer
        // had gets no end; a stream may lag). cancel() does not wait for it.
        const timer = setTimeout(end, 2000);
        void ended.then(() => {
          clearTimeout(timer);
          hit.forEach((j) => j.interrupt(new CancelledError(`Gradio cancelled ${ep.name} together with another call of it in this session.`)));
        });
      };
      // The call's messages go to the watcher from now on (the job, ended for its caller, lets go of
      // them); cancelled while its join is on its way, the join hands them to it. None is lost
      // while this function waits for the event's id. (Not once closed: that would open the stream.)
      if (!id) joining = watcher;
      else if (!this.#closed) stream.listen(id, watcher);
      // closing, a queued call needs no /cancel: the server drops the queued calls of a session
      // whose stream is cut (close() with 1,000 queued calls sent 1,000 of them)
      void ended.then(() => stream.remove(id!, watcher));
      if (!(await eventId) || over || (this.#closed && !RUNNING.includes(stage))) return;
      // Gradio ≥ 6.14 takes a queued event out of its queue.
      if (RUNNING.includes(stage) || (atLeast(this.version, 6, 14) && !siblings(true).length)) return post();
      // A queued event that the server would not take out of its queue (Gradio < 6.14), or whose
      // cancel could also stop another call of the same endpoint in this session: one running,
      // or one queued that the server may have started before the stream told us (a call
      // stopped so gets no message again). Cancel it the moment it starts; for the caller it is
      // cancelled already. (Calls not joined yet join after any cancel: see #cancels.)
      return { ended };
    };
    const job = new Job<T>(ep.name, driver);
    this.#active.set(job as Job<unknown>, [fn, session]);
    const unlisten = onAbort(options.signal, () => job.cancel());
    const timer = limited(options.timeout)
      ? setTimeout(() => {
          const { stage } = job.getSnapshot();
          job.fail(new TimeoutError(`${ep.name} took over ${options.timeout} ms and was cancelled.`));
          driver.cancel(stage).catch(() => {});
        }, options.timeout)
      : undefined;
    // stops this job's requests when it ends (made when a request needs it: most calls have none)
    let ended: AbortController | undefined;
    const endSignal = () => {
      ended ??= new AbortController();
      if (job.done()) ended.abort();
      return ended.signal;
    };
    const cleanup = () => {
      ended?.abort();
      clearTimeout(timer);
      unlisten();
      this.#active.delete(job as Job<unknown>);
      if (id) stream.remove(id, job);
      if (sending) leave();
    };
    job.result().then(cleanup, cleanup);
    if (options.signal?.aborted) void job.cancel();
    // Jobs join the queue in the order they were submitted: each join is sent once the previous
    // one has answered (requests sent together may reach the server in any order).
    const previous = this.#waiting.at(-1)?.over;
    let release!: () => void;
    const turn: Turn = { ready: false, stream, over: new Promise<void>((r) => (release = r)) };
    this.#waiting.push(turn);
    /** Its turn is over: the next call may join. False when it was over already. */
    const leave = () => {
      if (!this.#waiting.includes(turn)) return false;
      release();
      const more = this.#joinFollows(turn);
      this.#waiting.splice(this.#waiting.indexOf(turn), 1);
      if (!more) stream.open();
      return true;
    };
    eventId = (async () => {
      try {
        const { oauthToken } = this.#options;
        const info = early && !oauthToken ? undefined : endpointInfo(await this.viewApi({ all: true }), ep);
        const data = await this.#upload(early ?? buildData(ep, args, info), endSignal);
        turn.ready = true;
        await previous;
        // A /cancel stops every running call of its endpoint in the session, even one that joined
        // after it was sent (its request can be slower than a join): join once it is answered.
        await this.#cancels.get(fn);
        if (job.done()) return;
        job.code('JOINING_QUEUE');
        const body = { ...callBody(data), ...(info?.oauth_token && { oauth_token: oauthToken }) };
        const headers = layered({ 'x-gradio-user': 'api' }, options.headers); // as Python: an API caller
        sending = true;
        if (ep.dependency.queue === false) {
          // the next calls join once it has run: they read what it wrote (gr.State)
          // the server answers when the function has run: like a queued job, no time limit but the job's
          // own, and the request ends with the job (cancelled, timed out, client closed)
          // The body's fn_index picks the function, as Python's client does; the path names none, since
          // an api_name may hold what a path cannot ("a/b" finds no route).
          const output = await this.#json<{ data?: unknown }>('/run/predict', body, { headers, ms: null, signal: endSignal(), run: true });
          job.message({ msg: 'process_completed', success: !!output.data, output });
          return;
        }
        await stream.beginJoin();
        try {
          if (job.done()) return; // cancelled while another client's stream of the session ended
          if (atLeast(this.version, 6, 11) && !this.#joinFollows(turn)) stream.openEarly();
          id = (await this.#stoppable((signal) => this.#json<{ event_id?: string } | null>('/queue/join', body, { headers, signal })))?.event_id;
          if (!id) throw new ConnectionError(`POST ${this.apiPrefix}/queue/join: the answer has no event id (not Gradio's?).`);
          job.joined(id);
        } finally {
          stream.endJoin(id, job.done() ? joining : job);
        }
        return id;
      } catch (e) {
        job.fail(unsendable(ep.name, e));
        return id;
      } finally {
        // not before the calls submitted earlier have joined: one that failed before its join (an
        // argument, an upload) lets the next one go only then, so that the order stays
        await previous;
        // left as the job ended before its join answered: the stream for the cancel's watcher
        if (!leave() && id) stream.open();
        // after the join and the stream's request: it would slow them down
        if (id && this.config.connect_heartbeat) this.#beat();
      }
    })();
    return job;
  }

  /** Starts a new session: later calls get fresh `gr.State` (Python `reset_session()`). Running jobs finish in their old session. */
  resetSession(): void {
    this.sessionHash = randomHash();
    this.#heartbeat?.();
    this.#heartbeat = undefined;
    const old = this.#stream;
    this.#newStream();
    old.release();
    // kept for close() while in use: also before a call submitted in that session has joined (it opens the stream then)
    for (const s of [...this.#released, old]) !s.idle || this.#waiting.some((t) => t.stream === s) ? this.#released.add(s) : this.#released.delete(s);
  }

  /**
   * Uploads the files found in `value` (`handleFile()` values, `Blob`s, `File`s) and returns
   * `value` with each replaced by its `FileData` (name and type kept). Jobs do this by themselves,
   * and stop uploading when they end (cancelled, timed out).
   * @param signal - aborts the uploads on their way.
   * @throws (rejects with) ArgumentError for a value JSON would not carry as it is (`NaN`, a `Map`,
   * raw bytes) or a local file Node cannot read; ValidationError for a file over the app's
   * `max_file_size` (found before it is sent).
   */
  upload<V>(value: V, signal?: AbortSignal): Promise<V> {
    return this.#stoppable((stop) => this.#upload(value, () => stop), signal).catch((e: unknown) => {
      throw unsendable('upload()', e);
    });
  }

  /** {@link Client.upload}, asking for the signal only when there is a file to send. */
  async #upload<V>(value: V, signal: () => AbortSignal | undefined): Promise<V> {
    const found: FileInput[] = [];
    const marked = mapDeep(value, (v) => {
      const lost = unfaithful(v);
      if (lost) throw new TypeError(lost);
      if (v instanceof Blob) v = new FileInput(v, (v as File).name);
      if (!(v instanceof FileInput)) return;
      const { source, name } = v;
      if (typeof source === 'string' && isUrl(source)) return { path: source, url: source, orig_name: name, meta: FILE_META };
      found.push(v);
      return v;
    });
    if (!found.length) return marked as V;
    const form = new FormData();
    const blobs = await Promise.all(found.map(toBlob));
    // A file without a name gets its type's extension ("image/png": file.png): an app that takes
    // only some types of files (gr.File(file_types=)) reads the type from the name.
    const names = blobs.map((b, i) => {
      const type = b.type.split(';')[0]!;
      const ext = EXT[type] ?? /\/(?:x-)?(\w+)/.exec(type)?.[1];
      return found[i]!.name || (ext ? `file.${ext}` : 'file');
    });
    // the server would refuse it after reading it: refuse it before sending a byte
    const max = this.config.max_file_size ?? Infinity;
    const big = blobs.findIndex((b) => b.size > max);
    if (big >= 0) {
      throw new ValidationError(`The file "${names[big]}" has ${blobs[big]!.size} bytes; this app takes files of at most ${max} bytes (its max_file_size). Send a smaller file.`, [], 413);
    }
    blobs.forEach((b, i) => form.append('files', b, names[i]));
    // The answer comes once every byte is sent: a slow uplink gets 1 s more per 20 kB.
    const bytes = blobs.reduce((n, b) => n + b.size, 0);
    const paths = await this.#json<string[]>('/upload', form, { ms: ((this.#options.timeout ?? TIMEOUT) || Infinity) + bytes / 20, signal: signal() });
    return mapDeep(marked, (v) => {
      const i = found.indexOf(v as FileInput);
      return i < 0 ? undefined : { path: paths[i], orig_name: names[i], size: blobs[i]!.size, mime_type: blobs[i]!.type, meta: FILE_META };
    }) as V;
  }

  /**
   * Downloads an output file (a `FileData` or its URL), with this client's token, headers and
   * cookies when it is the app's; a file elsewhere (an app may return any URL) gets none of them.
   * For a streamed media output (`is_stream`, whose `url` is an HLS playlist on Gradio ≥ 5) it fetches
   * the whole recording, which the server has once the stream has ended (on Gradio 4 the stream's
   * URL serves the audio itself, and only once). A large file takes as long as it needs, but a
   * transfer that stalls (nothing arrives for `timeout` ms) fails with a `TimeoutError`.
   * @param options - `signal` aborts the download (with a `CancelledError`).
   */
  async download(file: FileData | string | URL, options: { signal?: AbortSignal | undefined } = {}): Promise<Blob> {
    if (file instanceof URL) file = file.href;
    if (typeof file !== 'string' && typeof file?.path !== 'string') throw new ArgumentError(`download() takes an output file (a FileData, with its path) or its URL, not ${file == null ? file : typeof file === 'object' ? 'an object without a path' : `a ${typeof file}`}.`);
    let url = typeof file === 'string' ? file : this.#fileData(file).url!;
    if (typeof file !== 'string' && file.is_stream) url = url.replace(/\/playlist\.m3u8$/, '/playlist-file');
    const { fetch, timeout } = this.#options;
    return this.#stoppable(async (signal) => {
      const res = await (url.startsWith(this.url + '/') ? this.#fetch(url, { signal }) : request(url, { signal, redirect: 'follow' }, { fetch, timeout }, new Map()));
      if (!res.ok) throw await httpError(res, `Downloading ${url}`);
      return new Blob((await readBody(res, `Downloading ${url}`, timeout, signal)) as BlobPart[], { type: res.headers.get('content-type') ?? '' });
    }, options.signal);
  }

  /**
   * Ends every stream and timer of this client (those of sessions left by `resetSession()` too),
   * stops the requests on their way (`upload()` and `download()` too: they reject with a
   * `CancelledError`, as later ones do), and cancels its pending jobs. A Node process with nothing else
   * to do exits afterwards: at once, or, when the server does not answer a running job's `/cancel`
   * or the session's heartbeat, once that request's `timeout` is over. (A heartbeat is cut once its
   * first message is in: Gradio ends a session, running its unload event, only for one that began.)
   */
  close(): void {
    this.#closed = true;
    this.#active.forEach((_, j) => j.cancel({ reason: 'its client was closed' }));
    this.#requests.forEach((c) => c.abort());
    // the streams of earlier sessions too (resetSession()): cut, the server drops their queued calls
    for (const s of [this.#stream, ...this.#released]) s.close(new CancelledError('The client was closed.'));
    this.#heartbeat?.();
  }

  /**
   * Whether the job submitted after `turn` is ready to join the same session at once. Jobs submitted
   * together join back to back, then one stream carries all their messages (the server keeps them
   * meanwhile): a stream opened between two joins could be ended by the server as soon as no event
   * of the session is pending, and a new one would be needed.
   */
  #joinFollows(turn: Turn): boolean {
    const next = this.#waiting[this.#waiting.indexOf(turn) + 1];
    return !!next?.ready && next.stream === turn.stream;
  }

  /**
   * Holds back the joins of `fn`'s calls not joined yet until the returned function is called: a
   * `/cancel` stops every running call of its endpoint in the session, even one that joined after
   * it was sent (its request can be slower than a join).
   */
  #hold(fn: number): () => void {
    let done!: () => void;
    this.#cancels.set(fn, Promise.all([this.#cancels.get(fn), new Promise<void>((r) => (done = r))]).then(() => {}));
    return done;
  }

  /**
   * The file with a URL built from this client's URL (not the server's possibly wrong `root`), as
   * the server builds it: `/stream/<path>` for streamed media, `/file=<path>` otherwise.
   */
  #fileData(f: FileData): FileData {
    // percent-encoded as Gradio ≥ 6.27 does (Python's quote(path, safe="/")): a name may hold % #
    const path = f.path.split('/').map(encodeURIComponent).join('/');
    const url = isUrl(f.path) ? f.path : `${this.url}${this.apiPrefix}/${f.is_stream ? 'stream/' : 'file='}${path}`;
    return { ...f, url };
  }

  #newStream(): void {
    const session = this.sessionHash;
    this.#stream = new SessionStream((signal) => {
      this.streamsOpened++;
      return this.#fetch(`${this.url}${this.apiPrefix}/queue/data?session_hash=${encodeURIComponent(session)}`, { signal }, null);
    }, this.#options.streamTimeout ?? 60_000, `${JSON.stringify(session)} at ${this.url}`, this.config.protocol === 'sse_v3');
  }

  /** Runs `request` with a signal of its own that close() aborts (one per request: a shared one would gather a listener per request). */
  async #stoppable<R>(request: (signal: AbortSignal) => Promise<R>, follow?: AbortSignal): Promise<R> {
    const c = new AbortController();
    const stop = () => c.abort();
    const unlisten = onAbort(follow, stop); // the caller's signal stops it too, until it is over
    if (follow?.aborted || this.#closed) stop();
    this.#requests.add(c);
    try {
      return await request(c.signal);
    } finally {
      this.#requests.delete(c);
      unlisten();
    }
  }

  /**
   * Keeps the session alive (apps with `connect_heartbeat`), from its first join until `close()` or
   * `resetSession()`. A heartbeat cut after 10 s or more is opened again (the server has run the
   * app's unload event then); one cut sooner, or refused, is not: at most one request per 10 s.
   */
  #beat(): void {
    if (this.#heartbeat || this.#closed) return;
    const began = Date.now();
    const controller = new AbortController();
    const abort = () => controller.abort();
    let alive = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Gradio ends a session (its unload event, its State) when its heartbeat is cut, but only once
    // that heartbeat has begun: one cut before its first message left the session open. So the end
    // waits for that message, up to the `timeout`.
    const end = (this.#heartbeat = () => {
      const ms = this.#options.timeout ?? TIMEOUT;
      alive || !limited(ms) ? abort() : (timer ??= setTimeout(abort, ms));
    });
    this.#fetch(`${this.url}${this.apiPrefix}/heartbeat/${encodeURIComponent(this.sessionHash)}`, { signal: controller.signal }, null)
      .then((res) =>
        !res.ok ? res.body?.cancel() : res.body?.pipeTo(
          new WritableStream({
            write() {
              alive = true;
              if (timer) abort();
            },
          }),
          { signal: controller.signal }, // Deno ends no body at its request's abort
        ),
      )
      .catch(() => {})
      .finally(() => {
        clearTimeout(timer);
        if (this.#heartbeat !== end) return;
        this.#heartbeat = undefined;
        if (alive && !controller.signal.aborted && Date.now() - began > 10_000) this.#beat();
      });
  }

  /**
   * One JSON request to the app's API (a POST when there is a `body`); `ms` as for `#fetch`.
   * `run`: a `queue=False` call, whose app error is a 500 carrying what a queued call's completion
   * message does; that answer is returned, not thrown.
   */
  async #json<T = unknown>(
    path: string,
    body?: unknown,
    { headers, ms, signal, run }: { headers?: RequestInit['headers']; ms?: number | null; signal?: AbortSignal; run?: boolean } = {},
  ): Promise<T> {
    const form = body instanceof FormData;
    const init: RequestInit = body ? { method: 'POST', body: form ? body : JSON.stringify(body), headers: form ? headers : layered({ 'content-type': 'application/json' }, headers), signal } : { signal };
    const res = await this.#fetch(this.url + this.apiPrefix + path, init, ms);
    const what = `${init.method ?? 'GET'} ${this.apiPrefix}${path}`;
    if (run && res.status === 500) {
      // the app's error: Gradio's JSON with an "error" (known by its body: a proxy may drop the
      // type); any other 500 is the server's or a proxy's
      const text = await readText(res, what, this.#options.timeout, signal);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {}
      if (body && typeof body === 'object' && 'error' in body) return body as T;
      throw await httpError(new Response(text, res), what);
    }
    if (!res.ok) throw await httpError(res, what);
    return readJson<T>(res, what, this.#options.timeout, signal);
  }

  /** `ms`: how long the server may take to answer (default: the `timeout` option; `null`: no limit). */
  #fetch(url: string, init: RequestInit = {}, ms?: number | null): Promise<Response> {
    return request(url, init, this.#options as HttpOptions, this.#cookies, ms);
  }
}

/**
 * The app's base URL and `/config`. A URL without a config may be a page of a multipage app
 * (`demo.route`, Gradio ≥ 5): the app one level up has the config, and lists the page. Such a URL
 * answers 404, or, with server-side rendering (Gradio ≥ 5; the default on Spaces), the app's HTML page.
 */
/** A request of connect(): the token, headers, cookies and signal of the client to be. */
type Http = (url: string, init?: RequestInit) => Promise<Response>;

async function readConfig(url: string, http: Http, o: ClientOptions): Promise<[string, GradioConfig]> {
  const [config, res, at] = await configAt(url, http, o);
  if (config) return [at, config];
  const page = new URL(url).pathname.split('/').pop() ?? '';
  const up = url.slice(0, -page.length - 1);
  // an app with a login answers 401 there: that is what to say
  const [app] = page ? await configAt(up, http, o).catch((e: unknown) => (e instanceof AuthenticationError ? Promise.reject(e) : [])) : [];
  if (app?.page?.[page]) return [up, app];
  const found = res.ok ? `/config answered ${res.headers.get('content-type')}` : `HTTP ${res.status} for /config`;
  throw new ConnectionError(
    `${url} has no Gradio config (${found}): ${app ? `the Gradio app is at ${up}, which has no page "${page}"` : 'give the URL of the page that shows the app, with the path it is mounted at'}.`,
    res.ok ? {} : { status: res.status },
  );
}

/**
 * The Gradio config at `url`, if its `/config` answers one, that answer, and the app's URL: where a
 * redirect on the same origin (another path), or from http to https on the same host, led, so that
 * the calls go there direct (through it, a POST would become a GET). Another redirect is named, not
 * followed: it would take the token and headers to another place.
 */
async function configAt(url: string, http: Http, o: ClientOptions, hops = 0): Promise<[GradioConfig | undefined, Response, string]> {
  const res = await http(`${url}/config`, { redirect: 'manual' });
  if (isRedirect(res)) {
    const from = new URL(url);
    const to = new URL(res.headers.get('location') ?? '.', `${url}/config`);
    if (hops < 5 && /\/config$/.test(to.pathname) && (to.origin === from.origin || (to.host === from.host && to.protocol === 'https:'))) {
      return configAt(to.href.slice(0, -7), http, o, hops + 1);
    }
    throw new ConnectionError(`${notFollowed(res, `${url}/config`)} Connect to the app's URL.`, { status: res.status });
  }
  if (!res.ok && res.status !== 404) throw await httpError(res, `Reading ${url}/config`);
  const what = `Reading ${url}/config`;
  const text = res.ok ? await readText(res, what, o.timeout, o.signal) : '';
  try {
    // an answer that says it is JSON and is not (cut short by a proxy, say) is named as such
    const config = (res.ok && /json/.test(res.headers.get('content-type') ?? '') ? parseJson(text, res, what) : JSON.parse(text)) as GradioConfig;
    if (Array.isArray(config.dependencies)) return [config, res, url];
  } catch (e) {
    if (e instanceof ConnectionError) throw e;
  }
  return [undefined, res, url];
}

/**
 * The error of a call that could not start or take more input: a typed one as it is. Anything else
 * came from an argument: a value JSON cannot encode (a BigInt, a cycle), a local file Node cannot read.
 */
function unsendable(name: string, e: unknown): GradioError {
  return e instanceof GradioError ? e : new ArgumentError(`${name}: cannot send an argument (${(e as Error).message}).`, { cause: e });
}

/**
 * The extensions of the types of nameless files (text, fetched audio, Safari's recordings, bytes)
 * whose subtype is not one: the server would read the name back as another type, or none.
 */
const EXT: Record<string, string> = { 'text/plain': 'txt', 'audio/mpeg': 'mp3', 'audio/mp4': 'm4a', 'application/octet-stream': '' };

async function toBlob({ source, type }: FileInput): Promise<Blob> {
  if (typeof source === 'string') {
    const node = (globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown } }).process;
    if (!node?.versions?.node) {
      throw new ArgumentError(`handleFile("${source}"): local paths can only be read in Node; pass a File or Blob in the browser.`);
    }
    // Node ≥ 20.16 gives the module without an import(), which CommonJS run by Jest (in a vm) cannot
    // make, and bundlers do not see. Else: a variable and the two comments, so that Vite, webpack
    // (Next.js) and esbuild leave this Node-only import alone, without a warning or a context module.
    const fs = 'node:fs';
    const { promises, openAsBlob } = (node.getBuiltinModule?.(fs) ?? (await import(/* webpackIgnore: true */ /* @vite-ignore */ fs))) as {
      promises: { stat(p: string): Promise<{ isFile(): boolean }>; readFile(p: string): Promise<Uint8Array> };
      openAsBlob?: (p: string, o: { type?: string }) => Promise<Blob>;
    };
    // A file is read as it is sent, not into memory first (a 300 MB one took 1.2 GB, and one over
    // 2 GiB could not be sent). Anything else (a directory: its error) is read as before.
    if ((await promises.stat(source)).isFile() && openAsBlob) return openAsBlob(source, { type: type ?? '' });
    source = await promises.readFile(source);
  }
  return source instanceof Blob && !type ? source : new Blob([source as BlobPart], type ? { type } : {});
}
