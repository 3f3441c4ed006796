import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderToString } from 'react-dom/server';
import { QueryClient } from '@tanstack/react-query';
import { GradioProvider, useGradioClient, useJob, usePredict } from './index.js';

afterEach(() => vi.restoreAllMocks());

function App() {
  const { status } = useGradioClient();
  const sum = usePredict<[number]>('/calculate', { args: { a: 2, b: 3 } });
  const manual = usePredict<[string]>('/echo');
  const idle = useJob(null);
  return <p>{`${status} / ${sum.status} / ${manual.status} / ${idle.status}`}</p>;
}

describe('server rendering', () => {
  it('renders without any network call', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch');
    expect(typeof window).toBe('undefined');
    const queryClient = new QueryClient();
    const html = renderToString(<GradioProvider src="http://127.0.0.1:9" queryClient={queryClient}><App /></GradioProvider>);
    expect(html).toBe('<p>connecting / queued / idle / idle</p>');
    await new Promise((r) => setTimeout(r, 100));
    expect(fetch).not.toHaveBeenCalled();
    queryClient.clear();
  });

  it('imports without touching window', async () => {
    const mod = await import('./index.js');
    expect(typeof mod.usePredict).toBe('function');
  });
});
