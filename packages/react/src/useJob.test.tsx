import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { Client, useJob, type Job } from './index.js';
import { gradioUrl } from '../test/utils.js';

let client: Client;
beforeAll(async () => {
  client = await Client.connect(gradioUrl());
});
afterAll(() => client.close());
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('useJob', () => {
  it('null is idle and opens nothing', () => {
    const fetch = vi.spyOn(globalThis, 'fetch');
    function Idle() {
      const s = useJob(null);
      return <p>{s.status} {String(s.isIdle)} {s.outputs.length}</p>;
    }
    render(<Idle />);
    expect(screen.getByText('idle true 0')).toBeTruthy();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('a throttled stream of 600 yields renders far fewer times and ends on the exact final value', async () => {
    const job = client.submit<[number]>('/many', { n: 600 });
    let renders = 0;
    let statusRenders = 0;
    function Stream({ job }: { job: Job<[number]> }) {
      renders++;
      const { data, status, outputs } = useJob(job, { throttleMs: 100 });
      return <p>{status} {data?.[0]} {outputs.length}</p>;
    }
    function StatusOnly({ job }: { job: Job<[number]> }) {
      statusRenders++;
      const status = useJob(job, { select: (s) => s.status });
      return <p>only {status}</p>;
    }
    render(<><Stream job={job} /><StatusOnly job={job} /></>);
    await screen.findByText('success 600 600', {}, { timeout: 30_000 });
    await screen.findByText('only success');
    expect(renders).toBeLessThan(60);
    // Output updates do not re-render a component that reads only the status.
    expect(statusRenders).toBeLessThanOrEqual(6);
  });

  it('passes status changes through the throttle at once', async () => {
    const job = client.submit<[string]>('/slow', { label: 'p', seconds: 0.5 });
    const seen: string[] = [];
    function Slow() {
      const s = useJob(job, { throttleMs: 60_000 });
      if (seen.at(-1) !== s.status) seen.push(s.status);
      return <p>{s.status} {s.progress?.[0]?.desc ?? ''} {s.data?.[0]}</p>;
    }
    render(<Slow />);
    await screen.findByText(/step \d/, {}, { timeout: 20_000 });
    await screen.findByText(/success .* done p/, {}, { timeout: 20_000 });
    expect(seen).toContain('running');
    expect(seen.at(-1)).toBe('success');
  });

  it('switches to another job', async () => {
    const a = client.submit<[string]>('/echo', ['a']);
    const b = client.submit<[string]>('/echo', ['b']);
    function Echo({ job }: { job: Job<[string]> | null }) {
      const s = useJob(job);
      return <p>{s.status} {s.data?.[0]}</p>;
    }
    const { rerender } = render(<Echo job={a} />);
    await screen.findByText('success a');
    rerender(<Echo job={b} />);
    await screen.findByText('success b');
    rerender(<Echo job={null} />);
    expect(screen.getByText('idle')).toBeTruthy();
    await act(() => Promise.resolve());
  });

  it('applies a new throttleMs to the running job', async () => {
    const job = client.submit<[number]>('/count', { n: 10, delay: 0.2 });
    const shown: number[] = [];
    function Count({ throttleMs }: { throttleMs: number }) {
      const s = useJob(job, { throttleMs });
      if (s.data && s.data[0] !== shown.at(-1)) shown.push(s.data[0]);
      return <p>{s.status} {s.data?.[0]}</p>;
    }
    const { rerender } = render(<Count throttleMs={60_000} />);
    await screen.findByText(/^streaming \d+$/, {}, { timeout: 10_000 });
    const held = shown.length;
    rerender(<Count throttleMs={0} />);
    await screen.findByText('success 10', {}, { timeout: 10_000 });
    // from then on, the outputs are shown as they come, not held for a minute until the end
    expect(shown.slice(held).length).toBeGreaterThan(1);
  });

  it('throttles nothing by default: every render shows what an explicit throttleMs: 0 shows', async () => {
    const job = client.submit<[number]>('/count', { n: 10, delay: 0.03 });
    const differ: string[] = [];
    function Count() {
      const byDefault = useJob(job);
      const unthrottled = useJob(job, { throttleMs: 0 });
      if (byDefault.outputs.length !== unthrottled.outputs.length) differ.push(`${byDefault.outputs.length} ${unthrottled.outputs.length}`);
      return <p>{byDefault.status} {byDefault.data?.[0]}</p>;
    }
    render(<Count />);
    await screen.findByText('success 10', {}, { timeout: 10_000 });
    expect(differ).toEqual([]);
  });

  it('reports logs and the app error', async () => {
    const logs = client.submit<[string]>('/logs', ['hey']);
    const fail = client.submit<[string]>('/fail', ['bad']);
    function View({ job }: { job: Job<[string]> }) {
      const s = useJob(job);
      return <p>{s.status}: {s.logs.map((l) => l.message).join('|')} {s.error?.message}</p>;
    }
    render(<><View job={logs} /><View job={fail} /></>);
    await screen.findByText('success: info: hey|warning: hey');
    await waitFor(() => expect(screen.getByText(/error:/).textContent).toBe('error:  bad'));
  });
});
