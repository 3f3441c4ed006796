// A Node project (Node's types, no DOM library, skipLibCheck: false) using the client with the
// options whose types come from fetch: headers (a record, a Headers, pairs) and credentials.
import { Client, handleFile, type ClientOptions, type SubmitOptions } from '@gradio-hooks/client';

const options: ClientOptions = { headers: new Headers({ 'x-team': 'a' }), credentials: 'include', timeout: 10_000 };
const call: SubmitOptions<[string]> = { headers: [['x-user', 'b']], signal: AbortSignal.timeout(5_000) };

export async function fileName(url: string, path: string): Promise<string> {
  const client = await Client.connect(url, { ...options, headers: { 'x-team': 'a' } });
  try {
    const [name] = await client.predict<[string]>('/file_name', [handleFile(path)], call);
    return name;
  } finally {
    client.close();
  }
}
