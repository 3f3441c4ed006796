import type { ClientOptions } from './client.js';

/** The options seen so far, as text, and their numbers. */
const ids = new Map<string, number>();

/**
 * A number for the options that make one connection differ from another: `token`, `oauthToken`,
 * `auth`, `headers` (by content: a record, a `Headers` object or pairs), `sessionHash`,
 * `credentials` and `hubUrl` (not `fetch`, `signal` or the time limits). Equal options give the same
 * number in this process, so a cache can key a shared client by it (the React hooks do) without
 * holding the token, the password or the headers in its keys, which TanStack's devtools show and a
 * persisted cache writes out.
 */
export function connectionId(options: ClientOptions): number {
  const o = options;
  const said = JSON.stringify([o.token, o.oauthToken, o.auth, o.headers && Object.fromEntries(new Headers(o.headers)), o.sessionHash, o.credentials, o.hubUrl]);
  return ids.get(said) ?? ids.set(said, ids.size).size - 1;
}
