// A route handler: the client's classes, from @gradio-hooks/react, are the real ones on the server.
import { AppError, Client } from '@gradio-hooks/react';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  const client = await Client.connect(process.env.GRADIO_URL ?? '');
  try {
    const [sum] = await client.predict<[number]>('/calculate', { a: 20, b: 22 });
    const failed = await client.predict('/fail', { message: 'from a route' }).catch((e: unknown) => e);
    return Response.json({ sum, appError: failed instanceof AppError && failed.message });
  } finally {
    client.close();
  }
}
