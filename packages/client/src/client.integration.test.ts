import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getEventListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { inflateSync, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeServer, gradioUrl, json, tempDir, major, runPython, since, ssr, startGradio, subPathProxy, type GradioServer } from '../test/helpers.js';
import {
  duplicate,
  waitForSpace,
  AppError,
  ArgumentError,
  AuthenticationError,
  CancelledError,
  Client,
  ConnectionError,
  EndpointNotFoundError,
  formatApi,
  handleFile,
  TimeoutError,
  ValidationError,
  type FileData,
} from './index.js';

let client: Client;
beforeAll(async () => {
  client = await Client.connect(gradioUrl());
});
afterAll(() => client.close());

/** With server-side rendering (Gradio ≥ 5), a path that is not the app's gets the app's HTML page. */
const htmlFront = () => ssr();
/** What a Gradio server answers for the /config of a path that has none. */
const noConfig = () => (htmlFront() ? '/config answered text/html' : 'HTTP 404 for /config');

describe('connect', () => {
  it('reads the config, protocol, version and API prefix', () => {
    expect(client.config.protocol).toBe('sse_v3');
    expect(client.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(client.apiPrefix).toBe(major() >= 5 ? '/gradio_api' : '');
    expect(client.url).toBe(gradioUrl());
  });

  it('lists the endpoints callable by name without fetching /info', () => {
    expect(client.endpoints).toContain('/calculate');
    expect(client.endpoints).toContain('/hidden_docs');
    expect(client.endpoints).not.toContain('/secret_private');
  });

  it('keeps the URL it was given, without a trailing slash', async () => {
    const c = await Client.connect(gradioUrl() + '/');
    expect(c.url).toBe(gradioUrl());
    c.close();
  });

  it("goes where a /config redirect on the app's origin leads (the calls then go there direct)", async () => {
    const proxy = await subPathProxy(gradioUrl(), '/app', { moved: true }); // / answers 301 to /app/
    const origin = new URL(proxy.url).origin;
    try {
      const c = await Client.connect(origin, { token: 'hf_secret' });
      expect(c.url).toBe(proxy.url);
      // through the redirect, a POST would become a GET (HTTP 405), and an upload lose its form
      expect(await c.predict('/calculate', { a: 6, b: 7, operation: 'multiply' })).toEqual([42]);
      const [file] = (await c.predict('/echo_file', [handleFile(new Blob(['moved']), { name: 'm.txt' })])) as [FileData];
      expect(await (await c.download(file)).text()).toBe('moved');
      c.close();
    } finally {
      await proxy.close();
    }
  });

  it("refuses a config whose API prefix is no path (glued to the app's URL, it would change the host the token goes to)", async () => {
    const config = (await (await fetch(`${gradioUrl()}/config`)).json()) as Record<string, unknown>;
    const asked: string[] = [];
    for (const prefix of ['.evil.test/gradio_api', '@evil.test/gradio_api']) {
      const app = await fakeServer((_, res) => json(res, 200, { ...config, api_prefix: prefix }));
      try {
        const connecting = Client.connect(app.url, { token: 'hf_secret', fetch: (url, init) => (asked.push(String(url)), fetch(url, init)) });
        await expect(connecting).rejects.toMatchObject({ name: 'ConnectionError', message: `${app.url} gives the API prefix ${JSON.stringify(prefix)}, which is no path.` });
      } finally {
        await app.close();
      }
    }
    expect(asked.every((u) => u.endsWith('/config'))).toBe(true);
  });

  it('follows no redirect that would take the token, headers, password or a body to another place', async () => {
    // an app that wants the token: it sends requests on to a host of its own
    const thief = await fakeServer((_, res) => json(res, 200, {}));
    const evil = await fakeServer((req, res) => {
      if (req.url === '/config') return void res.writeHead(302, { location: `${gradioUrl()}/config` }).end(); // another port: another origin
      res.writeHead(307, { location: `${thief.url}${req.url}` }).end();
    });
    try {
      await expect(Client.connect(evil.url, { token: 'hf_secret' })).rejects.toMatchObject({
        name: 'ConnectionError',
        status: 302,
        message: `${evil.url}/config redirects to ${gradioUrl()}/config: not followed, the token and headers would go along. Connect to the app's URL.`,
      });
      await expect(Client.connect(evil.url, { auth: ['alice', 'secret'] })).rejects.toThrow(`${evil.url}/login redirects to ${thief.url}/login: not followed, the token and headers would go along.`);
      // the app's API and its files, redirected by the app
      const c = await Client.connect(gradioUrl(), {
        token: 'hf_secret',
        headers: { 'x-api-key': 'k' },
        fetch: (url, init) => fetch(/\/(queue\/join|file=)/.test(String(url)) ? String(url).replace(gradioUrl(), evil.url) : url, init),
      });
      await expect(c.predict('/echo', ['x'])).rejects.toMatchObject({
        name: 'ConnectionError',
        status: 307,
        message: `${gradioUrl()}${c.apiPrefix}/queue/join redirects to ${thief.url}${c.apiPrefix}/queue/join: not followed, the token and headers would go along.`,
      });
      await expect(c.download(`${gradioUrl()}${c.apiPrefix}/file=x.txt`)).rejects.toThrow(/file=x\.txt redirects to .*: not followed, the token and headers would go along\.$/);
      c.close();
      expect(thief.requests).toEqual([]);
    } finally {
      await Promise.all([thief.close(), evil.close()]);
    }
  });

  it('keeps a sub-path: an app behind a proxy at /apps/calc works end to end, files included', async () => {
    const proxy = await subPathProxy(gradioUrl(), '/apps/calc');
    try {
      const c = await Client.connect(proxy.url + '/');
      expect(c.url).toBe(proxy.url);
      expect(await c.predict('/calculate', { a: 6, b: 7, operation: 'multiply' })).toEqual([42]);
      const job = c.submit<[string]>('/stream_text', { prompt: 'sub', n_tokens: 3, delay: 0 });
      expect(await job.result()).toEqual(['sub tok1 tok2 tok3']);
      const [file] = (await c.predict('/echo_file', [handleFile(new Blob(['behind a proxy']), { name: 'p.txt' })])) as [FileData];
      // the server's own `root` says where it listens; the URL must be the one we connected to
      expect(c.config.root ?? '').not.toContain('/apps/calc');
      expect(file.url!.startsWith(`${proxy.url}${c.apiPrefix}/file=`)).toBe(true);
      expect(await (await c.download(file)).text()).toBe('behind a proxy');
      c.close();
    } finally {
      await proxy.close();
    }
  });

  it('resolves a Space id through the Hub host endpoint, sending the token', async () => {
    const hub = await fakeServer((req, res) =>
      req.url === '/api/spaces/acme/calc/host' ? json(res, 200, { subdomain: 'acme-calc', host: gradioUrl() }) : json(res, 404, { error: 'Repository not found' }),
    );
    const toApp: Headers[] = [];
    const recording: typeof fetch = (input, init) => {
      if (String(input).startsWith(gradioUrl())) toApp.push(new Headers(init?.headers));
      return fetch(input, init);
    };
    try {
      const c = await Client.connect('acme/calc', { hubUrl: hub.url, token: 'hf_test', fetch: recording, headers: { 'x-app-key': 'for the app' } });
      expect(c.url).toBe(gradioUrl());
      expect(await c.predict('/calculate', [1, 2, 'add'])).toEqual([3]);
      expect(hub.requests[0]!.headers.authorization).toBe('Bearer hf_test');
      expect(hub.requests[0]!.headers['x-hf-authorization']).toBeUndefined();
      expect(hub.requests[0]!.headers['x-app-key']).toBeUndefined(); // the app's headers are the app's
      // the app gets the token only in the header that the Spaces proxy strips (its code never sees it)
      expect(toApp.length).toBeGreaterThanOrEqual(3); // config, join, stream
      for (const h of toApp) expect([h.get('x-hf-authorization'), h.get('authorization'), h.get('x-app-key')]).toEqual(['Bearer hf_test', null, 'for the app']);
      c.close();
      // the Space's page on the Hub, as copied from a browser, is taken as its id
      const fromPage = await Client.connect(`${hub.url}/spaces/acme/calc?logs=container#top`, { hubUrl: hub.url });
      expect(fromPage.url).toBe(gradioUrl());
      expect(hub.requests.at(-1)!.url).toBe('/api/spaces/acme/calc/host');
      fromPage.close();
      await expect(Client.connect('acme/missing', { hubUrl: hub.url })).rejects.toThrow(/acme\/missing/);
    } finally {
      await hub.close();
    }
  });

  it('follows the Hub to a renamed Space (its API redirects the old id to the new one), with the token', async () => {
    const hub = await fakeServer((req, res) => {
      if (req.url === '/api/spaces/acme/old-calc/host') return void res.writeHead(307, { location: '/api/spaces/acme/calc/host' }).end();
      if (req.url === '/api/spaces/acme/calc/host') return json(res, 200, { host: gradioUrl() });
      json(res, 404, { error: 'Repository not found' });
    });
    try {
      const c = await Client.connect('acme/old-calc', { hubUrl: hub.url, token: 'hf_test' });
      expect(c.url).toBe(gradioUrl());
      c.close();
      expect(hub.requests.map((r) => [r.url, r.headers.authorization])).toEqual([
        ['/api/spaces/acme/old-calc/host', 'Bearer hf_test'],
        ['/api/spaces/acme/calc/host', 'Bearer hf_test'], // the same host: fetch keeps the header
      ]);
    } finally {
      await hub.close();
    }
  });

  it('fails with a ConnectionError when the Hub answers something that is not JSON (a wrong hubUrl, a captive portal)', async () => {
    const portal = await fakeServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Sign in to the Wi-Fi</h1>'));
    try {
      const error = await Client.connect('acme/calc', { hubUrl: portal.url }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as Error).message).toBe('Finding the Space acme/calc on the Hub (private Spaces need a token): the answer is text/html, not JSON.');
    } finally {
      await portal.close();
    }
  });

  it('fails with a TimeoutError when the Hub stalls in the middle of an answer', async () => {
    const hub = await fakeServer((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"subdomain": "acme-calc", '); // and nothing more, on a connection that stays open
    });
    try {
      const stalled = await Client.connect('acme/calc', { hubUrl: hub.url, timeout: 300 }).catch((e: unknown) => e);
      expect(stalled).toBeInstanceOf(TimeoutError);
      expect((stalled as Error).message).toBe('Finding the Space acme/calc on the Hub (private Spaces need a token): nothing arrived for 300 ms.');
    } finally {
      await hub.close();
    }
  });

  it("says a Space is not running from the Hub's runtime stage, asked only when its /config fails", async () => {
    // what the Spaces proxy serves in place of an app (faked: this machine cannot reach huggingface.co)
    const down = await fakeServer((_, res) => res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>Space not running</h1>'));
    const stages: Record<string, string> = { calc: 'RUNNING', sleepy: 'SLEEPING', broken: 'RUNTIME_ERROR', paused: 'PAUSED', flaky: 'RUNNING' };
    const hub = await fakeServer((req, res) => {
      const [, name, what] = /^\/api\/spaces\/acme\/(\w+)\/(host|runtime)$/.exec(req.url ?? '') ?? [];
      if (!name || !stages[name]) return json(res, 404, { error: 'Repository not found' });
      json(res, 200, what === 'host' ? { host: name === 'calc' ? gradioUrl() : down.url } : { stage: stages[name], hardware: { current: 'cpu-basic' } });
    });
    try {
      (await Client.connect('acme/calc', { hubUrl: hub.url })).close();
      expect(hub.requests.map((r) => r.url)).toEqual(['/api/spaces/acme/calc/host']); // nothing more when it runs
      const sleepy = await Client.connect('acme/sleepy', { hubUrl: hub.url }).catch((e: unknown) => e);
      expect(sleepy).toBeInstanceOf(ConnectionError);
      expect((sleepy as Error).message).toBe(`The Space acme/sleepy is SLEEPING, so ${down.url} serves no app. Connect again once it is RUNNING (waitForSpace() waits for that).`);
      expect((sleepy as Error).cause).toMatchObject({ status: 503 }); // what /config answered
      await expect(Client.connect('acme/broken', { hubUrl: hub.url })).rejects.toThrow(/is RUNTIME_ERROR, .* Its owner has to fix it\./);
      await expect(Client.connect('acme/paused', { hubUrl: hub.url })).rejects.toThrow(/is PAUSED, .* Its owner has to fix it\./); // waiting would not help
      // running, yet /config failed: the Hub has nothing to add, the error is /config's own
      await expect(Client.connect('acme/flaky', { hubUrl: hub.url })).rejects.toThrow(/^Reading .*\/config: HTTP 503 — Space not running\.$/); // not "the queue is full"
      expect(hub.requests.map((r) => r.url).filter((u) => u.endsWith('/runtime'))).toEqual(['/api/spaces/acme/sleepy/runtime', '/api/spaces/acme/broken/runtime', '/api/spaces/acme/paused/runtime', '/api/spaces/acme/flaky/runtime']);
    } finally {
      await Promise.all([hub.close(), down.close()]);
    }
  });

  it('sends oauthToken only to endpoints that take a gr.OAuthToken (Gradio ≥ 6.21 passes it to the app)', async () => {
    const joins: Record<string, unknown>[] = [];
    const recording: typeof fetch = (input, init) => {
      if (String(input).endsWith('/queue/join')) joins.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
      return fetch(input, init);
    };
    // before 5.45 the server cannot run a gr.OAuthToken endpoint without the session middleware
    // that a gr.LoginButton brings (and that needs an HF login on its machine): the call fails
    const runs = since(5, 45);
    const outcome = (call: Promise<unknown[]>) => call.then(([text]) => text, (e: unknown) => (!runs && e instanceof AppError ? 'server error' : e));
    const c = await Client.connect(gradioUrl(), { oauthToken: 'hf_oauth1234', fetch: recording });
    const takes = since(6, 21);
    expect(await outcome(c.predict('/oauth_echo', ['hi']))).toBe(takes ? 'hi: token ...1234' : runs ? 'hi: no token' : 'server error');
    expect(await c.predict('/echo', ['x'])).toEqual(['x']);
    // older servers do not declare the endpoint as wanting a token: it is sent nowhere
    expect(joins.map((j) => j.oauth_token)).toEqual([takes ? 'hf_oauth1234' : undefined, undefined]);
    c.close();
    // without the option nothing reaches the app
    expect(await outcome(client.predict('/oauth_echo', ['hi']))).toBe(runs ? 'hi: no token' : 'server error');
  });

  it('fails with a ConnectionError for an unreachable URL', async () => {
    const error = await Client.connect('http://127.0.0.1:9').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    // a browser says the same of a request its CORS check refused ("Failed to fetch")
    expect((error as Error).message).toMatch(/^Could not reach http:\/\/127\.0\.0\.1:9\/config \(.+\)\. Check the URL and that the server runs \(from a web page: that it allows the page's origin, CORS\)\.$/);
  });

  it('fails with a ConnectionError naming what it found on a page that is not Gradio', async () => {
    const page = await fakeServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>Not Gradio</title>');
    });
    try {
      await expect(Client.connect(page.url)).rejects.toThrow(`${page.url} has no Gradio config (/config answered text/html): give the URL of the page that shows the app`);
      await expect(Client.connect(page.url)).rejects.toBeInstanceOf(ConnectionError);
    } finally {
      await page.close();
    }
  });

  it('says that a /config answer cut short is cut short, not that the app has no config', async () => {
    const config = JSON.stringify(await (await fetch(`${gradioUrl()}/config`)).json());
    const cut = await fakeServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(config.slice(0, config.length >> 1));
    });
    try {
      const error = await Client.connect(cut.url).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as Error).message).toBe(`Reading ${cut.url}/config: the answer is malformed JSON (cut short?).`);
    } finally {
      await cut.close();
    }
  });

  it('says which URL to give when the one given has no /config (a wrong path on a Gradio server)', async () => {
    const error = await Client.connect(`${gradioUrl()}/not/the/app`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    // with server-side rendering, the server answers any path with its HTML page
    expect((error as ConnectionError).status).toBe(htmlFront() ? undefined : 404);
    expect((error as Error).message).toBe(`${gradioUrl()}/not/the/app has no Gradio config (${noConfig()}): give the URL of the page that shows the app, with the path it is mounted at.`);
  });

  it("takes the URL of a page of a multipage app (demo.route, Gradio ≥ 5.15) as its app's", async () => {
    const connecting = Client.connect(`${gradioUrl()}/second/`);
    if (!since(5, 15)) {
      await expect(connecting).rejects.toThrow(`${gradioUrl()}/second has no Gradio config (${noConfig()}): the Gradio app is at ${gradioUrl()}, which has no page "second".`);
      return;
    }
    const c = await connecting;
    expect(c.url).toBe(gradioUrl());
    expect(await c.predict('/echo', ['from the second page'])).toEqual(['from the second page']);
    c.close();
    // a path that is not one of its pages is still refused
    await expect(Client.connect(`${gradioUrl()}/third`)).rejects.toThrow(`${gradioUrl()}/third has no Gradio config (${noConfig()}): the Gradio app is at ${gradioUrl()}, which has no page "third".`);
  });

  it('fails with a TimeoutError when an answer stalls midway (a dead link that stays open), instead of waiting for ever', async () => {
    // the link passes the answer's status and headers, then nothing of its body
    const proxy = await subPathProxy(gradioUrl(), '/dead', { stalled: () => true });
    try {
      const error = await Client.connect(proxy.url, { timeout: 1_000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as Error).message).toBe(`Reading ${proxy.url}/config: nothing arrived for 1000 ms.`);
    } finally {
      await proxy.close();
    }
  });

  it('refuses an unsupported protocol with the version it found', async () => {
    const old = await fakeServer((_req, res) => json(res, 200, { version: '3.50.2', components: [], dependencies: [] }));
    try {
      await expect(Client.connect(old.url)).rejects.toThrow(/Gradio 3\.50\.2 with the "ws" protocol/);
    } finally {
      await old.close();
    }
  });

  it('rejects a malformed src before any request, saying what to give', async () => {
    const sent: string[] = [];
    const fetch = (input: RequestInfo | URL) => (sent.push(String(input)), Promise.reject(new Error('no request expected')));
    await expect(Client.connect('not a url', { fetch })).rejects.toBeInstanceOf(ArgumentError); // bad input, as duplicate() and waitForSpace() say it
    // a host and port without the scheme, and an unset variable
    await expect(Client.connect('127.0.0.1:7860', { fetch })).rejects.toThrow(
      new ArgumentError('"127.0.0.1:7860" is neither an http(s) URL nor a Space id "owner/name": give "http://127.0.0.1:7860".'),
    );
    await expect(Client.connect(undefined as unknown as string, { fetch })).rejects.toThrow(/^undefined is neither an http\(s\) URL/);
    // what would reach another route of the Hub (the rule of duplicate() and waitForSpace() too)
    await expect(Client.connect('acme/..', { fetch })).rejects.toThrow(new ArgumentError('"acme/.." is neither an http(s) URL nor a Space id "owner/name".'));
    // a path, which Node has no page to read it against
    await expect(Client.connect('/gradio', { fetch })).rejects.toThrow(
      new ArgumentError(`"/gradio" is neither an http(s) URL nor a Space id "owner/name" (a path is read as a URL on the page's origin only in a browser or worker).`),
    );
    expect(sent).toEqual([]);
  });

  it("takes a path as a URL on the page's origin in a browser: an app behind a dev server's proxy at /gradio", async () => {
    const proxy = await subPathProxy(gradioUrl(), '/gradio');
    const origin = new URL(proxy.url).origin;
    vi.stubGlobal('location', new URL(`${origin}/some/page?tab=1`));
    try {
      const c = await Client.connect(' /gradio/ ');
      expect(c.url).toBe(`${origin}/gradio`);
      expect(await c.predict('/echo', ['through the proxy'])).toEqual(['through the proxy']);
      const [file] = (await c.predict('/echo_file', [handleFile(new Blob(['proxied']), { name: 'p.txt' })])) as [FileData];
      expect(file.url!.startsWith(`${origin}/gradio${c.apiPrefix}/file=`)).toBe(true);
      c.close();
    } finally {
      vi.unstubAllGlobals();
      await proxy.close();
    }
  });

  it('takes a URL with spaces or a newline around it, and a scheme in capitals', async () => {
    for (const src of [` ${gradioUrl()}\n`, gradioUrl().replace(/^http/, 'HTTP')]) {
      const c = await Client.connect(src);
      try {
        expect(c.url.toLowerCase()).toBe(gradioUrl().toLowerCase());
        expect(await c.predict('/echo', ['ok'])).toEqual(['ok']);
      } finally {
        c.close();
      }
    }
  });

  it('times out with a TimeoutError and honours an abort signal', async () => {
    const silent = await fakeServer(() => {});
    try {
      // the limit given, not the default (30 s)
      await expect(Client.connect(silent.url, { timeout: 300 })).rejects.toThrow(new TimeoutError(`${silent.url}/config did not answer within 300 ms (the \`timeout\` option).`));
      const controller = new AbortController();
      const pending = Client.connect(silent.url, { signal: controller.signal });
      controller.abort();
      await expect(pending).rejects.toBeInstanceOf(CancelledError);
    } finally {
      await silent.close();
    }
  });
});

describe('login', () => {
  let server: GradioServer;
  beforeAll(async () => {
    server = await startGradio({ auth: ['ada', 'lovelace'] });
  });
  afterAll(() => server.stop());

  it('logs in with auth and calls endpoints with the session cookie', async () => {
    const credentials: (RequestCredentials | undefined)[] = [];
    const c = await Client.connect(server.url, { auth: ['ada', 'lovelace'], fetch: (input, init) => (credentials.push(init?.credentials), fetch(input, init)) });
    expect(await c.predict('/calculate', { a: 4, b: 5, operation: 'multiply' })).toEqual([20]);
    c.close();
    // a browser sends the login cookie to an app on another origin only with 'include'
    expect(credentials.length).toBeGreaterThanOrEqual(3);
    expect(new Set(credentials)).toEqual(new Set(['include']));
    const chosen: (RequestCredentials | undefined)[] = [];
    (await Client.connect(server.url, { auth: ['ada', 'lovelace'], credentials: 'same-origin', fetch: (input, init) => (chosen.push(init?.credentials), fetch(input, init)) })).close();
    expect(new Set(chosen)).toEqual(new Set(['same-origin']));
  });

  it('says the password is wrong (the server answers 400)', async () => {
    const error = await Client.connect(server.url, { auth: ['ada', 'wrong'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toMatch(/wrong username or password/);
  });

  it('says a login is required when none is given', async () => {
    await expect(Client.connect(server.url)).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('says an app without a login has none (Gradio redirects its /login)', async () => {
    await expect(Client.connect(gradioUrl(), { auth: ['ada', 'lovelace'] })).rejects.toMatchObject({
      name: 'ConnectionError',
      message: expect.stringMatching(/\/login redirects to .*: not followed, .* An app launched without auth= redirects its \/login to its page: connect without auth \(or, if it leads to another place, to the app's URL there\)\.$/),
    });
  });

  it("refuses a login at the URL of a page of a multipage app, and sends the password nowhere else (the URL one level up may be another app)", async () => {
    const logins: string[] = [];
    const error = await Client.connect(`${server.url}/second`, {
      auth: ['ada', 'lovelace'],
      fetch: (input, init) => (String(input).endsWith('/login') && logins.push(String(input)), fetch(input, init)),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    // with server-side rendering, its Node server answers 405 (it serves pages, not a POST)
    const status = ssr() ? 405 : 404;
    expect((error as ConnectionError).status).toBe(status);
    expect((error as Error).message).toBe(`Login to ${server.url}/second: HTTP ${status}, no login there. Give the app's URL (for a page of a multipage app, its app's).`);
    expect(logins).toEqual([`${server.url}/second/login`]);
  });

  it('says a login is required for the URL of a page too (not that the URL has no config)', async () => {
    const error = await Client.connect(`${server.url}/second`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(401);
  });

  it("sends the cookies given in headers along with the app's (a gateway's session behind a load balancer)", async () => {
    for (const [target, auth] of [[server.url, ['ada', 'lovelace']], [gradioUrl(), undefined]] as const) {
      const gateway = await subPathProxy(target, '/app', { gate: true });
      try {
        const c = await Client.connect(gateway.url, { auth, headers: { cookie: 'gate=open' } });
        expect(await c.predict('/echo', ['through'])).toEqual(['through']);
        const [file] = await c.predict<[FileData]>('/echo_file', [handleFile(new Blob(['gated']), { name: 'g.txt' })]);
        expect(await (await c.download(file)).text()).toBe('gated');
        c.close();
      } finally {
        await gateway.close();
      }
    }
  });

  it('refuses an empty username or password with an ArgumentError before sending anything', async () => {
    for (const auth of [['', ''], ['ada', ''], ['ada']] as unknown as [string, string][]) {
      const sent: string[] = [];
      const error = await Client.connect(server.url, { auth, fetch: (input, init) => (sent.push(String(input)), fetch(input, init)) }).catch((e: unknown) => e);
      expect(error).toEqual(new ArgumentError('auth: give [username, password], two strings, neither empty.'));
      expect(sent).toEqual([]);
    }
  });
});

describe('viewApi', () => {
  it('lists the named endpoints with parameter names, types and defaults, and not the private one', async () => {
    const info = await client.viewApi();
    const calc = info.named_endpoints['/calculate']!;
    expect(calc.parameters.map((p) => p.parameter_name)).toEqual(['a', 'b', 'operation']);
    expect(calc.parameters.map((p) => p.parameter_has_default)).toEqual([false, true, true]);
    expect(calc.parameters[2]!.parameter_default).toBe('add');
    expect(calc.returns).toHaveLength(1);
    expect(Object.keys(info.named_endpoints)).not.toContain('/secret_private');
    expect(Object.keys(info.named_endpoints)).not.toContain('/hidden_docs');
    expect(Object.keys((await client.viewApi({ all: true })).named_endpoints)).toContain('/hidden_docs');
  });

  it('is fetched once and only when needed', async () => {
    const seen: string[] = [];
    const c = await Client.connect(gradioUrl(), { fetch: (input, init) => (seen.push(String(input)), fetch(input, init)) });
    await c.predict('/calculate', [1, 1, 'add']);
    expect(seen.some((u) => u.includes('/info'))).toBe(false);
    await c.predict('/calculate', { a: 1 });
    await c.predict('/calculate', { a: 2 });
    expect(seen.filter((u) => u.includes('/info'))).toHaveLength(1);
    c.close();
  });

  it('is asked again after a failed attempt (a failure is not kept)', async () => {
    let failures = 1;
    const c = await Client.connect(gradioUrl(), {
      fetch: (input, init) => (String(input).includes('/info') && failures-- > 0 ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init)),
    });
    await expect(c.predict('/calculate', { a: 1 })).rejects.toBeInstanceOf(ConnectionError);
    expect(await c.predict('/calculate', { a: 1 })).toEqual([2]);
    c.close();
  });

  it('formatApi renders the same usage text as Python view_api()', async () => {
    const expected = await runPython(
      `from gradio_client import Client\nc = Client(${JSON.stringify(gradioUrl() + '/')}, verbose=False, download_files=False)\nprint(c.view_api(print_info=False, return_format="str"), end="")`,
      '6.31.0',
    );
    // JSON cannot tell the float default 1.0 (of /slow) from 1: normalise that one known difference.
    expect(formatApi(await client.viewApi())).toBe(expected.replace(/(defaults to: {3}\d+)\.0\)/g, '$1)'));
  });
});

describe('predict', () => {
  it('takes keyword arguments and fills defaults', async () => {
    expect(await client.predict('/calculate', { a: 2 })).toEqual([3]);
    expect(await client.predict('calculate', { a: 2, b: 3, operation: 'multiply' })).toEqual([6]);
    expect(await client.predict('/calculate', [10, 4])).toEqual([14]);
  });

  it("sends a call's own headers over the client's, to the app's gr.Request of that call only", async () => {
    const c = await Client.connect(gradioUrl(), { headers: { 'x-ip-token': 'client', 'x-app': 'app' } });
    const header = (name: string, headers?: Record<string, string>) => c.predict('/request_header', [name], { headers });
    expect(await header('x-ip-token', { 'x-ip-token': 'user-1' })).toEqual(['user-1']);
    expect(await header('x-app', { 'x-ip-token': 'user-1' })).toEqual(['app']);
    expect(await header('x-ip-token')).toEqual(['client']);
    c.close();
  });

  it('takes headers as a record, a Headers object or pairs, and a call\'s name wins in any case', async () => {
    const c = await Client.connect(gradioUrl(), { headers: new Headers({ 'X-IP-Token': 'client', 'x-app': 'app' }) });
    const header = (name: string, headers?: HeadersInit) => c.predict('/request_header', [name], { headers });
    expect(await header('x-app')).toEqual(['app']);
    expect(await header('x-ip-token', [['x-ip-token', 'pair']])).toEqual(['pair']);
    expect(await header('x-ip-token', new Headers({ 'x-ip-token': 'headers' }))).toEqual(['headers']);
    // one value, not "client, user": names differ only in case
    expect(await header('x-ip-token', { 'X-Ip-TOKEN': 'user' })).toEqual(['user']);
    c.close();
  });

  it('sends a button used as an input as the browser does (its label), though the API leaves it out', async () => {
    expect(await client.predict('/pressed', ['typed'])).toEqual(['Press me|typed']);
    expect(await client.predict('/pressed', { text: 'kw' })).toEqual(['Press me|kw']);
    const info = (await client.viewApi()).named_endpoints['/pressed']!;
    expect(info.parameters).toHaveLength(1);
    // Gradio sends a gr.I18n label (5.x from the release that has gr.I18n, which the app then uses) as its
    // translation key (formatApi names it as Python does)
    const i18n = (await runPython('import gradio as gr; print(hasattr(gr, "I18n"))')).trim() === 'True';
    expect(info.returns[0]!.label).toEqual(i18n ? { key: 'pressed', _type: 'translation_metadata' } : 'pressed');
  });

  it('calls an undocumented endpoint by name and by fn index', async () => {
    expect(await client.predict('/hidden_docs', ['abc'])).toEqual(['ABC']);
    const index = client.config.dependencies.findIndex((d) => d.api_name === 'hidden_docs');
    expect(await client.predict(client.config.dependencies[index]!.id ?? index, ['x'])).toEqual(['X']);
  });

  it('rejects an unknown or private endpoint, listing the valid names', async () => {
    const error = await client.predict('/nope', []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EndpointNotFoundError);
    expect((error as EndpointNotFoundError).available).toEqual(expect.arrayContaining(['/calculate', '/hidden_docs']));
    // the message names the documented endpoints and counts the undocumented one
    expect((error as Error).message).toMatch(/\/calculate/);
    expect((error as Error).message).not.toMatch(/\/hidden_docs/);
    // (4.x and 5.x also list the app's unload handler, as an undocumented endpoint; 6.x makes it private)
    expect((error as Error).message).toMatch(major() >= 6 ? /and 1 undocumented/ : /and 2 undocumented/);
    await expect(client.predict('/secret_private', ['x'])).rejects.toBeInstanceOf(EndpointNotFoundError);
    // a variable that is not set, or not a name (JS callers get no type check)
    for (const endpoint of [undefined, null, {}]) {
      expect(() => client.submit(endpoint as unknown as string, ['x'])).toThrow(/^No endpoint (undefined|null|\{\}) on this app\. Valid endpoints: \/calculate/);
    }
  });

  it('rejects unknown, missing and surplus arguments with an ArgumentError', async () => {
    await expect(client.predict('/calculate', { a: 1, c: 2 })).rejects.toThrow(/no parameter "c".*a, b, operation/);
    await expect(client.predict('/calculate', { b: 2 })).rejects.toThrow(/missing the required argument "a"/);
    await expect(client.predict('/calculate', [1, 2, 'add', 4])).rejects.toThrow(/takes 3 argument\(s\) but 4 were given/);
    await expect(client.predict('/calculate', [])).rejects.toBeInstanceOf(ArgumentError);
    expect(() => client.submit('/calculate', [1, 2, 'add', 4])).toThrow(ArgumentError);
    // arguments that are neither an array nor an object: refused, not read as an object's keys
    for (const args of ['2', 2, null]) {
      expect(() => client.submit('/calculate', args as unknown as unknown[])).toThrow(
        new ArgumentError(`/calculate: give the arguments as an array or an object, not ${JSON.stringify(args)}.`),
      );
    }
  });

  it('takes an undefined argument as not given: its default, as JS options do', async () => {
    expect(await client.predict('/calculate', { a: 2, b: undefined })).toEqual([3]);
    expect(await client.predict('/calculate', [2, undefined, 'multiply'])).toEqual([2]);
    await expect(client.predict('/calculate', { a: undefined, b: 2 })).rejects.toThrow(/missing the required argument "a"/);
  });

  it('refuses a value JSON cannot encode with an ArgumentError, and the client goes on', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const value of [10n, cyclic]) {
      const error = await client.predict('/echo', [value]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ArgumentError);
      expect((error as Error).message).toMatch(/^\/echo: cannot send an argument \(.+\)\.$/);
    }
    expect(await client.predict('/echo', ['after'])).toEqual(['after']);
  });

  it('refuses a value JSON would turn into another (NaN, a Map, bytes) with an ArgumentError, and sends nothing', async () => {
    const sent: string[] = [];
    const c = await Client.connect(gradioUrl(), { fetch: (input, init) => (sent.push(new URL(String(input)).pathname), fetch(input, init)) });
    try {
      const refused: [unknown, RegExp][] = [
        [NaN, /NaN, which JSON cannot carry/], // JSON.stringify would send null
        [{ a: [1, -Infinity] }, /-Infinity, which JSON cannot carry/],
        [new Map([['k', 1]]), /a Map, which JSON would send as \{\}/],
        [new Set([1]), /a Set, which JSON would send as \{\}/],
        [new Uint8Array([1, 2]), /bytes: wrap them in handleFile\(\)/], // JSON.stringify would send {"0":1,"1":2}
        [new ArrayBuffer(2), /bytes: wrap them in handleFile\(\)/], // and these {}
        [new SharedArrayBuffer(2), /bytes: wrap them in handleFile\(\)/],
        [Object.assign(Object.create(null) as object, { n: NaN }), /NaN, which JSON cannot carry/], // an object without a prototype is looked into too
        [() => 1, /a function, which JSON cannot carry/],
        // half of an emoji: the server cannot encode it, and would end the session's stream (every call of the session with it)
        [['ok', `cut ${'👋'.slice(0, 1)}`], /a string with half a character \(a lone surrogate/],
      ];
      sent.length = 0;
      for (const [value, message] of refused) {
        const error = await c.predict('/echo', [value]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ArgumentError);
        expect((error as Error).message).toMatch(message);
      }
      await expect(c.predict('/calculate', { a: NaN, b: 1 })).rejects.toThrow(/^\/calculate: cannot send an argument \(NaN/);
      await expect(c.upload({ n: NaN })).rejects.toThrow(new ArgumentError('upload(): cannot send an argument (NaN, which JSON cannot carry).'));
      expect(sent.filter((p) => !p.endsWith('/info'))).toEqual([]); // nothing was sent in their place
      // what JSON does carry goes as before: a Date as its ISO text, whole emoji and other characters
      expect(await c.predict('/echo', [new Date(0)])).toEqual(['1970-01-01T00:00:00.000Z']);
      expect(await c.predict('/echo', ['👋 é 中 \u2028'])).toEqual(['👋 é 中 \u2028']);
    } finally {
      c.close();
    }
  });

  it('surfaces gr.Error as an AppError with its message, title, duration and visibility', async () => {
    const error = await client.predict('/fail', { message: 'the model is tired' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toBe('the model is tired');
    if (since(5, 3)) expect((error as AppError).title).toBe('Custom failure');
    // gr.Error(duration=None, visible=False); before 4.37 gr.Error has neither: Gradio's defaults
    expect(error).toMatchObject(since(4, 37) ? { duration: null, visible: false } : { duration: 10, visible: true });
    const math = await client.predict('/calculate', { a: 1, b: 0, operation: 'divide' }).catch((e: unknown) => e);
    expect((math as AppError).message).toBe('Cannot divide by zero');
  });

  it('fails a call with a ConnectionError when an answer is not JSON (a proxy page in its place)', async () => {
    const c = await Client.connect(gradioUrl(), {
      fetch: async (url, init) =>
        String(url).endsWith('/queue/join') ? new Response('<h1>Bad gateway</h1>', { status: 200, headers: { 'content-type': 'text/html' } }) : fetch(url, init),
    });
    const error = await c.predict('/echo', ['x']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toBe(`POST ${c.apiPrefix}/queue/join: the answer is text/html, not JSON.`);
    c.close();
  });

  it("gives the title of a proxy's error page, not its HTML", async () => {
    const page = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
    const c = await Client.connect(gradioUrl(), {
      fetch: async (url, init) => (String(url).endsWith('/queue/join') ? new Response(page, { status: 502, headers: { 'content-type': 'text/html' } }) : fetch(url, init)),
    });
    const error = await c.predict('/echo', ['x']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toBe(`POST ${c.apiPrefix}/queue/join: HTTP 502 — 502 Bad Gateway.`);
    c.close();
  });

  it('says an answer was empty where JSON was expected', async () => {
    const c = await Client.connect(gradioUrl(), {
      fetch: async (url, init) => (String(url).endsWith('/queue/join') ? new Response('', { headers: { 'content-type': 'application/json' } }) : fetch(url, init)),
    });
    await expect(c.predict('/echo', ['x'])).rejects.toThrow(new ConnectionError(`POST ${c.apiPrefix}/queue/join: the answer is empty.`));
    c.close();
  });

  it('fails a call with a ConnectionError, not a hang, when its join answers without an event id', async () => {
    const c = await Client.connect(gradioUrl(), {
      fetch: async (url, init) => (String(url).endsWith('/queue/join') ? Response.json({}) : fetch(url, init)),
    });
    const error = await c.predict('/echo', ['x']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toBe(`POST ${c.apiPrefix}/queue/join: the answer has no event id (not Gradio's?).`);
    c.close();
  });

  it('calls a queue=False endpoint with one POST to /run, outside the queue, and surfaces its gr.Error as an AppError', async () => {
    const paths: string[] = [];
    const users: (string | null)[] = [];
    const c = await Client.connect(gradioUrl(), {
      fetch: (input, init) => {
        paths.push(new URL(String(input)).pathname);
        if (String(input).includes('/run/')) users.push(new Headers(init?.headers).get('x-gradio-user'));
        return fetch(input, init);
      },
    });
    expect(await c.predict('/echo_now', ['now', 0])).toEqual(['now']);
    const error = await c.predict('/fail_now', { message: 'refused at once' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toBe('refused at once');
    if (since(5, 3)) expect((error as AppError).title).toBe('Custom failure');
    expect(error).toMatchObject(since(4, 37) ? { duration: null, visible: false } : { duration: 10, visible: true }); // /run answers them too
    // an api_name with a "/" (no /run/<name> route holds it): the body's fn_index picks the function
    expect(await c.predict('/now/echo', ['slash', 0])).toEqual(['slash']);
    // no join, no session stream: /info only for the keyword call
    expect(paths).toEqual(['/config', `${c.apiPrefix}/run/predict`, `${c.apiPrefix}/info`, `${c.apiPrefix}/run/predict`, `${c.apiPrefix}/run/predict`]);
    expect(users).toEqual(['api', 'api', 'api']); // an API caller, as on a join (and as Python says)
    c.close();
  });

  it('refuses an onResult that is no function and headers fetch would refuse with an ArgumentError at submit (a bad onResult ended the Node process)', async () => {
    const c = await Client.connect(gradioUrl());
    try {
      expect(() => c.submit('/echo', ['x'], { onResult: 'x' as unknown as () => void })).toThrow(new ArgumentError('onResult: give a function.'));
      expect(() => c.submit('/echo', ['x'], { headers: { 'x-user': 'a\nb' } })).toThrow(ArgumentError);
      expect(await c.predict('/echo', ['still fine'])).toEqual(['still fine']);
    } finally {
      c.close();
    }
  });

  it('fails with a ConnectionError, not an ArgumentError, when the join or /info answers JSON that is not Gradio\'s', async () => {
    const c = await Client.connect(gradioUrl(), {
      fetch: (input, init) => (/\/(queue\/join|info)/.test(String(input)) ? Promise.resolve(new Response('null', { headers: { 'content-type': 'application/json' } })) : fetch(input, init)),
    });
    try {
      await expect(c.predict('/echo', ['x'])).rejects.toThrow(new ConnectionError(`POST ${c.apiPrefix}/queue/join: the answer has no event id (not Gradio's?).`));
      await expect(c.viewApi()).rejects.toThrow(new ConnectionError(`GET ${c.apiPrefix}/info: the answer is no Gradio API info (not Gradio's?).`));
      // a keyword call needs /info: its error is the server's, not the argument's
      await expect(c.predict('/echo', { text: 'x' })).rejects.toBeInstanceOf(ConnectionError);
    } finally {
      c.close();
    }
  });

  it('says a file that changed after it was given could not be read (an ArgumentError, not "Could not reach")', async () => {
    const { openAsBlob } = await import('node:fs');
    const path = join(await tempDir(), 'changing.txt');
    await writeFile(path, 'before');
    const blob = await openAsBlob(path);
    await writeFile(path, 'after, longer');
    const c = await Client.connect(gradioUrl());
    try {
      const error = await c.predict('/file_name', [blob]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ArgumentError);
      expect((error as Error).message).toMatch(/\/upload could not be read \(changed or deleted since it was given\?\)\.$/);
      expect(await c.predict('/echo', ['after it'])).toEqual(['after it']);
    } finally {
      c.close();
    }
  });

  it("takes a 500 of a call outside the queue for the app's error only when it is Gradio's (JSON with an error)", async () => {
    for (const [body, type] of [['null', 'text/plain'], ['"upstream failed"', 'application/json'], ['[]', 'text/plain'], ['{"detail":"proxy"}', 'application/json']]) {
      const c = await Client.connect(gradioUrl(), {
        fetch: (input, init) => (String(input).includes('/run/predict') ? Promise.resolve(new Response(body, { status: 500, headers: { 'content-type': type! } })) : fetch(input, init)),
      });
      const error = await c.predict('/echo_now', ['x', 0]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error).toMatchObject({ status: 500, message: expect.stringMatching(/^POST \/(gradio_api\/)?run\/predict: HTTP 500/) });
      c.close();
    }
  });

  it("knows the app's error of a call outside the queue by its body, behind a proxy that drops the answers' types", async () => {
    const proxy = await subPathProxy(gradioUrl(), '/untyped', { untyped: true });
    try {
      const c = await Client.connect(proxy.url);
      const error = await c.predict('/fail_now', { message: 'refused, untyped' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).message).toBe('refused, untyped');
      expect(await c.predict('/echo_now', ['typed or not', 0])).toEqual(['typed or not']);
      c.close();
    } finally {
      await proxy.close();
    }
  });

  it('ends the request of a queue=False call when the call is cancelled or the client closed', async () => {
    const signals: AbortSignal[] = [];
    const c = await Client.connect(gradioUrl(), {
      fetch: (input, init) => (String(input).includes('/run/') && signals.push(init!.signal!), fetch(input, init)),
    });
    const job = c.submit('/echo_now', ['late', 30]);
    await vi.waitFor(() => expect(signals).toHaveLength(1));
    expect(await job.cancel()).toBe(true);
    expect(job.status().code).toBe('CANCELLED');
    expect(signals[0]!.aborted).toBe(true);
    const pending = c.predict('/echo_now', ['late', 30]);
    await vi.waitFor(() => expect(signals).toHaveLength(2));
    c.close();
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    expect(signals[1]!.aborted).toBe(true);
  });

  it('says an endpoint without a Python function (js= only) runs in the browser, before any request', async () => {
    const error = await client.predict('/browser_only', ['x']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EndpointNotFoundError);
    expect((error as Error).message).toMatch(/"\/browser_only" runs in the browser only/);
    expect(client.endpoints).not.toContain('/browser_only');
  });

  it('times out with a TimeoutError and cancels the call on the server; a call done in time leaves no timer to fire', async () => {
    const cancels: unknown[] = [];
    const c = await Client.connect(gradioUrl(), {
      fetch: async (input, init) => {
        if (String(input).endsWith('/cancel')) cancels.push(JSON.parse(String(init?.body)).event_id);
        return fetch(input, init);
      },
    });
    try {
      const late = c.submit('/count', { n: 50, delay: 0.2 }, { timeout: 300 });
      await expect(late.result()).rejects.toBeInstanceOf(TimeoutError);
      await vi.waitFor(() => expect(cancels).toEqual([late.eventId])); // it does not run on there
      // a call that ends in time: its timer must not fire later (it would send a /cancel, which
      // stops the session's running calls of the endpoint, and keep a Node process alive)
      expect(await c.predict('/count', { n: 1, delay: 0 }, { timeout: 400 })).toEqual([1]);
      await new Promise((r) => setTimeout(r, 600));
      expect(cancels).toHaveLength(1);
    } finally {
      c.close();
    }
  });

  it('takes 0 and Infinity as no time limit, for requests, the stream and calls', async () => {
    // a timer of Infinity ms fires at once (over 2^31 - 1 ms): it must not be set at all
    for (const none of [0, Infinity]) {
      const c = await Client.connect(gradioUrl(), { timeout: none, streamTimeout: none });
      try {
        expect(await c.predict('/calculate', { a: 2, b: 3 }, { timeout: none })).toEqual([5]);
        expect((await c.submit<[number]>('/count', [3, 0.05], { timeout: none }).result())).toEqual([3]);
        const [file] = (await c.predict('/echo_file', [handleFile(new Blob(['x']), { name: 'x.txt' })])) as [FileData];
        expect(await (await c.download(file)).text()).toBe('x');
      } finally {
        c.close();
      }
    }
  });

  it('refuses a time limit that is not a number ≥ 0 (NaN from an unset variable, a negative one) before sending anything', async () => {
    const sent: string[] = [];
    const recording: typeof fetch = (input, init) => (sent.push(String(input)), fetch(input, init));
    for (const [options, text] of [
      [{ timeout: Number.NaN }, 'timeout is NaN'],
      [{ timeout: -1 }, 'timeout is -1'],
      [{ streamTimeout: -5 }, 'streamTimeout is -5'],
    ] as const) {
      const error = await Client.connect(gradioUrl(), { ...options, fetch: recording }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ArgumentError);
      expect((error as Error).message).toBe(`${text}: give milliseconds ≥ 0 (0 or Infinity: no limit).`);
    }
    expect(sent).toEqual([]);
    const c = await Client.connect(gradioUrl(), { fetch: recording });
    try {
      const joins = () => sent.filter((u) => u.endsWith('/queue/join')).length;
      expect(() => c.submit('/echo', ['x'], { timeout: Number.NaN })).toThrow(new ArgumentError('timeout is NaN: give milliseconds ≥ 0 (0 or Infinity: no limit).'));
      await expect(c.predict('/echo', ['x'], { timeout: -10 })).rejects.toThrow('timeout is -10: give milliseconds');
      expect(joins()).toBe(0);
      expect(await c.predict('/echo', ['x'], { timeout: 5000 })).toEqual(['x']);
      expect(joins()).toBe(1);
    } finally {
      c.close();
    }
  });

  it('cancels when its AbortSignal aborts', async () => {
    const controller = new AbortController();
    const pending = client.predict('/count', { n: 50, delay: 0.2 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    // already aborted: cancelled at once, nothing sent
    const sent: string[] = [];
    const c = await Client.connect(gradioUrl(), { fetch: (input, init) => (sent.push(String(input)), fetch(input, init)) });
    const job = c.submit('/echo', ['x'], { signal: AbortSignal.abort() });
    await expect(job.result()).rejects.toBeInstanceOf(CancelledError);
    expect(job.status().code).toBe('CANCELLED');
    expect(sent.filter((u) => !u.endsWith('/config'))).toEqual([]);
    c.close();
  });

  it('refuses new calls once closed, saying to connect again', async () => {
    const c = await Client.connect(gradioUrl());
    c.close();
    expect(() => c.submit('/echo', ['x'])).toThrow(/closed: connect a new one/);
    await expect(c.predict('/echo', ['x'])).rejects.toBeInstanceOf(ConnectionError);
  });

  it('calls result callbacks with the final outputs', async () => {
    const seen: unknown[] = [];
    await client.submit('/calculate', [2, 2, 'multiply'], { onResult: (d) => seen.push(d) }).result();
    expect(seen).toEqual([[4]]);
  });
});

describe('callbacks', () => {
  it('lets go of the calls that ended while their signal lives on (one "stop all" signal for many calls)', async () => {
    setFlagsFromString('--expose_gc');
    const gc = runInNewContext('gc') as () => void;
    const stopAll = new AbortController();
    const ended: WeakRef<object>[] = [];
    // in a function of its own: a suspended async function may keep its last job in a register
    const call = async (i: number) => {
      const job = client.submit('/echo', [`${i}`], { signal: stopAll.signal });
      ended.push(new WeakRef(job));
      await job.result();
    };
    for (let i = 0; i < 20; i++) await call(i);
    await new Promise((r) => setTimeout(r, 50));
    gc();
    expect(ended.map((r, i) => (r.deref() ? i : -1)).filter((i) => i >= 0)).toEqual([]);
    stopAll.abort(); // cancels nothing: no call is left
  });

  it("a throwing onResult is reported as uncaught and spares the session's other jobs", async () => {
    const caught: unknown[] = [];
    process.setUncaughtExceptionCaptureCallback((e) => caught.push(e));
    try {
      const other = client.submit('/count', { n: 4, delay: 0.1 });
      const own = client.predict('/echo', ['x'], {
        onResult: () => {
          throw new Error('bug in a callback');
        },
      });
      expect(await own).toEqual(['x']);
      expect(await other.result()).toEqual([4]);
      await vi.waitFor(() => expect(caught).toEqual([new Error('bug in a callback')]));
    } finally {
      process.setUncaughtExceptionCaptureCallback(null);
    }
  });
});

describe('session state', () => {
  it('keeps gr.State across calls of one client and starts over after resetSession()', async () => {
    const c = await Client.connect(gradioUrl());
    expect(await c.predict('/increment', [2])).toEqual([2]);
    expect(await c.predict('/increment', { step: 3 })).toEqual([5]);
    const other = await Client.connect(gradioUrl());
    expect(await other.predict('/increment', [1])).toEqual([1]);
    c.resetSession();
    expect(await c.predict('/increment', [10])).toEqual([10]);
    c.close();
    other.close();
  });

  it("ends its session on the server at resetSession() and close(): the app's unload event runs for it", async () => {
    const ended = (session: string) => client.predict<[boolean]>('/unloaded', [session]).then(([b]) => b);
    const c = await Client.connect(gradioUrl());
    expect(c.config.connect_heartbeat).toBe(true); // the app has gr.State and an unload event
    await c.predict('/increment', [1]); // a call opens the session's heartbeat
    const first = c.sessionHash;
    expect(await ended(first)).toBe(false);
    c.resetSession();
    await vi.waitFor(async () => expect(await ended(first)).toBe(true), { timeout: 10_000, interval: 100 });
    await c.predict('/increment', [1]);
    const second = c.sessionHash;
    expect(await ended(second)).toBe(false);
    c.close();
    await vi.waitFor(async () => expect(await ended(second)).toBe(true), { timeout: 10_000, interval: 100 });
  });

  it('ends its session also when resetSession() or close() comes before the heartbeat has reached the server (a short call)', async () => {
    // Gradio ends a session when a heartbeat that has begun is cut; one cut before it reached the
    // server left the session open (a script's predict then close(), on a busy server)
    const ended = (session: string) => client.predict<[boolean]>('/unloaded', [session]).then(([b]) => b);
    let release = () => {};
    let beats = 0;
    const c = await Client.connect(gradioUrl(), {
      fetch: async (url, init) => {
        if (String(url).includes('/heartbeat/')) {
          beats++;
          await new Promise<void>((resolve) => (release = resolve));
        }
        return fetch(url, init);
      },
    });
    await c.predict('/increment', [1]);
    await vi.waitFor(() => expect(beats).toBe(1));
    const first = c.sessionHash;
    c.resetSession();
    release(); // the heartbeat's request goes out now
    await vi.waitFor(async () => expect(await ended(first)).toBe(true), { timeout: 10_000, interval: 100 });
    await c.predict('/increment', [1]);
    await vi.waitFor(() => expect(beats).toBe(2));
    const second = c.sessionHash;
    c.close();
    release();
    await vi.waitFor(async () => expect(await ended(second)).toBe(true), { timeout: 10_000, interval: 100 });
  });
});

describe('session ids', () => {
  it('takes any session id (an e-mail with +, spaces, # & %): state, the stream and the heartbeat get it whole', async () => {
    const ended = (session: string) => client.predict<[boolean]>('/unloaded', [session]).then(([b]) => b);
    const sessionHash = `user+tag@example.com #1&x=%20ü ${Date.now()}`;
    const c = await Client.connect(gradioUrl(), { sessionHash });
    expect(await c.predict('/increment', [1])).toEqual([1]);
    expect(await c.predict('/increment', [1])).toEqual([2]);
    c.close();
    await vi.waitFor(async () => expect(await ended(sessionHash)).toBe(true), { timeout: 10_000, interval: 100 });
  });

  it('refuses an empty session id, "." or "..", or one with "/" before sending anything', async () => {
    const sent: string[] = [];
    const fetch = (input: RequestInfo | URL) => (sent.push(String(input)), Promise.reject(new Error('no request expected')));
    await expect(Client.connect(gradioUrl(), { sessionHash: '', fetch })).rejects.toThrow(new ArgumentError('sessionHash "": give a non-empty id without "/", not "." or "..".'));
    // path segments: the heartbeat's URL would lose them, and the session would never end
    for (const sessionHash of ['a/b', '.', '..']) await expect(Client.connect(gradioUrl(), { sessionHash, fetch })).rejects.toBeInstanceOf(ArgumentError);
    expect(sent).toEqual([]);
  });
});

describe('files', () => {
  it('uploads a Blob with its name and type and returns the file with an absolute URL of ours', async () => {
    const text = 'hello from gradio-hooks\n';
    const [out] = (await client.predict('/echo_file', [handleFile(new Blob([text], { type: 'text/plain' }), { name: 'notes.txt' })])) as [FileData];
    expect(out.orig_name).toBe('notes.txt');
    expect(out.path.endsWith('notes.txt')).toBe(true);
    expect(out.url).toBe(`${client.url}${client.apiPrefix}/file=${out.path}`);
    expect(await (await client.download(out)).text()).toBe(text);
  });

  it('names a file without a name after its type (file.png), as an app that takes only some types needs', async () => {
    const png = (await client.predict('/echo_file', [new Blob(['x'], { type: 'image/png' })])) as [FileData];
    expect(png[0].orig_name).toBe('file.png');
    expect(png[0].path.endsWith('/file.png')).toBe(true);
    const [wav] = (await client.predict('/echo_file', [handleFile(new Uint8Array([1, 2]), { type: 'audio/x-wav' })])) as [FileData];
    expect(wav.orig_name).toBe('file.wav');
    const [untyped] = (await client.predict('/echo_file', [new Blob(['x'])])) as [FileData];
    expect(untyped.orig_name).toBe('file');
    // types whose extension is not their subtype, to an app that takes only text and audio files
    const named = (type: string) => client.predict('/file_name', [new Blob(['x'], { type })]);
    expect(await named('text/plain;charset=utf-8')).toEqual(['file.txt']);
    expect(await named('audio/mpeg')).toEqual(['file.mp3']);
    expect(await named('audio/mp4')).toEqual(['file.m4a']);
    expect(await client.predict('/file_name', [new File(['x'], '', { type: 'text/plain' })])).toEqual(['file.txt']); // an empty name is none
    if (since(5, 0)) await expect(named('video/mp4')).rejects.toThrow(/Invalid file type/);
  });

  it('uploads a Blob found in an object without a prototype, as in a plain one', async () => {
    const bare = Object.assign(Object.create(null) as object, { f: handleFile(new Blob(['bare']), { name: 'bare.txt' }) });
    const [sent] = (await client.upload([bare])) as [{ f: FileData }];
    expect(sent.f).toMatchObject({ orig_name: 'bare.txt', size: 4 });
    expect(await (await client.download(`${client.url}${client.apiPrefix}/file=${sent.f.path}`)).text()).toBe('bare');
  });

  it("reads the app's URL as requests send it: a file's URL, given as a URL object, is known as the app's (headers go along)", async () => {
    const sent: (string | null)[] = [];
    const c = await Client.connect(`${gradioUrl()}/./`, {
      headers: { 'x-team': 'files' },
      fetch: (input, init) => (String(input).includes('/file=') && sent.push(new Headers(init?.headers).get('x-team')), fetch(input, init)),
    });
    try {
      expect(c.url).toBe(gradioUrl());
      const [file] = await c.predict<[FileData]>('/echo_file', [handleFile(new Blob(['normal']), { name: 'n.txt' })]);
      expect(file.url?.startsWith(`${gradioUrl()}${c.apiPrefix}/file=`)).toBe(true);
      expect(await (await c.download(new URL(file.url!))).text()).toBe('normal');
      expect(sent).toEqual(['files']);
    } finally {
      c.close();
    }
  });

  it('rejects download() of something that is neither a file nor a URL with an ArgumentError (no throw)', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const [wrong, what] of [[undefined, 'undefined'], [null, 'null'], [{}, 'an object without a path'], [{ url: 1 }, 'an object without a path'], [10n, 'a bigint'], [cyclic, 'an object without a path']] as const) {
      const download = client.download(wrong as unknown as FileData);
      await expect(download).rejects.toThrow(new ArgumentError(`download() takes an output file (a FileData, with its path) or its URL, not ${what}.`));
    }
    const [sent] = (await client.upload([handleFile(new Blob(['by URL']), { name: 'u.txt' })])) as unknown as [FileData];
    expect(await (await client.download(new URL(`${client.url}${client.apiPrefix}/file=${sent.path}`))).text()).toBe('by URL'); // a URL object too
  });

  it('uploads a File and a local path (Node) and keeps their names', async () => {
    const [fromFile] = (await client.predict('/echo_file', [new File(['abc'], 'data.csv', { type: 'text/csv' })])) as [FileData];
    expect(fromFile.orig_name).toBe('data.csv');
    const dir = await tempDir();
    const path = join(dir, 'report.md');
    await writeFile(path, '# report');
    const [fromPath] = (await client.predict('/echo_file', { file: handleFile(path) })) as [FileData];
    expect(fromPath.orig_name).toBe('report.md');
    expect(await (await client.download(fromPath.url!)).text()).toBe(await readFile(path, 'utf8'));
  });

  it('refuses a local path it cannot read with an ArgumentError saying why', async () => {
    const dir = await tempDir();
    const missing = join(dir, 'missing.txt');
    const error = await client.predict('/echo_file', [handleFile(missing)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as Error).message).toBe(`/echo_file: cannot send an argument (ENOENT: no such file or directory, stat '${missing}').`);
    await expect(client.predict('/echo_file', [handleFile(dir)])).rejects.toThrow(/^\/echo_file: cannot send an argument \(EISDIR/);
  });

  it('passes a URL to the server, which fetches it itself (from Gradio 5 only from public hosts)', async () => {
    const cdn = await fakeServer((_, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('from a URL'));
    const sent: string[] = [];
    const c = await Client.connect(gradioUrl(), {
      fetch: (input, init) => (sent.push(`${new URL(String(input)).pathname} ${typeof init?.body === 'string' ? init.body : ''}`), fetch(input, init)),
    });
    try {
      const url = `${cdn.url}/docs/notes.txt`;
      const outcome = await c.predict('/echo_file', [handleFile(url)]).then(
        ([f]) => c.download(f as FileData).then((b) => b.text()),
        (e: unknown) => e,
      );
      expect(sent.filter((r) => r.includes('/upload'))).toEqual([]); // nothing uploaded
      const join = JSON.parse(sent.find((r) => r.includes('/queue/join'))!.split(' ').slice(1).join(' ')) as { data: unknown[] };
      expect(join.data[0]).toMatchObject({ path: url, url, meta: { _type: 'gradio.FileData' } });
      if (major() >= 5) {
        // the server's SSRF protection: a loopback host is refused before any request to it
        expect(outcome).toBeInstanceOf(AppError);
        expect(cdn.requests).toEqual([]);
      } else {
        expect(outcome).toBe('from a URL');
        expect(cdn.requests.map((r) => r.url)).toEqual(['/docs/notes.txt']);
      }
    } finally {
      c.close();
      await cdn.close();
    }
  });

  it('lets a slow upload and a slow download take longer than the timeout: it bounds waiting for an answer, not a transfer', async () => {
    // 4 MB each way over a 1.25 MB/s link: over 3 s per transfer, against a 2 s timeout (which a
    // loaded machine's server still meets for every answer)
    const proxy = await subPathProxy(gradioUrl(), '/slow', { bytesPerSecond: 1_250_000 });
    try {
      const c = await Client.connect(proxy.url, { timeout: 2_000 });
      const bytes = new Uint8Array(4_000_000).map((_, i) => i % 251);
      const [out] = (await c.predict('/echo_file', [handleFile(bytes, { name: 'big.bin' })])) as [FileData];
      expect(out.size).toBe(bytes.length);
      const back = new Uint8Array(await (await c.download(out)).arrayBuffer());
      expect(Buffer.compare(back, bytes)).toBe(0); // (toEqual walks 4 million elements slowly)
      c.close();
    } finally {
      await proxy.close();
    }
  });

  it("refuses a file over the app's max_file_size before sending a byte, as the server would (HTTP 413)", async () => {
    const max = client.config.max_file_size!;
    expect(max).toBeGreaterThan(0); // app.py launches with max_file_size="10mb"
    const uploads: number[] = [];
    const track = (blind: boolean) =>
      Client.connect(gradioUrl(), {
        fetch: (input, init) => {
          if (String(input).endsWith('/upload')) uploads.push((init!.body as FormData).getAll('files').length);
          return fetch(input, init);
        },
      }).then((c) => (blind && (c.config.max_file_size = null), c));
    const c = await track(false);
    const error = await c.predict('/echo_file', [handleFile(new Uint8Array(max + 1), { name: 'huge.bin' })]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(new RegExp(`"huge\\.bin" has ${max + 1} bytes; .* at most ${max} bytes`));
    expect(uploads).toEqual([]);
    const [fits] = (await c.predict('/echo_file', [handleFile(new Uint8Array(max), { name: 'fits.bin' })])) as [FileData];
    expect(fits.size).toBe(max);
    // without the limit in the config (or behind a proxy with its own), the server's 413 says the same
    // (64 kB over: Gradio 4 checks the size of the file on disk, which lags by a write buffer)
    const blind = await track(true);
    const refused = await blind.predict('/echo_file', [handleFile(new Uint8Array(max + 65_536), { name: 'huge.bin' })]).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect(refused).toMatchObject({ status: 413, message: expect.stringMatching(/maximum allowed size.*Send a smaller file/) });
    expect(uploads).toEqual([1, 1]);
    c.close();
    blind.close();
  });

  it('fails a download that stalls with a TimeoutError, and stops one when its signal aborts', async () => {
    let armed = false;
    let chunks = 0;
    // once armed, the link passes one chunk of the body and then nothing (the connection stays open)
    const proxy = await subPathProxy(gradioUrl(), '/stalling', { stalled: () => armed && ++chunks > 1 });
    try {
      const c = await Client.connect(proxy.url, { timeout: 1_000 });
      const [out] = (await c.predict('/echo_file', [handleFile(new Uint8Array(2_000_000), { name: 'big.bin' })])) as [FileData];
      armed = true;
      const stalled = await c.download(out).catch((e: unknown) => e);
      expect(stalled).toBeInstanceOf(TimeoutError);
      expect((stalled as Error).message).toMatch(/^Downloading .*big\.bin: nothing arrived for 1000 ms\.$/);
      expect(chunks).toBeGreaterThan(1); // it had started: the body stalled, not the answer
      armed = false;
      const controller = new AbortController();
      const aborted = c.download(out, { signal: controller.signal });
      controller.abort();
      await expect(aborted).rejects.toBeInstanceOf(CancelledError);
      expect((await c.download(out)).size).toBe(2_000_000); // the link is fine again
      // a signal that serves many downloads (a page's "stop all") keeps no listener of theirs
      const shared = new AbortController();
      for (let i = 0; i < 15; i++) await c.download(out, { signal: shared.signal });
      await c.upload([handleFile(new Blob(['x']), { name: 'x.txt' })], shared.signal);
      expect(getEventListeners(shared.signal, 'abort')).toEqual([]);
      // nor one per download while many are on their way together (Node warns from 11 on one signal)
      const together = Array.from({ length: 12 }, () => c.download(out, { signal: shared.signal }));
      expect(getEventListeners(shared.signal, 'abort').length).toBeLessThanOrEqual(1);
      expect((await Promise.all(together)).map((b) => b.size)).toEqual(Array(12).fill(2_000_000));
      c.close();
    } finally {
      await proxy.close();
    }
  });

  it("downloads the app's files with its credentials, and a file elsewhere without them", async () => {
    const elsewhere = await fakeServer((_, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('from a CDN'));
    const seen: [string, Headers][] = [];
    const recording: typeof fetch = (input, init) => {
      seen.push([String(input), new Headers(init?.headers)]);
      return fetch(input, init);
    };
    try {
      const c = await Client.connect(gradioUrl(), { token: 'hf_secret', headers: { 'x-app-key': 'k' }, fetch: recording });
      const [own] = (await c.predict('/echo_file', [handleFile(new TextEncoder().encode('ours'), { name: 'own.txt' })])) as [FileData];
      expect(await (await c.download(own)).text()).toBe('ours');
      const ownGet = seen.find(([url]) => url === own.url)![1];
      expect([ownGet.get('x-hf-authorization'), ownGet.get('x-app-key')]).toEqual(['Bearer hf_secret', 'k']);
      // an output whose path is a URL on another host (an app may return any URL)
      const external: FileData = { path: `${elsewhere.url}/file.txt`, url: null, orig_name: 'file.txt', meta: { _type: 'gradio.FileData' } };
      expect(await (await c.download(external)).text()).toBe('from a CDN');
      const sent = elsewhere.requests[0]!.headers;
      expect([sent['x-hf-authorization'], sent.authorization, sent['x-app-key'], sent.cookie]).toEqual([undefined, undefined, undefined, undefined]);
      c.close();
    } finally {
      await elsewhere.close();
    }
  });

  it('downloads files whose names need percent-encoding in a URL (%, #, spaces, non-ASCII)', async () => {
    for (const name of ['a b%20c.txt', '#1 résumé 日本.txt']) {
      const [out] = (await client.predict('/echo_file', [handleFile(new TextEncoder().encode(`content of ${name}`), { name })])) as [FileData];
      // Gradio 6.13+ keeps such a name (its gradio_client 2.5 strips less); older releases drop `%`
      // and `#` as they store the upload
      if (since(6, 13)) expect(out.orig_name).toBe(name);
      expect(out.url!.endsWith(`/${encodeURIComponent(out.path.split('/').at(-1)!)}`)).toBe(true);
      expect(await (await client.download(out)).text()).toBe(`content of ${name}`);
    }
  });

  it("fails a download the server refuses with a typed error carrying the server's words", async () => {
    // a path the app never served: Gradio refuses it (403 "File not allowed")
    const error = await client.download(`${client.url}${client.apiPrefix}/file=/tmp/no/such/file.txt`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).not.toBeInstanceOf(AuthenticationError); // no login matter: neither a token nor a new connection would help
    expect(error).toMatchObject({ status: 403, message: expect.stringMatching(/^Downloading .*file\.txt: HTTP 403 — File not allowed: .* The app does not serve this file \(any more\)\.$/) });
  });

  it('builds output URLs from the URL it was given, not the server root', async () => {
    const c = await Client.connect(gradioUrl().replace('127.0.0.1', 'localhost'));
    const [out] = (await c.predict('/echo_file', [handleFile(new Uint8Array([1, 2, 3]), { name: 'bytes.bin' })])) as [FileData];
    expect(out.url!.startsWith(c.url)).toBe(true);
    expect(new Uint8Array(await (await c.download(out)).arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    c.close();
  });

  it('streams a media output: its URL built from ours, the playlist served meanwhile, the whole recording downloadable', async () => {
    const job = client.submit<[FileData]>('/tone_stream', [3]);
    for await (const [f] of job) {
      expect(f.is_stream).toBe(true);
      // Gradio serves `/stream/<path>` (an HLS playlist on >= 5, the raw audio on 4.x)
      expect(f.url).toBe(`${client.url}${client.apiPrefix}/stream/${f.path}`);
    }
    const [out] = await job.result();
    if (major() >= 5) {
      const playlist = await (await client.download(out.url!)).text();
      expect(playlist.startsWith('#EXTM3U')).toBe(true);
      expect(playlist).toContain('#EXT-X-ENDLIST');
    } // on 4.x the URL serves the audio itself, once (the server pops what it sends)
    const whole = new Uint8Array(await (await client.download(out)).arrayBuffer());
    // 3 chunks of 0.25 s at 16 kHz, 16-bit mono: 24,000 bytes of samples plus a header
    expect(new TextDecoder().decode(whole.slice(0, 4))).toBe('RIFF');
    expect(whole.length).toBeGreaterThanOrEqual(24000);
  });

  it('round-trips an image through image_transform (grayscale + flip)', async () => {
    const png = makePng(2, 1, [[255, 0, 0], [0, 0, 255]]);
    const [out] = (await client.predict('/image_transform', [handleFile(png, { name: 'two.png', type: 'image/png' })])) as [FileData];
    const pixels = readPng(new Uint8Array(await (await client.download(out)).arrayBuffer()));
    expect(pixels.width).toBe(2);
    const [first, second] = pixels.rows[0]!;
    // flipped: blue first; grayscale: r == g == b
    expect(first![0]).toBe(first![1]);
    expect(second![0]).toBe(second![2]);
    expect(first![0]).toBeLessThan(second![0]!); // luma(blue) < luma(red)
  });
});

describe('duplicate', () => {
  it('duplicates through the Hub API and connects to the copy', async () => {
    const hub = await fakeServer((req, res) => {
      if (req.url === '/api/whoami-v2') return json(res, 200, { name: 'me' });
      if (req.url === '/api/spaces/acme/calc/duplicate') return json(res, 200, { url: 'https://huggingface.co/spaces/me/calc' });
      if (req.url === '/api/spaces/me/calc/sleeptime') return json(res, 200, {});
      if (req.url === '/api/spaces/me/calc/host') return json(res, 200, { host: gradioUrl() });
      json(res, 404, {});
    });
    try {
      const c = await duplicate('acme/calc', { token: 'hf_write', hubUrl: hub.url, hardware: 't4-small' });
      expect(await c.predict('/calculate', { a: 1, b: 1 })).toEqual([2]);
      const dup = hub.requests.find((r) => r.url.endsWith('/duplicate'))!;
      expect(JSON.parse(dup.body)).toEqual({ repository: 'me/calc', private: true, hardware: 't4-small' });
      expect(JSON.parse(hub.requests.find((r) => r.url.endsWith('/sleeptime'))!.body)).toEqual({ seconds: 300 });
      expect(dup.headers.authorization).toBe('Bearer hf_write');
      c.close();
    } finally {
      await hub.close();
    }
  });

  it('reuses an existing copy (the Hub answers 409), named by toId, public when asked, with no sleep time on free hardware', async () => {
    const hub = await fakeServer((req, res) => {
      if (req.url === '/api/spaces/acme/calc/duplicate') return json(res, 409, { error: 'You already created this space repo' });
      if (req.url === '/api/spaces/team/my-calc/host') return json(res, 200, { host: gradioUrl() });
      json(res, 404, { error: 'Repository not found' });
    });
    try {
      const c = await duplicate('acme/calc', { token: 'hf_write', hubUrl: hub.url, toId: 'team/my-calc', private: false, hardware: 'cpu-basic' });
      expect(await c.predict('/calculate', { a: 2, b: 3 })).toEqual([5]);
      c.close();
      // toId names the owner (no whoami); free hardware does not sleep on a timer of its own
      expect(hub.requests.map((r) => r.url)).toEqual(['/api/spaces/acme/calc/duplicate', '/api/spaces/team/my-calc/host']);
      expect(JSON.parse(hub.requests[0]!.body)).toEqual({ repository: 'team/my-calc', private: false, hardware: 'cpu-basic' });
    } finally {
      await hub.close();
    }
  });

  it('puts a copy named by toId (a name only) under your account, and sets its sleep time in minutes', async () => {
    const hub = await fakeServer((req, res) => {
      if (req.url === '/api/whoami-v2') return json(res, 200, { name: 'me' });
      if (req.url === '/api/spaces/acme/calc/duplicate' || req.url === '/api/spaces/me/calc-gpu/sleeptime') return json(res, 200, {});
      if (req.url === '/api/spaces/me/calc-gpu/host') return json(res, 200, { host: gradioUrl() });
      json(res, 404, { error: 'Repository not found' });
    });
    try {
      const c = await duplicate('acme/calc', { token: 'hf_write', hubUrl: hub.url, toId: 'calc-gpu', hardware: 't4-small', sleepTimeout: 30 });
      c.close();
      expect(hub.requests.map((r) => r.url)).toEqual(['/api/whoami-v2', '/api/spaces/acme/calc/duplicate', '/api/spaces/me/calc-gpu/sleeptime', '/api/spaces/me/calc-gpu/host']);
      expect(JSON.parse(hub.requests[1]!.body)).toEqual({ repository: 'me/calc-gpu', private: true, hardware: 't4-small' });
      expect(JSON.parse(hub.requests[2]!.body)).toEqual({ seconds: 1800 });
    } finally {
      await hub.close();
    }
  });

  it('refuses an id that is no Space id before asking the Hub (it would reach another route of the Hub, with the token)', async () => {
    const hub = await fakeServer((_, res) => json(res, 200, { name: 'me', host: gradioUrl(), stage: 'RUNNING' }));
    try {
      // 'acme/.': fetch drops the dot segment, and spaces/acme/./host is asked as spaces/acme/host
      for (const id of ['../repos/move?x=', 'acme/..', 'acme/.', 'acme/.calc', 'acme/calc..x', 'acme/calc/../../whoami-v2?', 'acme/calc?x']) {
        await expect(duplicate(id, { token: 'hf_write', hubUrl: hub.url })).rejects.toThrow(new ArgumentError(`${JSON.stringify(id)} is no Space id "owner/name".`));
        await expect(waitForSpace(id, { token: 'hf_write', hubUrl: hub.url })).rejects.toBeInstanceOf(ArgumentError);
      }
      expect(hub.requests).toEqual([]);
    } finally {
      await hub.close();
    }
  });
});

// --- tiny PNG codec for the image test (RGB, 8 bit, no filter) ---
function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}
function makePng(width: number, height: number, pixels: number[][]): Uint8Array {
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, width);
  new DataView(ihdr.buffer).setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = new Uint8Array(height * (1 + width * 3));
  for (let y = 0; y < height; y++) pixels.slice(y * width, (y + 1) * width).forEach((p, x) => raw.set(p, y * (1 + width * 3) + 1 + x * 3));
  const parts = [new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array())];
  return Buffer.concat(parts);
}
function readPng(bytes: Uint8Array): { width: number; rows: number[][][] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  let offset = 8;
  let width = 0, height = 0, channels = 3;
  const idat: Uint8Array[] = [];
  while (offset < bytes.length) {
    const length = view.getUint32(offset);
    const type = new TextDecoder().decode(bytes.subarray(offset + 4, offset + 8));
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = view.getUint32(offset + 8);
      height = view.getUint32(offset + 12);
      channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[data[9]!] ?? 3;
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const rows: number[][][] = [];
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? cur[i - channels]! : 0, b = prev[i]!, c = i >= channels ? prev[i - channels]! : 0;
      const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter]!;
      cur[i] = (line[i]! + pred) & 255;
    }
    rows.push(Array.from({ length: width }, (_, x) => {
      const px = Array.from(cur.subarray(x * channels, (x + 1) * channels));
      return channels === 1 ? [px[0]!, px[0]!, px[0]!] : px;
    }));
    prev = cur;
  }
  return { width, rows };
}
