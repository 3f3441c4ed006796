import { useState, type FormEvent, type ReactNode } from 'react';
import { AppError, handleFile, useGradioClient, usePredict, type Args, type EndpointInfo, type ParameterInfo } from '@gradio-hooks/react';
import { Field, Panel, StatusBadge, Value } from '../ui';

/**
 * API explorer: lists the app's endpoints (`viewApi()` through `useGradioClient(…, { api: true })`),
 * and for the selected one generates a form from its parameter types, calls it with `usePredict`
 * and renders the outputs (files as images or links).
 */
export function ApiExplorer() {
  const { api, error } = useGradioClient(undefined, { api: true });
  const [selected, setSelected] = useState<string | null>(null);
  const endpoints = Object.entries(api?.named_endpoints ?? {});
  const current = endpoints.find(([name]) => name === selected) ?? endpoints[0];

  return (
    <Panel id="explorer" title="API explorer" uses="useGradioClient(undefined, { api: true }) · usePredict" description="Every endpoint of the app, with a form generated from its parameter types.">
      {error && (
        <p role="alert" className="error-text">
          Could not load the endpoint info: {error.message}
        </p>
      )}
      {!api && !error && <p className="muted">Loading endpoints…</p>}
      {api && (
        <div className="explorer">
          <nav className="endpoint-list" aria-label="Endpoints">
            {endpoints.length === 0 && <p className="muted">This app has no public named endpoints.</p>}
            <ul>
              {endpoints.map(([name, info]) => (
                <li key={name}>
                  <button type="button" className="endpoint" aria-pressed={name === current?.[0]} data-testid={`endpoint-${name.slice(1)}`} onClick={() => setSelected(name)}>
                    <span className="endpoint-name">{name}</span>
                    <span className="endpoint-meta">
                      {info.parameters.length} in · {info.returns.length} out
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </nav>
          {current && <EndpointForm key={current[0]} name={current[0]} info={current[1]} />}
        </div>
      )}
    </Panel>
  );
}

type Kind = 'number' | 'integer' | 'text' | 'enum' | 'boolean' | 'file' | 'json';

/** Picks a form control from the parameter's JSON schema, Python type and component. */
function kindOf(p: ParameterInfo): Kind {
  const t = p.type ?? {};
  if (Array.isArray(t.enum)) return 'enum';
  if (p.python_type?.type === 'filepath' || t.properties?.path || /^(Image|File|Audio|Video|Model3D|UploadButton)$/.test(p.component)) return 'file';
  if (t.type === 'integer') return 'integer';
  if (t.type === 'number') return 'number';
  if (t.type === 'boolean') return 'boolean';
  if (t.type === 'string') return 'text';
  return 'json';
}

type FieldValue = string | boolean | File | null;

/** A label as text: a translated one (`gr.I18n`, a Gradio 6 chatbot) shows its key. */
const text = (label: ParameterInfo['label']) => (typeof label === 'string' ? label : label?.key);

const nameOf = (p: ParameterInfo, i: number) => p.parameter_name || text(p.label) || `arg${i}`;

function initialValue(p: ParameterInfo): FieldValue {
  const kind = kindOf(p);
  const d = p.parameter_has_default ? p.parameter_default : undefined;
  if (kind === 'file') return null;
  if (kind === 'boolean') return d === true;
  if (kind === 'json') return d === undefined ? '' : JSON.stringify(d);
  return d === undefined || d === null ? '' : String(d);
}

/** Turns the form's strings into the endpoint's argument values. `undefined` = leave to the server's default. */
function toValue(p: ParameterInfo, v: FieldValue): unknown {
  const kind = kindOf(p);
  if (kind === 'file') return v instanceof File ? handleFile(v) : p.parameter_has_default ? undefined : null;
  if (kind === 'boolean') return v === true;
  if (v === '' && p.parameter_has_default) return undefined;
  if (kind === 'number' || kind === 'integer') return v === '' ? null : Number(v);
  if (kind === 'json') {
    try {
      return JSON.parse(String(v));
    } catch {
      return v;
    }
  }
  return v;
}

/** A short JavaScript snippet equivalent to the form's call. */
function snippet(name: string, params: ParameterInfo[], values: FieldValue[]): string {
  const parts = params.map((p, i) => {
    const v = toValue(p, values[i] ?? null);
    if (v === undefined) return null;
    const shown = values[i] instanceof File ? `handleFile(file)` : JSON.stringify(v);
    return `${nameOf(p, i)}: ${shown}`;
  });
  const args = parts.filter(Boolean).join(', ');
  return `const { predict } = usePredict('${name}');\nawait predict({ ${args} });`;
}

function EndpointForm({ name, info }: { name: string; info: EndpointInfo }) {
  const params = info.parameters;
  const [values, setValues] = useState<FieldValue[]>(() => params.map(initialValue));
  const call = usePredict<unknown[]>(name, { throttleMs: 50 });
  const set = (i: number, v: FieldValue) => setValues((all) => all.map((x, j) => (j === i ? v : x)));

  const run = (e: FormEvent) => {
    e.preventDefault();
    const named = params.every((p) => p.parameter_name);
    let args: Args;
    if (named) {
      const obj: Record<string, unknown> = {};
      params.forEach((p, i) => {
        const v = toValue(p, values[i] ?? null);
        if (v !== undefined && p.parameter_name) obj[p.parameter_name] = v;
      });
      args = obj;
    } else {
      args = params.map((p, i) => toValue(p, values[i] ?? null) ?? p.parameter_default ?? null);
    }
    call.submit(args); // a call that cannot start (wrong arguments) shows its error in call.error
  };

  const { error } = call;
  return (
    <div className="endpoint-detail">
      <div className="endpoint-head">
        <h3 className="mono">{name}</h3>
        {info.description && <p className="muted">{info.description}</p>}
      </div>
      <form className="param-form" onSubmit={run} aria-label={`Call ${name}`}>
        {params.length === 0 && <p className="muted">No parameters.</p>}
        {params.map((p, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: parameters are positional
          <ParamField key={i} param={p} index={i} endpoint={name} value={values[i] ?? null} onChange={(v) => set(i, v)} />
        ))}
        <div className="form-actions">
          <button type="submit" className="button primary" data-testid="explorer-run">
            Run {name}
          </button>
          {call.isPending && (
            <button type="button" className="button" onClick={call.cancel}>
              Cancel
            </button>
          )}
          <StatusBadge status={call.status} testId="explorer-status" />
          {call.outputs.length > 1 && <span className="muted">{call.outputs.length} outputs streamed</span>}
        </div>
      </form>
      <div className="result" aria-live="polite">
        <h4>Result</h4>
        {error ? (
          <p role="alert" className="error-text" data-testid="explorer-error">
            {error instanceof AppError && error.title ? <strong>{error.title}: </strong> : null}
            {error.message}
          </p>
        ) : call.data ? (
          <dl className="outputs" data-testid="explorer-result">
            {info.returns.map((r, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: outputs are positional
              <div key={i} className="output">
                <dt>
                  {text(r.label) ?? `output ${i}`} <span className="type">{r.python_type?.type}</span>
                </dt>
                <dd data-testid={`explorer-output-${i}`}>
                  <Value value={(call.data as unknown[])[i]} />
                </dd>
              </div>
            ))}
          </dl>
        ) : (
          <p className="muted">{call.isPending ? 'Waiting for the server…' : 'Fill the form and run the endpoint.'}</p>
        )}
      </div>
      <details className="snippet">
        <summary>Code for this call</summary>
        <pre>
          <code>{snippet(name, params, values)}</code>
        </pre>
      </details>
    </div>
  );
}

function ParamField({ param, index, endpoint, value, onChange }: { param: ParameterInfo; index: number; endpoint: string; value: FieldValue; onChange: (v: FieldValue) => void }) {
  const kind = kindOf(param);
  const id = `param-${endpoint.slice(1)}-${index}`;
  const name = nameOf(param, index);
  const hint = (
    <>
      <span className="type">{param.python_type?.type}</span>
      {param.parameter_has_default ? <span> · default {JSON.stringify(param.parameter_default)}</span> : <span className="required"> · required</span>}
    </>
  );
  const testId = `param-${name}`;
  let control: ReactNode;
  switch (kind) {
    case 'enum':
      control = (
        <select id={id} data-testid={testId} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)}>
          {!param.parameter_has_default && <option value="">Choose…</option>}
          {(param.type?.enum ?? []).map((o) => (
            <option key={String(o)} value={String(o)}>
              {String(o)}
            </option>
          ))}
        </select>
      );
      break;
    case 'boolean':
      control = <input id={id} data-testid={testId} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
      break;
    case 'file':
      control = <input id={id} data-testid={testId} type="file" accept={param.component === 'Image' ? 'image/*' : undefined} onChange={(e) => onChange(e.target.files?.[0] ?? null)} />;
      break;
    case 'number':
    case 'integer':
      control = (
        <input id={id} data-testid={testId} type="number" step={kind === 'integer' ? 1 : 'any'} value={String(value ?? '')} placeholder={param.example_input !== undefined ? `e.g. ${String(param.example_input)}` : undefined} onChange={(e) => onChange(e.target.value)} />
      );
      break;
    case 'json':
      control = <textarea id={id} data-testid={testId} rows={2} value={String(value ?? '')} placeholder="JSON value" onChange={(e) => onChange(e.target.value)} />;
      break;
    default:
      control = <input id={id} data-testid={testId} type="text" value={String(value ?? '')} placeholder={typeof param.example_input === 'string' ? `e.g. ${param.example_input}` : undefined} onChange={(e) => onChange(e.target.value)} />;
  }
  return (
    <Field htmlFor={id} label={<span className="mono">{name}</span>} hint={hint}>
      {control}
    </Field>
  );
}
