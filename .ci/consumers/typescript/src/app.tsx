// A browser project (lib DOM, no @types/node, skipLibCheck: false, the strictest optional types) using both packages.
import { Client, GradioError, handleFile, type Job, type JobSnapshot } from '@gradio-hooks/client';
import { QueryClient, useQuery } from '@tanstack/react-query';
import { GradioProvider, usePredict, useGradioClient, useJob, predictQueryOptions, type PredictStatus } from '@gradio-hooks/react';

export async function sum(url: string): Promise<number> {
  const client = await Client.connect(url);
  try {
    const [value] = await client.predict<[number]>('/calculate', { a: 2, b: 3 });
    return value;
  } catch (err) {
    if (err instanceof GradioError) throw new Error(err.message);
    throw err;
  } finally {
    client.close();
  }
}

export function fileInput(blob: Blob) {
  return handleFile(blob);
}

export function latest(job: Job<[number]>): JobSnapshot<[number]> {
  return job.getSnapshot();
}

function Sum() {
  const { data, status } = usePredict<[number]>('/calculate', { args: { a: 2, b: 3 } });
  const s: PredictStatus = status;
  const { client } = useGradioClient();
  return <p>{s === 'success' ? data?.[0] : s}{client ? '' : '…'}</p>;
}

export function App() {
  return (
    <GradioProvider src="http://127.0.0.1:7860">
      <Sum />
    </GradioProvider>
  );
}

/** predictQueryOptions in TanStack's own hooks and methods, its data typed by the key. */
function Cached({ client }: { client: Client }) {
  const options = predictQueryOptions<[number]>(client, '/calculate', { a: 2, b: 3 });
  const { data } = useQuery(options);
  const cached: [number] | undefined = new QueryClient().getQueryData(options.queryKey);
  return <p>{data?.[0] ?? cached?.[0]}</p>;
}

export const prefetch = (qc: QueryClient, client: Client) => qc.prefetchQuery(predictQueryOptions(client, '/echo', ['hi']));
export const cached = Cached;
export const hook = useJob;

/**
 * Options read from the environment or props are often `T | undefined`: under
 * exactOptionalPropertyTypes every option takes `undefined`, as when it is left out.
 */
export function Configured({ token, ms }: { token?: string | undefined; ms?: number | undefined }) {
  const connecting = Client.connect('http://127.0.0.1:7860', { token, timeout: ms, sessionHash: undefined, auth: undefined });
  void connecting.then((c) => {
    const job = c.submit('/calculate', [1, 2], { signal: undefined, timeout: ms, headers: undefined });
    void job.cancel({ reason: undefined, spareOthers: undefined });
    void c.viewApi({ all: undefined });
    return c.download('x', { signal: undefined });
  });
  handleFile(new Blob([]), { name: undefined, type: undefined });
  const predict = usePredict<[number]>('/calculate', { args: undefined, enabled: undefined, throttleMs: ms, timeout: ms, onData: undefined });
  useJob(predict.job, { throttleMs: ms, select: undefined });
  useGradioClient(undefined, { token, api: undefined, gcTime: ms });
  return (
    <GradioProvider src="http://127.0.0.1:7860" options={{ token }} queryClient={undefined}>
      <p>{predict.status}</p>
    </GradioProvider>
  );
}

export const timed = (client: Client, ms?: number) => predictQueryOptions<[number]>(client, '/calculate', [], { timeout: ms });
