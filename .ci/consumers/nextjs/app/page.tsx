// A server component, importing from @gradio-hooks/react only (the one package a React app
// installs): it calls the app on the server with the real Client, and renders <GradioProvider>
// around a client component whose hook calls it from the browser.
import { Client, GradioProvider } from '@gradio-hooks/react';
import { Sum } from './Sum';

export const dynamic = 'force-dynamic'; // GRADIO_URL is known when the app runs, not when it is built

export default async function Page() {
  const url = process.env.GRADIO_URL ?? '';
  const client = await Client.connect(url);
  try {
    const [sum] = await client.predict<[number]>('/calculate', { a: 2, b: 3 });
    return (
      <main>
        <p id="server">server sum {sum}</p>
        <GradioProvider src={url}>
          <Sum />
        </GradioProvider>
      </main>
    );
  } finally {
    client.close();
  }
}
