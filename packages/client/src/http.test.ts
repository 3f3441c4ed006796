import { describe, expect, it } from 'vitest';
import { CancelledError, TimeoutError } from './errors.js';
import { request } from './http.js';

/** A fetch that behaves as the real one towards its signal: an aborted request is not sent. */
function recordingFetch() {
  const sent: string[] = [];
  const fetchLike: typeof fetch = async (input, init) => {
    init?.signal?.throwIfAborted();
    sent.push(String(input));
    return new Response('{}');
  };
  return { sent, fetchLike };
}

describe('request', () => {
  it('sends nothing for a caller whose signal has already aborted (a call cancelled before its upload)', async () => {
    const { sent, fetchLike } = recordingFetch();
    const error = await request('http://app.test/x', { signal: AbortSignal.abort() }, { fetch: fetchLike }, new Map()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect(sent).toEqual([]);
  });

  it('fails with a TimeoutError when no answer comes in time, and stops the request', async () => {
    let signal: AbortSignal | null | undefined;
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        signal = init?.signal;
        signal?.addEventListener('abort', () => reject(signal?.reason));
      });
    await expect(request('http://app.test/x', {}, { fetch: hanging, timeout: 20 }, new Map())).rejects.toBeInstanceOf(TimeoutError);
    expect(signal?.aborted).toBe(true);
  });
});

describe('request in a browser', () => {
  it("refuses a browser's opaque redirect (status 0, no location to see) as a redirect, not as the app's answer", async () => {
    const opaque: typeof fetch = async () => {
      const res = new Response(null);
      Object.defineProperties(res, { type: { value: 'opaqueredirect' }, status: { value: 0 }, ok: { value: false } });
      return res;
    };
    await expect(request('http://app.test/config', {}, { fetch: opaque }, new Map())).rejects.toMatchObject({
      name: 'ConnectionError',
      message: 'http://app.test/config redirects: not followed, the token and headers would go along.',
    });
  });
});
