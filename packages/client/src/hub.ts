import { httpError, request, type HttpOptions } from './http.js';

/** Options that reach the Hugging Face Hub. */
export interface HubOptions extends HttpOptions {
  /** Hub base URL (default `https://huggingface.co`); point it elsewhere for tests or mirrors. */
  hubUrl?: string;
}

/** Options of `Client.duplicate`. */
export interface DuplicateOptions extends HubOptions {
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

async function hub<R>(o: HubOptions, path: string, what: string, body?: unknown): Promise<R | null> {
  const init = body ? { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : undefined;
  const res = await request(`${o.hubUrl ?? 'https://huggingface.co'}/api/${path}`, init, o, new Map());
  if (res.status === 409) return null;
  if (!res.ok) throw await httpError(res, what);
  return (await res.json()) as R;
}

/** The base URL of a Space (`owner/name`), asked of the Hub. */
export async function spaceHost(id: string, o: HubOptions): Promise<string> {
  return (await hub<{ host: string }>(o, `spaces/${id}/host`, `Finding the Space ${id} on the Hub (private Spaces need a token)`))!.host;
}

/** Duplicates a Space (an existing copy is reused) and returns the copy's id. */
export async function duplicateSpace(id: string, o: DuplicateOptions): Promise<string> {
  const what = `Duplicating ${id}`;
  const owner = o.toId?.includes('/') ? o.toId.split('/')[0] : (await hub<{ name: string }>(o, 'whoami-v2', what))!.name;
  const target = `${owner}/${(o.toId ?? id).split('/').pop()}`;
  await hub(o, `spaces/${id}/duplicate`, what, { repository: target, private: o.private ?? true, ...(o.hardware && { hardware: o.hardware }) });
  if (o.hardware && o.hardware !== 'cpu-basic') await hub(o, `spaces/${target}/sleeptime`, what, { seconds: (o.sleepTimeout ?? 5) * 60 });
  return target;
}
