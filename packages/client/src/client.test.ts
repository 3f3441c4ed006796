import { describe, expect, it } from 'vitest';
import { appSource } from './index.js';

describe('appSource', () => {
  it('reads a URL as connect() does: trimmed, without its query, hash and trailing slashes', () => {
    expect(appSource(' http://127.0.0.1:7860/\n')).toBe('http://127.0.0.1:7860');
    expect(appSource('https://example.com/apps/calc//?view=api#top')).toBe('https://example.com/apps/calc');
    expect(appSource('HTTP://example.com/')).toBe('HTTP://example.com');
  });

  it("reads a Space's page on the Hub as its id, and leaves an id as it is", () => {
    expect(appSource('https://huggingface.co/spaces/owner/name/discussions?x=1')).toBe('owner/name');
    expect(appSource('http://hub.local/spaces/owner/name', 'http://hub.local')).toBe('owner/name');
    expect(appSource(' owner/name ')).toBe('owner/name');
  });

  it('reads what is not a string as empty (connect() then says what it got)', () => {
    expect(appSource(undefined as unknown as string)).toBe('');
  });
});
