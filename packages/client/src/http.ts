import {
  ArgumentError,
  AuthenticationError,
  CancelledError,
  ConnectionError,
  type GradioError,
  QueueFullError,
  TimeoutError,
  TooManyRequestsError,
  ValidationError,
} from './errors.js';

/**
 * What every request of a client carries. Headers are typed `RequestInit['headers']` (the DOM's
 * `HeadersInit`, a name Node's types lack), so that a project with `types: ["node"]` and no DOM
 * library compiles.
 */
export interface HttpOptions {
  /** Sent as `X-HF-Authorization`, which the Spaces proxy reads and strips: the app never sees it. */
  token?: string | undefined;
  /** Extra headers of the app's requests (never sent to the Hub): a record, a `Headers` or pairs. */
  headers?: RequestInit['headers'];
  /** The `fetch` to use (defaults to the global one). */
  fetch?: typeof fetch | undefined;
  /** `credentials` of browser requests to the app (Hub requests never send cookies). */
  credentials?: RequestInit['credentials'] | undefined;
  /** Milliseconds a server may take to answer each request, and the longest pause within an answer (default 30 000; `0` or `Infinity`: no limit). */
  timeout?: number | undefined;
}

/**
 * @internal Headers in layers, later ones over earlier ones, as one record with lower-case names (any
 * `HeadersInit`; no `Headers` object is made for records, which are what most calls have).
 */
export function layered(...layers: RequestInit['headers'][]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const layer of layers) {
    for (const [k, v] of layer instanceof Headers || Array.isArray(layer) ? layer : Object.entries(layer ?? {})) headers[k.toLowerCase()] = v;
  }
  return headers;
}

/** @internal The default of the client's `timeout`: how long the server may take to answer (ms). */
export const TIMEOUT = 30_000;

/**
 * @internal Whether `ms` is a time limit: 0, `Infinity` and `null` are none. (A timer longer than
 * 2^31 - 1 ms would fire at once.)
 */
export const limited = (ms: number | null | undefined): ms is number => !!ms && ms < 2 ** 31;

/**
 * One HTTP request with the client's headers, token, cookies and credentials. It fails with a
 * `TimeoutError` when the server has not answered (sent its status and headers) within `ms`
 * (default: the client's `timeout`; `null` for streams, which are watched by their reader). The
 * body is not limited here: {@link readBody} reads it, as long as it keeps coming. Transport
 * failures become typed errors; `Set-Cookie` answers (Node) fill `cookies`.
 */
export async function request(
  url: string,
  init: RequestInit,
  o: HttpOptions,
  cookies: Map<string, string>,
  ms: number | null = o.timeout ?? TIMEOUT,
): Promise<Response> {
  const headers = layered(o.headers, init.headers);
  if (o.token) headers['x-hf-authorization'] = `Bearer ${o.token}`;
  if (cookies.size) {
    // the caller's own cookies (a gateway's session) go along; the app's replace those of their names
    const jar = new Map((headers.cookie ?? '').split(';').map((c) => [c.split('=')[0]!.trim(), c.trim()]));
    for (const [k, v] of cookies) jar.set(k, `${k}=${v}`);
    headers.cookie = [...jar.values()].filter(Boolean).join('; ');
  }
  // The caller's signal as it is, or, with a time limit, a signal that either one aborts.
  // Not AbortSignal.any(): Node 20 can garbage-collect its combined signal, losing the abort.
  const { signal } = init;
  let either = signal;
  let late = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let unlink = () => {};
  if (limited(ms)) {
    const both = new AbortController();
    const forward = () => both.abort();
    // until the answer comes (a caller's signal may serve many requests); its body: see readBody
    unlink = onAbort(signal, forward);
    if (signal?.aborted) both.abort();
    timer = setTimeout(() => {
      late = true;
      both.abort();
    }, ms);
    either = both.signal;
  }
  let res: Response;
  try {
    res = await (o.fetch ?? fetch)(url, { ...init, headers, credentials: o.credentials, signal: either, redirect: init.redirect ?? 'manual' });
  } catch (e) {
    throw late
      ? new TimeoutError(`${url} did not answer within ${ms} ms (the \`timeout\` option).`, { cause: e })
      : signal?.aborted
        ? new CancelledError(`The request to ${url} was aborted.`, { cause: e })
        : (e as { cause?: Error }).cause?.name === 'NotReadableError'
          ? new ArgumentError(`A file to send to ${url} could not be read (changed or deleted since it was given?).`, { cause: e })
          : new ConnectionError(`Could not reach ${url} (${(e as { cause?: Error }).cause?.message ?? (e as Error).message}). Check the URL and that the server runs (from a web page: that it allows the page's origin, CORS).`, { cause: e });
  } finally {
    clearTimeout(timer);
    unlink();
  }
  for (const c of res.headers.getSetCookie?.() ?? []) {
    const [, k, v] = /^([^=;]+)=([^;]*)/.exec(c) ?? [];
    if (k) cookies.set(k.trim(), v!.trim());
  }
  // No redirect is followed unless the caller asks (redirect: 'follow' or 'manual'): fetch would
  // take the token, the caller's headers and the body along to wherever it leads, another host too.
  if (!init.redirect && isRedirect(res)) throw new ConnectionError(notFollowed(res, url), { status: res.status });
  return res;
}

/** A redirect answer: seen (Node) or opaque (a browser). */
export const isRedirect = (res: Response): boolean => res.type === 'opaqueredirect' || (res.status > 299 && res.status < 400);

/** What an error says of a redirect that was not followed, naming where it leads when the runtime says. */
export const notFollowed = (res: Response, url: string): string =>
  `${url} redirects${res.headers.get('location') ? ` to ${new URL(res.headers.get('location')!, url)}` : ''}: not followed, the token and headers would go along.`;

/**
 * Reads a whole body. It may take as long as it needs, but not stall: when nothing arrives for `ms`
 * (a connection left open by a dead link, which a browser would wait on for ever), the transfer is
 * cancelled with a `TimeoutError`, as Python's client does with its read timeout. `ms` defaults to
 * the client's default `timeout`; `signal`: the request's, whose abort makes it a `CancelledError`.
 * Resolves with the chunks as they came: see {@link readText}, or make a `Blob` of them.
 */
export async function readBody(res: Response, what: string, ms = TIMEOUT, signal?: AbortSignal | null, max = Infinity): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  let stalled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // the caller's abort stops the body, with one listener while it is read
  const stop = () => void reader?.cancel().catch(() => {});
  const unlisten = onAbort(signal, stop);
  if (signal?.aborted) stop();
  try {
    for (;;) {
      if (limited(ms)) {
        timer = setTimeout(() => {
          stalled = true;
          reader?.cancel().catch(() => {});
        }, ms);
      }
      const { done, value } = reader ? await reader.read() : { done: true, value: undefined };
      clearTimeout(timer);
      if (stalled || signal?.aborted) throw new Error('stopped');
      if (done) return chunks;
      chunks.push(value!);
      if ((size += value!.length) > max) {
        reader!.cancel().catch(() => {});
        throw new Error(`the answer is over ${max / 1e6} MB`);
      }
    }
  } catch (e) {
    throw stalled
      ? new TimeoutError(`${what}: nothing arrived for ${ms} ms.`, { cause: e })
      : signal?.aborted
        ? new CancelledError(`${what} was aborted.`, { cause: e })
        : new ConnectionError(`${what} failed (${(e as Error).message}).`, { cause: e });
  } finally {
    clearTimeout(timer);
    unlisten();
  }
}

/**
 * A whole body as text (UTF-8), read by {@link readBody}: up to {@link MAX_TEXT} bytes (a server
 * sending for ever would fill the memory).
 */
export async function readText(res: Response, what: string, ms?: number, signal?: AbortSignal | null): Promise<string> {
  const decoder = new TextDecoder();
  return (await readBody(res, what, ms, signal, MAX_TEXT)).map((c) => decoder.decode(c, { stream: true })).join('') + decoder.decode();
}

/**
 * @internal Refuses a caller's time limit that is not milliseconds ≥ 0 (`0` or `Infinity`: none)
 * with an `ArgumentError` (`positive`: not 0 or Infinity either). `NaN` (`Number()` of an unset
 * variable) would turn the limit off without a word, a negative one fail every request at once, and
 * a string be added to the clock.
 */
export function checkMs(ms: unknown, name: string, positive?: boolean): void {
  if (ms !== undefined && !(typeof ms === 'number' && ms >= 0 && (!positive || (ms > 0 && ms < Infinity)))) {
    throw new ArgumentError(`${name} is ${typeof ms === 'number' ? ms : JSON.stringify(ms)}: give milliseconds ${positive ? '> 0' : '≥ 0 (0 or Infinity: no limit)'}.`);
  }
}

/**
 * @internal Refuses headers (with the token's) that `fetch` would refuse, with an `ArgumentError`
 * naming them (a pasted "…" in a token, a line break): `fetch` says "Could not reach" for those.
 */
export function checkHeaders(headers: RequestInit['headers'], name: string, token?: string): void {
  try {
    new Headers({ ...layered(headers), ...(token && { 'x-hf-authorization': `Bearer ${token}` }) });
  } catch (e) {
    throw new ArgumentError(`${name}: ${(e as Error).message}`);
  }
}

/** The most bytes of a JSON or text answer, and of one message of the session stream: 100 MB. */
export const MAX_TEXT = 1e8;

/** A whole JSON body, read by {@link readBody}; an answer that is not JSON is a `ConnectionError` naming what came. */
export async function readJson<T>(...args: Parameters<typeof readText>): Promise<T> {
  return parseJson<T>(await readText(...args), args[0], args[1]);
}

/** `text`, the body of `res`, parsed; if it is not JSON, a `ConnectionError` saying what it is instead. */
export function parseJson<T>(text: string, res: Response, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    const type = res.headers.get('content-type') ?? 'text';
    throw new ConnectionError(`${what}: the answer is ${!text ? 'empty' : /json/.test(type) ? 'malformed JSON (cut short?)' : `${type}, not JSON`}.`);
  }
}

/**
 * What each caller's signal cancels, and its one listener: one per signal, not per call or request
 * (Node warns from 11 on one), taken off when nothing is left to cancel.
 */
const aborts = new WeakMap<AbortSignal, [Set<() => unknown>, () => void]>();

/** The signal's listener, made out here: one made in onAbort would keep its first `fn` (V8 gives closures of one scope one context). */
const runAll = (all: Set<() => unknown>) => () => all.forEach((f) => f());

/** @internal Runs `fn` when `signal` aborts; returns the function that forgets it. */
export function onAbort(signal: AbortSignal | null | undefined, fn: () => unknown): () => void {
  if (!signal) return () => {};
  let entry = aborts.get(signal);
  if (!entry) {
    const fns = new Set<() => unknown>();
    aborts.set(signal, (entry = [fns, runAll(fns)]));
    signal.addEventListener('abort', entry[1], { once: true });
  }
  const [fns, listener] = entry;
  fns.add(fn);
  return () => {
    if (fns.delete(fn) && !fns.size) {
      signal.removeEventListener('abort', listener);
      aborts.delete(signal);
    }
  };
}

/** Maps an HTTP error answer to a typed error whose message carries the server's words (none when its body stalls). */
export async function httpError(res: Response, what: string): Promise<GradioError> {
  const text = await readText(res, what).catch(() => '');
  // a page (a proxy's 502): its title, or its text without the markup
  let detail: unknown = /html/.test(res.headers.get('content-type') ?? '') ? (/<title>([^<]+)/i.exec(text)?.[1] ?? text.replace(/(<[^>]*>|\s)+/g, ' ')).trim() : text;
  try {
    const body = JSON.parse(text) as { detail?: unknown; error?: unknown };
    detail = body.detail ?? body.error ?? body;
  } catch {}
  const status = res.status;
  const said = `${what}: HTTP ${status}${detail && ` — ${(typeof detail === 'string' ? detail : JSON.stringify(detail)).slice(0, 300)}`}`.replace(/[^.!?]$/, '$&.');
  if (status === 422) {
    // Gradio validators send {parameter_name, message}; FastAPI's own checks send {loc, msg}.
    const issues = (Array.isArray(detail) ? detail : []).map((d: { parameter_name?: string; message?: string; loc?: unknown[]; msg?: string }) => ({
      parameterName: d.parameter_name ?? (d.loc?.length ? String(d.loc.at(-1)) : null),
      message: String(d.message ?? d.msg ?? ''),
    }));
    return new ValidationError(issues.length ? `${issues.length} parameter(s) failed validation: ${issues.map((i) => `${i.parameterName ?? 'an argument'}: ${i.message}`).join('; ')}` : said, issues, status);
  }
  if (status === 413) return new ValidationError(`${said} Send a smaller file.`, [], status);
  const [Type, hint] =
    // Gradio's 403 for a file it does not serve (not the app's, or gone from its cache) is no login matter
    status === 403 && /^File not allowed/.test(String(detail)) ? [ConnectionError, 'The app does not serve this file (any more).']
    : status === 401 || status === 403 ? [AuthenticationError, 'Pass a valid token, or auth for apps with a login (a login ends when the server restarts: connect again).']
    : status === 429 ? [TooManyRequestsError, `Wait before retrying${res.headers.get('retry-after') ? ` (Retry-After: ${res.headers.get('retry-after')})` : ''}.`]
    : status === 503 && /queue is full/i.test(said) ? [QueueFullError, 'Retry later.'] // Gradio's; a proxy's 503 is not
    : [ConnectionError, ''];
  return new Type(`${said} ${hint}`.trim(), { status });
}
