import { describe, expect, it } from 'vitest';
import { connectionId } from './connectionId.js';

describe('connectionId', () => {
  it('gives equal identity options one number, whatever form the headers take, and other options others', () => {
    const base = connectionId({ token: 'hf_a', headers: { 'X-Key': 'k' } });
    expect(connectionId({ token: 'hf_a', headers: new Headers({ 'x-key': 'k' }) })).toBe(base);
    expect(connectionId({ token: 'hf_a', headers: [['x-key', 'k']], timeout: 5, fetch, signal: new AbortController().signal })).toBe(base);
    const others = [
      { token: 'hf_b', headers: { 'x-key': 'k' } },
      { token: 'hf_a' },
      { token: 'hf_a', headers: { 'x-key': 'k' }, sessionHash: 's' },
      { token: 'hf_a', headers: { 'x-key': 'k' }, auth: ['u', 'p'] as const },
      { token: 'hf_a', headers: { 'x-key': 'k' }, oauthToken: 'o' },
      { token: 'hf_a', headers: { 'x-key': 'k' }, credentials: 'include' as const },
      { token: 'hf_a', headers: { 'x-key': 'k' }, hubUrl: 'http://hub' },
    ].map(connectionId);
    expect(new Set([base, ...others]).size).toBe(8);
    expect(connectionId({ token: 'hf_b', headers: { 'x-key': 'k' } })).toBe(others[0]);
    expect(typeof base).toBe('number'); // no secret in it
  });
});
