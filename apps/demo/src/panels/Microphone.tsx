import { useEffect, useRef, useState } from 'react';
import { handleFile, usePredict, type Job } from '@gradio-hooks/react';
import { Panel, StatusBadge } from '../ui';

/** A mono 16-bit WAV file of samples in [-1, 1]. */
function wav(samples: Float32Array, rate: number): Blob {
  const view = new DataView(new ArrayBuffer(44 + samples.length * 2));
  const text = (at: number, s: string) => [...s].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  view.setUint32(4, 36 + samples.length * 2, true);
  text(8, 'WAVEfmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, samples.length * 2, true);
  samples.forEach((s, i) => view.setInt16(44 + i * 2, Math.max(-1, Math.min(1, s)) * 0x7fff, true));
  return new Blob([view], { type: 'audio/wav' });
}

/**
 * Streamed input: the microphone feeds one call of `/listen` (a `.stream()` event) with a WAV chunk
 * every half second, as Gradio's own microphone does: the first chunk starts the call, `job.send()`
 * passes the next ones, Stop ends its input with `job.closeInput()` and the call finishes.
 */
export function Microphone() {
  const { submit, data, status, error, client } = usePredict<[string]>('/listen');
  const [listening, setListening] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const stopRef = useRef<(() => Promise<void>) | null>(null);
  useEffect(() => () => void stopRef.current?.(), []);

  const start = async () => {
    setProblem(null);
    try {
      const media = await navigator.mediaDevices.getUserMedia({ audio: true });
      const audio = new AudioContext();
      const source = audio.createMediaStreamSource(media);
      // ScriptProcessorNode: deprecated but everywhere, and enough to copy samples out.
      const tap = audio.createScriptProcessor(4096, 1, 1);
      let heard: Float32Array[] = [];
      tap.onaudioprocess = (e) => heard.push(new Float32Array(e.inputBuffer.getChannelData(0)));
      source.connect(tap);
      tap.connect(audio.destination);
      let job: Job<[string]> | null = null;
      const flush = () => {
        if (!heard.length) return;
        const samples = new Float32Array(heard.reduce((n, b) => n + b.length, 0));
        heard.reduce((at, b) => (samples.set(b, at), at + b.length), 0);
        heard = [];
        const chunk = handleFile(wav(samples, audio.sampleRate), { name: 'chunk.wav' });
        if (!job) job = submit({ chunk });
        // false: the call has ended (the app's time_limit): stop listening
        else
          job.send({ chunk }).then(
            (open) => void (open || stop()),
            (e: Error) => {
              // e.g. an app whose /listen does not stream its input (Gradio 4): say so, stop listening
              setProblem(e.message);
              void stop();
            },
          );
      };
      const timer = setInterval(flush, 500);
      const stop = async () => {
        if (stopRef.current !== stop) return;
        stopRef.current = null;
        clearInterval(timer);
        flush();
        tap.disconnect();
        source.disconnect();
        media.getTracks().forEach((t) => t.stop());
        setListening(false);
        await audio.close();
        await job?.closeInput().catch((e: Error) => setProblem(e.message));
      };
      stopRef.current = stop;
      setListening(true);
    } catch (e) {
      setProblem(`No microphone: ${(e as Error).message}`);
    }
  };

  return (
    <Panel
      id="microphone"
      title="Microphone"
      uses="usePredict · job.send() · job.closeInput()"
      description="Streamed input: the microphone feeds one call of a .stream() event, which answers as it goes."
    >
      <div className="counter">
        {/* /listen answers "<n> samples" */}
        <output className="counter-value" data-testid="mic-heard" aria-label="Samples heard">
          {data?.[0].split(' ')[0] ?? '—'}
        </output>
        <div className="counter-actions">
          {listening ? (
            <button type="button" className="button" onClick={() => stopRef.current?.()} data-testid="mic-stop">
              Stop
            </button>
          ) : (
            <button type="button" className="button primary" disabled={!client} onClick={start} data-testid="mic-start">
              Listen
            </button>
          )}
        </div>
      </div>
      <p className="muted small">
        Samples the server got: chunks of 0.5 s go to one call of <code>/listen</code> · <StatusBadge status={status} testId="mic-status" />
      </p>
      {(problem ?? error) && (
        <p className="error" role="alert">
          {problem ?? error?.message}
        </p>
      )}
    </Panel>
  );
}
