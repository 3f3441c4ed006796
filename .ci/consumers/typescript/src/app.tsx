// A browser project (lib DOM, no @types/node, skipLibCheck: false) using both packages.
import { Client, GradioError, handleFile, type Job, type JobSnapshot } from '@gradio-hooks/client';
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

export const opts = predictQueryOptions;
export const hook = useJob;
