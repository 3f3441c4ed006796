import { CancelledError, ConnectionError, TimeoutError } from './errors.js';
import { checkMs, request } from './http.js';
import { spaceHost, spaceStage, STUCK, type HubOptions } from './hub.js';

/** Options of {@link waitForSpace}. */
export interface WaitForSpaceOptions extends HubOptions {
  /** How long to wait at most, in ms (default 300,000: five minutes). */
  maxWait?: number | undefined;
  /** Time between two looks at the Space's stage, in ms (default 2,000, as Python's client). */
  interval?: number | undefined;
  /** Called with the Space's stage when it changes (`SLEEPING`, `BUILDING`, `APP_STARTING`, `RUNNING`, …), e.g. to show it. */
  onStage?: ((stage: string) => void) | undefined;
  /** Stops waiting (with a `CancelledError`). */
  signal?: AbortSignal | undefined;
}

/**
 * Waits until a Space (`owner/name`) runs, waking it if it sleeps, and returns its stage (`RUNNING`
 * or a `RUNNING_…` variant). Python's client waits like this while a Space builds; here it is a
 * function of its own, called before {@link Client.connect} (whose error names the stage of a
 * Space that is not running), so that apps which never wait do not bundle it.
 *
 * A request to the Space's host wakes a sleeping Space; then the Hub's runtime stage is polled.
 *
 * ```ts
 * await waitForSpace('acme/calc', { onStage: (stage) => setStatus(stage) });
 * const client = await Client.connect('acme/calc');
 * ```
 * @throws ConnectionError for a Space that cannot start by itself (a build or runtime error, no app file, paused, being deleted), or the Hub's failures
 *   (AuthenticationError for its 401 or 403: a private Space needs a `token`; TooManyRequestsError for its 429).
 * @throws TimeoutError when it does not run within `maxWait`, or the Hub does not answer one request within `timeout`.
 * @throws CancelledError when `signal` aborts.
 * @throws ArgumentError for an id that is no Space id ("owner/name").
 */
export async function waitForSpace(spaceId: string, options: WaitForSpaceOptions = {}): Promise<string> {
  const { maxWait = 300_000, interval = 2_000, onStage, signal } = options;
  checkMs(maxWait, 'maxWait');
  checkMs(interval, 'interval', true);
  checkMs(options.timeout, 'timeout');
  const deadline = Date.now() + maxWait;
  let last: string | undefined;
  let woken = false;
  for (;;) {
    if (signal?.aborted) throw new CancelledError(`Stopped waiting for the Space ${spaceId}.`);
    const stage = (await spaceStage(spaceId, options)) ?? 'UNKNOWN';
    if (stage !== last) onStage?.((last = stage));
    if (stage.startsWith('RUNNING')) return stage;
    if (STUCK.test(stage)) throw new ConnectionError(`The Space ${spaceId} is ${stage} and will not start by itself: its owner has to fix it.`);
    if (stage === 'SLEEPING' && !woken) {
      woken = true;
      const host = await spaceHost(spaceId, options);
      // any answer will do (a sleeping Space's is an error page): the request is what wakes it
      await request(`${host}/config`, { signal }, options, new Map())
        .then((r) => r.body?.cancel())
        .catch(() => {});
    }
    const wait = Math.min(interval, deadline - Date.now());
    if (wait <= 0) throw new TimeoutError(`The Space ${spaceId} is still ${stage} after ${maxWait / 1000} s. Wait longer (maxWait), or check it on the Hub.`);
    await new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve(); // during the wake request, which gives no error
      const done = () => (clearTimeout(timer), signal?.removeEventListener('abort', done), resolve());
      const timer = setTimeout(done, wait);
      signal?.addEventListener('abort', done);
    });
  }
}
