import { describe, expect, it, vi } from 'vitest';
import { appSource, ArgumentError, Client, type ClientOptions } from './index.js';

describe('appSource', () => {
  it('reads a URL as connect() does: trimmed, without its query, hash and trailing slashes', () => {
    expect(appSource(' http://127.0.0.1:7860/\n')).toBe('http://127.0.0.1:7860');
    expect(appSource('https://example.com/apps/calc//?view=api#top')).toBe('https://example.com/apps/calc');
  });

  it('reads a URL as requests send it, so that one app has one URL (its file URLs and hook keys match)', () => {
    expect(appSource('HTTP://LocalHost:7860/')).toBe('http://localhost:7860');
    expect(appSource('http://127.0.0.1:7860/./apps/../calc/')).toBe('http://127.0.0.1:7860/calc');
    expect(appSource('https://example.com:443/my app')).toBe('https://example.com/my%20app');
    // a Space's page written otherwise is still the Space, and reading a result again changes nothing
    for (const page of ['HTTPS://HuggingFace.co/spaces/o/n', 'https://huggingface.co:443/spaces/o/n', 'https://huggingface.co/./spaces/o/n/']) {
      expect(appSource(page)).toBe('o/n');
      expect(appSource(appSource(page))).toBe('o/n');
    }
    // one that is no URL stays as it is, for connect() to say so
    expect(appSource('http://exa mple.com')).toBe('http://exa mple.com');
  });

  it("reads a Space's page on the Hub as its id, and leaves an id as it is", () => {
    expect(appSource('https://huggingface.co/spaces/owner/name/discussions?x=1')).toBe('owner/name');
    expect(appSource('http://hub.local/spaces/owner/name', 'http://hub.local')).toBe('owner/name');
    expect(appSource(' owner/name ')).toBe('owner/name');
  });

  it("reads a path as a URL on the page's origin where there is a page (a browser, a worker), and leaves it elsewhere", () => {
    expect(appSource('/gradio')).toBe('/gradio'); // Node: no location
    vi.stubGlobal('location', new URL('http://127.0.0.1:5173/app/page?x=1#top'));
    try {
      expect(appSource(' /gradio/ ')).toBe('http://127.0.0.1:5173/gradio');
      expect(appSource('/')).toBe('http://127.0.0.1:5173');
      expect(appSource('//apps.example.com/calc')).toBe('http://apps.example.com/calc');
      expect(appSource('owner/name')).toBe('owner/name');
    } finally {
      vi.unstubAllGlobals();
    }
    // a runtime whose `location` throws when it has none (Deno without --location)
    Object.defineProperty(globalThis, 'location', { configurable: true, get: () => { throw new ReferenceError('no location'); } });
    try {
      expect(appSource('/gradio')).toBe('/gradio');
    } finally {
      Reflect.deleteProperty(globalThis, 'location');
    }
  });

  it('reads what is not a string as empty (connect() then says what it got), and a URL object as its text', () => {
    expect(appSource(undefined as unknown as string)).toBe('');
    expect(appSource(new URL('http://127.0.0.1:7860/app/?x=1'))).toBe('http://127.0.0.1:7860/app');
  });
});

describe('Client.connect: bad options fail with an ArgumentError before any request', () => {
  const sent: string[] = [];
  const fetch = (input: RequestInfo | URL) => (sent.push(String(input)), Promise.reject(new Error('no request expected')));
  const url = 'http://127.0.0.1:9';
  it.each([
    ['a sessionHash that is no string', { sessionHash: 123 }, 'sessionHash 123: give a non-empty id without "/", not "." or "..".'],
    ['auth as one string', { auth: 'ada:lovelace' }, 'auth: give [username, password], two strings, neither empty.'],
    ['auth of numbers', { auth: [1, 2] }, 'auth: give [username, password], two strings, neither empty.'],
    ['a timeout that is a string', { timeout: '5' }, 'timeout is "5": give milliseconds ≥ 0 (0 or Infinity: no limit).'],
    ['a timeout that is true', { timeout: true }, 'timeout is true: give milliseconds ≥ 0 (0 or Infinity: no limit).'],
  ])('%s', async (_, options, message) => {
    sent.length = 0;
    await expect(Client.connect(url, { ...(options as object), fetch })).rejects.toThrow(new ArgumentError(message));
    expect(sent).toEqual([]);
  });

  it('headers or a token fetch would refuse (a pasted "…" in a token, a line break in a value), named as such', async () => {
    sent.length = 0;
    for (const options of [{ token: 'hf_abc…' }, { headers: { 'x-team': 'a\nb' } }, { headers: { 'bad name': 'x' } }] as ClientOptions[]) {
      const error = await Client.connect(url, { ...options, fetch }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ArgumentError);
      expect((error as Error).message).toMatch(/^headers \(or token\): /);
    }
    expect(sent).toEqual([]);
  });
});
