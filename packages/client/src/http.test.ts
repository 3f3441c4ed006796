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
