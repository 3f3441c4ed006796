import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { Client, usePredict, useJob, type Job } from './index.js';
import { newQueryClient, renderApp, session } from '../test/utils.js';

const qc = newQueryClient();
afterEach(() => {
  cleanup();
  qc.clear();
  vi.restoreAllMocks();
});

describe('StrictMode', () => {
  it('query mode: the double mount submits once and does not cancel the call', async () => {
    const submit = vi.spyOn(Client.prototype, 'submit');
    const connect = vi.spyOn(Client, 'connect');
    let job: Job<[number]> | null = null;
    function Counter() {
      const r = usePredict<[number]>('/count', { args: { n: 4, delay: 0.1 } });
      job = r.job;
      return <p>{r.status} {r.outputs.map(([n]) => n).join(',')}</p>;
    }
    renderApp(<Counter />, { queryClient: qc, strict: true, sessionHash: session() });
    await screen.findByText('success 1,2,3,4', {}, { timeout: 20_000 });
    expect(submit).toHaveBeenCalledTimes(1);
    expect(connect).toHaveBeenCalledTimes(1);
    expect(job!.getSnapshot().stage).toBe('success');
  });

  it('imperative: a submitted job survives re-renders and effects, one job per click', async () => {
    const submit = vi.spyOn(Client.prototype, 'submit');
    function Counter() {
      const { submit: start, status, data, client, job } = usePredict<[number]>('/count');
      const queue = useJob(job, { select: (s) => s.queue.position });
      return (
        <div>
          <button disabled={!client} onClick={() => start({ n: 3, delay: 0.1 })}>go</button>
          <p>{status} {data?.[0]} {queue ?? '-'}</p>
        </div>
      );
    }
    renderApp(<Counter />, { queryClient: qc, strict: true, sessionHash: session() });
    await waitFor(() => expect(screen.getByRole('button').hasAttribute('disabled')).toBe(false));
    fireEvent.click(screen.getByRole('button'));
    await screen.findByText('success 3 -', {}, { timeout: 20_000 });
    expect(submit).toHaveBeenCalledTimes(1);
  });
});
