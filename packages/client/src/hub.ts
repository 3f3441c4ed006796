import { ArgumentError } from './errors.js';
import { httpError, readJson, request, type HttpOptions } from './http.js';

/** Options that reach the Hugging Face Hub. */
export interface HubOptions extends HttpOptions {
  /** Hub base URL (default `https://huggingface.co`); point it elsewhere for tests or mirrors. */
  hubUrl?: string | undefined;
  /** Aborts the call, also while the Hub has not answered (with a `CancelledError`). */
  signal?: AbortSignal | undefined;
}

/** @internal One JSON request to the Hub API; `null` for 409 (already exists). */
export async function hub<R>(o: HubOptions, path: string, what: string, body?: unknown): Promise<R | null> {
  // The Hub redirects a renamed repo; fetch drops the Authorization header on the way to another host.
  const init: RequestInit = body ? { redirect: 'follow', method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : { redirect: 'follow' };
  // The Hub API takes the token as a plain Authorization header. The app's `headers` and
  // `credentials` are meant for the app: the Hub gets neither (as Python's client, which asks the
  // Hub with the token only).
  const headers: Record<string, string> = o.token ? { authorization: `Bearer ${o.token}` } : {};
  const res = await request(`${o.hubUrl ?? 'https://huggingface.co'}/api/${path}`, { ...init, signal: o.signal }, { fetch: o.fetch, timeout: o.timeout, headers }, new Map());
  if (res.status === 409) return null;
  if (!res.ok) throw await httpError(res, what);
  return readJson<R>(res, what, o.timeout, o.signal);
}

/** A Space id, `owner/name`: letters, digits, `_`, `-` and `.`, no `..`, neither part starting with `.`. */
export const SPACE_ID = /^(?!.*\.\.)[\w-][\w.-]*\/[\w-][\w.-]*$/;

/**
 * The Hub API path of a Space: `spaces/<owner>/<name>`. An id that is not one (`..`, `?`, another
 * `/`) would reach another route of the Hub, with the token.
 * @throws ArgumentError for such an id.
 */
export function spacePath(id: string): string {
  if (!SPACE_ID.test(id)) throw new ArgumentError(`${JSON.stringify(id)} is no Space id "owner/name".`);
  return `spaces/${id}`;
}

/** The base URL of a Space (`owner/name`), asked of the Hub. */
export async function spaceHost(id: string, o: HubOptions): Promise<string> {
  return (await hub<{ host: string }>(o, `${spacePath(id)}/host`, `Finding the Space ${id} on the Hub (private Spaces need a token)`))!.host;
}

/** Stages a Space does not leave by itself (an error, no app file, paused, being deleted): its owner has to act. */
export const STUCK = /ERROR|NO_APP|PAUSED|DELETING/;

/** A Space's runtime stage on the Hub (`RUNNING`, `SLEEPING`, `BUILDING`, `RUNTIME_ERROR`, …). */
export async function spaceStage(id: string, o: HubOptions): Promise<string | undefined> {
  return (await hub<{ stage?: string }>(o, `${spacePath(id)}/runtime`, `Reading the stage of the Space ${id}`))?.stage;
}
