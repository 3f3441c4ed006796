import { describe, expect, it, vi } from 'vitest';
import { httpError, layered, readBody, readJson, readText, request } from './http.js';
import {
  AuthenticationError,
  CancelledError,
  ConnectionError,
  GradioError,
  QueueFullError,
  TooManyRequestsError,
  ValidationError,
} from './errors.js';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const text = (status: number, body: string) => new Response(body, { status, headers: { 'content-type': 'text/plain' } });

describe('httpError', () => {
  it.each([401, 403])('%i → AuthenticationError with the status and the server detail', async (status) => {
    const error = await httpError(json(status, { detail: 'Not authenticated' }), 'POST /queue/join');
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toBeInstanceOf(GradioError);
    expect(error.name).toBe('AuthenticationError');
    expect(error.status).toBe(status);
    expect(error.message).toContain('Not authenticated');
    expect(error.message).toContain('POST /queue/join');
    expect(error.message).toContain(String(status));
    // a client that logged in gets this after the server restarted (its login cookie is no longer known)
    expect(error.message).toMatch(/a login ends when the server restarts: connect again\)\.$/);
  });

  it('403 for a file the app does not serve → ConnectionError, without the login hint', async () => {
    const error = await httpError(json(403, { detail: 'File not allowed: /tmp/gradio/x/a.txt.' }), 'Downloading http://h/file=a.txt');
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).not.toBeInstanceOf(AuthenticationError);
    expect(error.status).toBe(403);
    expect(error.message).toBe('Downloading http://h/file=a.txt: HTTP 403 — File not allowed: /tmp/gradio/x/a.txt. The app does not serve this file (any more).');
  });

  it("gives an HTML page's title (a proxy's 502), or its text without the markup", async () => {
    const html = (body: string) => new Response(body, { status: 502, headers: { 'content-type': 'text/html; charset=utf-8' } });
    const nginx = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
    const error = await httpError(html(nginx), 'POST /queue/join');
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toBe('POST /queue/join: HTTP 502 — 502 Bad Gateway.');
    expect((await httpError(html('<p>Upstream <b>down</b></p>'), 'GET /config')).message).toBe('GET /config: HTTP 502 — Upstream down.');
    expect((await httpError(html(''), 'GET /config')).message).toBe('GET /config: HTTP 502.');
  });

  it('429 → TooManyRequestsError', async () => {
    const error = await httpError(json(429, { error: 'You have exceeded your GPU quota' }), 'GET /config');
    expect(error).toBeInstanceOf(TooManyRequestsError);
    expect(error.status).toBe(429);
    expect(error.message).toContain('You have exceeded your GPU quota');
  });

  it("429 with Retry-After: the message gives the server's wait", async () => {
    const error = await httpError(new Response('slow down', { status: 429, headers: { 'retry-after': '30' } }), 'POST /queue/join');
    expect(error).toBeInstanceOf(TooManyRequestsError);
    expect(error.message).toBe('POST /queue/join: HTTP 429 — slow down. Wait before retrying (Retry-After: 30).');
  });

  it('503 → QueueFullError with the server detail (real gradio message)', async () => {
    const error = await httpError(json(503, { detail: 'Queue is full. Max size is 1 and size is 1.' }), 'POST /gradio_api/queue/join');
    expect(error).toBeInstanceOf(QueueFullError);
    expect(error.status).toBe(503);
    expect(error.message).toContain('Queue is full. Max size is 1 and size is 1.');
  });

  it("takes any other 503 (a proxy's page, a stopping server) for what it is, not for a full queue", async () => {
    const page = new Response('<html><head><title>503 Service Temporarily Unavailable</title></head></html>', { status: 503, headers: { 'content-type': 'text/html' } });
    for (const [res, words] of [
      [page, '503 Service Temporarily Unavailable.'],
      [json(503, { detail: 'Queue is stopped.' }), 'Queue is stopped.'], // Gradio, shutting down
    ] as const) {
      const error = await httpError(res, 'GET /gradio_api/info');
      expect(error).not.toBeInstanceOf(QueueFullError);
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error.status).toBe(503);
      expect(error.message).toBe(`GET /gradio_api/info: HTTP 503 — ${words}`);
    }
  });

  it('422 with a list detail (gradio validator=) → ValidationError with issues', async () => {
    const detail = [
      { __type__: 'validate', is_valid: false, message: 'Must be positive', parameter_name: 'a' },
      { __type__: 'validate', is_valid: false, message: 'Too long', parameter_name: 'text' },
    ];
    const error = await httpError(json(422, { detail }), 'POST /queue/join');
    expect(error).toBeInstanceOf(ValidationError);
    const v = error as ValidationError;
    expect(v.status).toBe(422);
    expect(v.issues).toEqual([
      { parameterName: 'a', message: 'Must be positive' },
      { parameterName: 'text', message: 'Too long' },
    ]);
    expect(v.message).toContain('2 parameter(s) failed validation');
    expect(v.message).toContain('a: Must be positive');
    expect(v.message).toContain('text: Too long');
  });

  it('422 with a string detail → ValidationError without issues, keeping the detail', async () => {
    const error = await httpError(json(422, { detail: 'Invalid input' }), 'POST /queue/join');
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([]);
    expect(error.message).toContain('Invalid input');
  });

  it('422 from FastAPI request validation keeps the server detail in the message', async () => {
    const detail = [{ type: 'missing', loc: ['body', 'session_hash'], msg: 'Field required', input: {} }];
    const error = await httpError(json(422, { detail }), 'POST /queue/join');
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toContain('Field required');
    // the parameter is the last part of `loc` (`body` only says where FastAPI looked)
    expect((error as ValidationError).issues).toEqual([{ parameterName: 'session_hash', message: 'Field required' }]);
    expect(error.message).toBe('1 parameter(s) failed validation: session_hash: Field required');
  });

  it('names an answer that is not JSON by its content type, or as text when it has none', async () => {
    const html = new Response('<p>hi</p>', { headers: { 'content-type': 'text/html' } });
    await expect(readJson(html, 'GET /config')).rejects.toThrow(new ConnectionError('GET /config: the answer is text/html, not JSON.'));
    const untyped = new Response(new TextEncoder().encode('hi')); // bytes: no content type at all
    await expect(readJson(untyped, 'GET /config')).rejects.toThrow(new ConnectionError('GET /config: the answer is text, not JSON.'));
  });

  it('words the odd answer plainly: an issue naming no parameter, a detail that ends its own sentence', async () => {
    const unnamed = await httpError(json(422, { detail: [{ message: 'too long' }] }), 'POST /queue/join');
    expect(unnamed.message).toBe('1 parameter(s) failed validation: an argument: too long'); // not "null: too long"
    expect((unnamed as ValidationError).issues).toEqual([{ parameterName: null, message: 'too long' }]);
    expect((await httpError(json(401, { detail: 'Invalid token!' }), 'GET /config')).message).toMatch(/^GET \/config: HTTP 401 — Invalid token! Pass/);
    expect((await httpError(json(500, { detail: 'Why?' }), 'GET /config')).message).toBe('GET /config: HTTP 500 — Why?');
    expect((await httpError(json(500, { detail: 'Down' }), 'GET /config')).message).toBe('GET /config: HTTP 500 — Down.');
  });

  it.each([400, 404, 500, 502])('%i → ConnectionError with the status', async (status) => {
    const error = await httpError(json(status, { detail: `detail for ${status}` }), 'GET /info');
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.status).toBe(status);
    expect(error.message).toContain(`detail for ${status}`);
    expect(error.message).toContain(`HTTP ${status}`);
    expect(error.message).toContain('GET /info');
  });

  it("413 (a file over the app's max_file_size, or a proxy's body limit) → ValidationError saying to send less", async () => {
    const error = await httpError(json(413, { detail: 'File size exceeded maximum allowed size of 1024 bytes.' }), 'POST /gradio_api/upload');
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.status).toBe(413);
    // one full stop between the server's sentence and ours
    expect(error.message).toBe('POST /gradio_api/upload: HTTP 413 — File size exceeded maximum allowed size of 1024 bytes. Send a smaller file.');
    expect((await httpError(text(413, ''), 'POST /upload')).message).toBe('POST /upload: HTTP 413. Send a smaller file.');
  });

  it('uses a plain-text body as the detail', async () => {
    const error = await httpError(text(500, 'Internal Server Error'), 'GET /config');
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toContain('Internal Server Error');
  });

  it('prefers detail, then error, then the whole JSON body', async () => {
    expect((await httpError(json(500, { detail: 'D', error: 'E' }), 'x')).message).toContain('D');
    expect((await httpError(json(500, { error: 'E only' }), 'x')).message).toContain('E only');
    expect((await httpError(json(500, { other: 'thing' }), 'x')).message).toContain('{"other":"thing"}');
  });

  it('stringifies a structured detail', async () => {
    const error = await httpError(json(400, { detail: { reason: 'bad fn_index' } }), 'POST /queue/join');
    expect(error.message).toContain('bad fn_index');
  });

  it('handles an empty body', async () => {
    const error = await httpError(new Response(null, { status: 404 }), 'GET /config');
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.status).toBe(404);
    expect(error.message).toContain('HTTP 404');
  });

  it('truncates a huge body', async () => {
    const error = await httpError(text(500, 'x'.repeat(10_000)), 'GET /config');
    expect(error.message.length).toBeLessThan(1_000);
  });

  it('maps an error answer whose body stalls, after the time limit, without its words', async () => {
    vi.useFakeTimers();
    try {
      const body = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new TextEncoder().encode('{"detail": "Que')) });
      const pending = httpError(new Response(body, { status: 429 }), 'POST /queue/join');
      await vi.advanceTimersByTimeAsync(30_000);
      const error = await pending;
      expect(error).toBeInstanceOf(TooManyRequestsError);
      expect(error.message).toBe('POST /queue/join: HTTP 429. Wait before retrying.');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('readText', () => {
  it('stops at 100 MB, failing with a ConnectionError, instead of filling the memory with an answer that never ends', async () => {
    let sent = 0;
    const mb = new Uint8Array(1e6).fill(32);
    const endless = new ReadableStream<Uint8Array>({ pull: (c) => void ((sent += mb.length), c.enqueue(mb)) });
    await expect(readText(new Response(endless), 'GET /config')).rejects.toThrow(new ConnectionError('GET /config failed (the answer is over 100 MB).'));
    expect(sent).toBeLessThan(110e6); // and it stopped reading
    expect(await readText(new Response(new Uint8Array(5e6).fill(32)), 'GET /info')).toHaveLength(5e6);
  });
});

describe('readBody', () => {
  it('fails with a CancelledError, not a body cut short, when its signal aborts midway (whatever the fetch does with it)', async () => {
    const stop = new AbortController();
    // a first part, then nothing yet: the stream stays open
    const body = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new TextEncoder().encode('part')) });
    const reading = readBody(new Response(body), 'Downloading x', 30_000, stop.signal);
    await Promise.resolve();
    stop.abort();
    await expect(reading).rejects.toThrow(new CancelledError('Downloading x was aborted.'));
  });
});

describe('request time limits', () => {
  it.each([0, Infinity, null])('has none with %s: a slow answer is waited for (a timer of Infinity ms would fire at once)', async (ms) => {
    // answers after 30 ms, unless aborted first (as fetch does)
    const slow: typeof fetch = (_, init) =>
      new Promise((resolve, reject) => {
        setTimeout(() => resolve(new Response('late')), 30);
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    const res = await request('http://app.test/x', {}, { fetch: slow }, new Map(), ms);
    expect(await res.text()).toBe('late');
  });

  it.each([0, Infinity])('reads a body that pauses, with %s as its stall limit', async (ms) => {
    const body = new ReadableStream<Uint8Array>({
      async start(c) {
        c.enqueue(new TextEncoder().encode('a'));
        await new Promise((r) => setTimeout(r, 30));
        c.enqueue(new TextEncoder().encode('b'));
        c.close();
      },
    });
    const chunks = await readBody(new Response(body), 'GET /x', ms);
    expect(new TextDecoder().decode(Buffer.concat(chunks))).toBe('ab');
  });
});

describe('layered headers', () => {
  it('merges records, Headers objects and pairs, later over earlier, names in lower case', () => {
    expect(layered({ 'X-App': 'a', 'X-IP-Token': 'client' }, undefined, new Headers({ 'x-ip-token': 'headers' }), [['X-Extra', 'pair']])).toEqual({
      'x-app': 'a',
      'x-ip-token': 'headers',
      'x-extra': 'pair',
    });
    expect(layered({ 'content-type': 'application/json' }, { 'Content-Type': 'text/plain' })).toEqual({ 'content-type': 'text/plain' });
    expect(layered()).toEqual({});
  });
});
