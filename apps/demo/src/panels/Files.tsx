import { useEffect, useState, type ChangeEvent } from 'react';
import { handleFile, usePredict, type FileData } from '@gradio-hooks/react';
import { Panel, StatusBadge, safeUrl } from '../ui';

/** Draws a small colourful PNG so the panel can be tried without a file at hand. */
async function sampleImage(): Promise<File> {
  const canvas = document.createElement('canvas');
  canvas.width = 240;
  canvas.height = 160;
  const ctx = canvas.getContext('2d')!;
  const g = ctx.createLinearGradient(0, 0, 240, 160);
  g.addColorStop(0, '#f97316');
  g.addColorStop(1, '#6366f1');
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, 240, 160);
  ctx.fillStyle = '#fff';
  ctx.font = 'bold 44px system-ui, sans-serif';
  ctx.fillText('Gradio →', 18, 96);
  const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/png'));
  return new File([blob!], 'sample.png', { type: 'image/png' });
}

/**
 * Files: an image chosen in the browser is uploaded with the call (`handleFile`), transformed by
 * `/image_transform` (grayscale + flip), and the returned `FileData` is shown by its URL.
 */
export function Files() {
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const { submit, data, status, error, isPending, client } = usePredict<[FileData]>('/image_transform');

  useEffect(() => {
    if (!file) return setPreview(null);
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const choose = (f: File | null) => {
    setFile(f);
    if (f && client) submit([handleFile(f)]);
  };
  const onChange = (e: ChangeEvent<HTMLInputElement>) => choose(e.target.files?.[0] ?? null);
  const out = data?.[0];
  const outUrl = safeUrl(out?.url);

  return (
    <Panel id="files" title="Files" uses="handleFile · usePredict<[FileData]>" description="Upload an image; /image_transform returns it grayscale and flipped.">
      <div className="inline-form">
        <label className="button file-button" htmlFor="image-input">
          Choose an image…
        </label>
        <input id="image-input" className="sr-only-file" type="file" accept="image/*" onChange={onChange} data-testid="image-input" aria-label="Image to transform" />
        <button type="button" className="button ghost" disabled={!client} onClick={() => void sampleImage().then(choose)}>
          Use a sample
        </button>
        <StatusBadge status={status} testId="files-status" />
      </div>
      <div className="image-pair">
        <figure>
          <div className="image-box">{preview ? <img src={preview} alt="Your upload" /> : <span className="muted">No image</span>}</div>
          <figcaption>{file ? file.name : 'Input'}</figcaption>
        </figure>
        <span className="arrow" aria-hidden="true">
          →
        </span>
        <figure>
          <div className="image-box">
            {isPending ? <span className="spinner" role="status" aria-label="Transforming" /> : outUrl ? <img src={outUrl} alt="Grayscale, flipped result" data-testid="image-output" /> : <span className="muted">{error ? '' : 'Result'}</span>}
          </div>
          <figcaption>
            {out && outUrl ? (
              <a href={outUrl} target="_blank" rel="noreferrer" download={out.orig_name ?? undefined}>
                {out.orig_name ?? 'result'}
              </a>
            ) : (
              'Output'
            )}
          </figcaption>
        </figure>
      </div>
      {error && (
        <p role="alert" className="error-text">
          {error.message}
        </p>
      )}
    </Panel>
  );
}
