import type { ApiInfo, EndpointInfo } from './types.js';

/**
 * Python's `sanitize_parameter_names()`: the letters, digits, spaces and `_` of a name. Python walks
 * a translated label (an object) by its keys, keeping the alphanumeric ones: it prints `key`.
 */
const clean = (name: string | object) =>
  (typeof name === 'string' ? [...name] : Object.keys(name))
    .filter((c) => /^[\p{L}\p{N}]+$/u.test(c) || ' _'.includes(c))
    .join('')
    .replace(/ /g, '_')
    .toLowerCase();

/** Python's `repr`-like rendering of a JSON value, as `gradio_client` prints defaults. */
function py(value: unknown, top = true): string {  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') {
    if (top) return value;
    const q = value.includes("'") && !value.includes('"') ? '"' : "'";
    return q + value.replace(/\\/g, '\\\\').replaceAll(q, '\\' + q) + q;
  }
  if (Array.isArray(value)) return `[${value.map((v) => py(v, false)).join(', ')}]`;
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    // Python puts this string in the file's place: repr() quotes it inside a list or dict
    if ((v.meta as { _type?: string } | undefined)?._type === 'gradio.FileData') return py(`handle_file("${String(v.url)}")`, top);
    return `{${Object.entries(v).map(([k, x]) => `'${k}': ${py(x, false)}`).join(', ')}}`;
  }
  return String(value);
}

function endpoint(name: string | number, info: EndpointInfo): string {
  const params = info.parameters;
  const names = params.map((p) => clean(p.parameter_name || p.label || ''));
  const returns = info.returns.map((r) => clean(r.label ?? ''));
  const rendered = returns.length > 1 ? `(${returns.join(', ')})` : returns.join(', ');
  const final = typeof name === 'string' ? `api_name="${name}"` : `fn_index=${name}`;
  const desc = (t?: { description?: string }) => (t?.description ? ` (${t.description})` : '');
  let out = `\n - predict(${names.map((n) => n + ', ').join('')}${final}) -> ${rendered}\n`;
  if (info.oauth_token) {
    out += `    Acts on your behalf: this endpoint takes your Hugging Face token (${String(info.oauth_token)}). Pass it with Client(..., oauth_token=...) to grant it.\n`;
  }
  out += '    Parameters:\n';
  params.forEach((p, i) => {
    const type = (p.python_type?.type ?? '') + (p.parameter_has_default && p.parameter_default == null ? ' | None' : '');
    const dflt = p.parameter_has_default ? `(not required, defaults to:   ${py(p.parameter_default)})` : '(required)';
    out += `     - [${p.component}] ${names[i]}: ${type} ${dflt} ${desc(p.python_type)} \n`;
  });
  if (!params.length) out += '     - None\n';
  out += '    Returns:\n';
  info.returns.forEach((r, i) => (out += `     - [${r.component}] ${returns[i]}: ${r.python_type?.type ?? ''}${desc(r.python_type)} \n`));
  if (!info.returns.length) out += '     - None\n';
  return out;
}

/**
 * Renders endpoint info as the same usage text as Python's `client.view_api()`. One difference
 * JSON imposes: a float default such as `1.0` arrives as `1` and is printed so.
 *
 * ```ts
 * console.log(formatApi(await client.viewApi()));
 * ```
 * @param options - `all`: also the unnamed endpoints, as Python's `view_api(all_endpoints=True)`
 *   (default: only when there are no named ones, as Python). The text is Python's, word for word, so
 *   it names Python's calls (`Client.view_api(all_endpoints=True)`; here `formatApi(info, { all: true })`).
 */
export function formatApi(info: ApiInfo, options: { all?: boolean | undefined } = {}): string {
  const named = Object.entries(info.named_endpoints);
  const unnamed = Object.entries(info.unnamed_endpoints);
  const all = options.all ?? named.length === 0;
  let out = `Client.predict() Usage Info\n---------------------------\nNamed API endpoints: ${named.length}\n`;
  for (const [name, e] of named) out += endpoint(name, e);
  if (all) {
    out += `\nUnnamed API endpoints: ${unnamed.length}\n`;
    for (const [index, e] of unnamed) out += endpoint(Number(index), e);
  } else if (unnamed.length) {
    out += `\nUnnamed API endpoints: ${unnamed.length}, to view, run Client.view_api(all_endpoints=True)\n`;
  }
  return out;
}
