import { Client, type ClientOptions } from './client.js';
import { checkMs } from './http.js';
import { hub, spacePath, type HubOptions } from './hub.js';

/** Options of {@link duplicate} (besides the {@link ClientOptions} of the connection). */
export interface DuplicateOptions extends HubOptions {
  /** A Hugging Face token with write access (required). */
  token: string;
  /** The new Space id (`name` or `owner/name`); by default the source's name under your account. */
  toId?: string | undefined;
  /** Make the copy private (default `true`). */
  private?: boolean | undefined;
  /** Hardware of the copy, e.g. `cpu-basic`, `t4-small`. */
  hardware?: string | undefined;
  /** Minutes of inactivity before paid hardware sleeps (default 5); set only with a `hardware` other than `cpu-basic`, whose Spaces sleep as the Hub decides. */
  sleepTimeout?: number | undefined;
}

/**
 * Duplicates a Space into your account (or `toId`) and connects to the copy (Python
 * `Client.duplicate`). An existing copy is reused. Needs a `token` with write access. A function of
 * its own, so that apps that never duplicate do not bundle it.
 *
 * ```ts
 * const client = await duplicate('acme/calc', { token: 'hf_…', hardware: 't4-small' });
 * ```
 * @throws AuthenticationError for a missing or read-only token (the Hub's 401 or 403);
 *   TooManyRequestsError for its 429; TimeoutError when it does not answer within `timeout`;
 *   ConnectionError for other Hub failures; ArgumentError for an id that is no Space id.
 */
export async function duplicate(spaceId: string, options: DuplicateOptions & ClientOptions): Promise<Client> {
  const o = options;
  checkMs(o.timeout, 'timeout');
  const from = spacePath(spaceId);
  const what = `Duplicating ${spaceId}`;
  const owner = o.toId?.includes('/') ? o.toId.split('/')[0] : (await hub<{ name: string }>(o, 'whoami-v2', what))!.name;
  const target = `${owner}/${(o.toId ?? spaceId).split('/').pop()}`;
  await hub(o, `${from}/duplicate`, what, { repository: target, private: o.private ?? true, ...(o.hardware && { hardware: o.hardware }) });
  if (o.hardware && o.hardware !== 'cpu-basic') await hub(o, `${spacePath(target)}/sleeptime`, what, { seconds: (o.sleepTimeout ?? 5) * 60 });
  return Client.connect(target, options);
}
