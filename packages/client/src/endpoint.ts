import { ArgumentError, EndpointNotFoundError } from './errors.js';
import type { ApiInfo, DependencyConfig, EndpointInfo, GradioConfig } from './types.js';

/**
 * Arguments of a call: positional (array) or by `parameter_name` (object). A parameter left out,
 * or given as `undefined`, takes its default; `null` is sent as it is (Python's `None`).
 */
export type Args = readonly unknown[] | Readonly<Record<string, unknown>>;

/** What the client knows of one callable endpoint, derived from `/config`. */
export interface Endpoint {
  /** `"/" + api_name`, or the fn index as a string for unnamed ones. */
  name: string;
  fnIndex: number;
  dependency: DependencyConfig;
  /** For each dependency input: true when the client fills it (State and other hidden inputs). */
  hiddenInputs: boolean[];
  /** For each dependency input, what a hidden one gets: what the browser sends (a `gr.Button`'s label), `null` for State. */
  fills: unknown[];
  /** For each dependency output: true when it is removed from results (State and layout). */
  hiddenOutputs: boolean[];
}

// Private endpoints, and those with no Python function (`fn=None`, a `js=` function run by the
// browser only), which the server cannot run.
const uncallable = (d: DependencyConfig) => d.api_visibility === 'private' || d.api_name === false || d.backend_fn === false;

/**
 * An endpoint in one spelling: `"/name"` for `"name"` and `"/name"`, a fn index as it is. Two
 * endpoints with the same key are one (the React hooks key their calls by it).
 */
export const endpointKey = (endpoint: string | number): string | number => (typeof endpoint === 'string' ? endpoint.replace(/^\/?/, '/') : endpoint);

/** The `"/name"` keys of every endpoint callable by name, or of the documented ones only. */
export function endpointNames(config: GradioConfig, documentedOnly?: boolean): string[] {
  return config.dependencies
    .filter(
      (d) =>
        typeof d.api_name === 'string' &&
        !uncallable(d) &&
        // Gradio 6 says api_visibility "undocumented"; 4 and 5 say show_api: false.
        !(documentedOnly && (d.api_visibility === 'undocumented' || d.show_api === false)),
    )
    .map((d) => '/' + d.api_name);
}

/**
 * Finds the endpoint for `"/name"`, `"name"` or a fn index. Private endpoints, and those without a
 * Python function, are never found.
 * @throws EndpointNotFoundError listing the valid names.
 */
export function resolveEndpoint(config: GradioConfig, endpoint: string | number): Endpoint {
  const deps = config.dependencies;
  // anything else (undefined, an object) matches nothing, and gets the list of valid names
  const key = endpointKey(endpoint);
  const name = typeof key === 'string' ? key.slice(1) : null;
  const index = deps.findIndex((d, i) =>
    name === null ? (d.id ?? i) === endpoint : d.api_name === name,
  );
  const dependency = deps[index];
  if (!dependency || uncallable(dependency)) {
    // Apps built with ChatInterface or Interface have dozens of undocumented helper endpoints
    // (`/lambda_12`, `/_submit_fn`): name the documented ones, count the others.
    const available = endpointNames(config);
    const shown = endpointNames(config, true);
    const more = available.length - shown.length;
    throw new EndpointNotFoundError(
      `${dependency?.backend_fn === false ? `${JSON.stringify(endpoint)} runs in the browser only (no Python function): there is nothing to call.` : `No endpoint ${JSON.stringify(endpoint)} on this app.`} Valid endpoints: ${shown.join(', ') || '(none)'}${more ? ` (and ${more} undocumented)` : ''}.`,
      available,
    );
  }
  const component = (id: number) => config.components.find((c) => c.id === id);
  const hidden = (ids: number[]) =>
    ids.map((id) => {
      const c = component(id);
      return !c || c.type === 'state' || !!c.skip_api;
    });
  return {
    name: typeof dependency.api_name === 'string' ? '/' + dependency.api_name : String(endpoint),
    fnIndex: dependency.id ?? index,
    dependency,
    hiddenInputs: hidden(dependency.inputs),
    // the server keeps State itself; other hidden inputs (a gr.Button used as an input) get their value
    fills: dependency.inputs.map((id) => {
      const c = component(id);
      return c?.type === 'state' ? null : (c?.props?.value ?? null);
    }),
    hiddenOutputs: hidden(dependency.outputs),
  };
}

/**
 * True when building the data array needs parameter info from `/info` (keywords or omitted args).
 * @throws ArgumentError when `args` is neither an array nor an object.
 */
export function needsInfo(endpoint: Endpoint, args: Args): boolean {
  if (!args || typeof args !== 'object') {
    throw new ArgumentError(`${endpoint.name}: give the arguments as an array or an object, not ${JSON.stringify(args)}.`);
  }
  // includes() also finds holes
  return !Array.isArray(args) || args.length < endpoint.hiddenInputs.filter((h) => !h).length || args.includes(undefined);
}

/**
 * Builds the `data` array the server expects: one entry per dependency input, `null` for State,
 * the app's value for other hidden inputs (as the browser sends them), defaults from `/info` for
 * omitted (or `undefined`) parameters.
 * @throws ArgumentError for unknown, missing, duplicated or surplus arguments.
 */
export function buildData(endpoint: Endpoint, args: Args, info: EndpointInfo | undefined): unknown[] {
  const visible = endpoint.hiddenInputs.filter((h) => !h).length;
  const params = info?.parameters;
  const label = endpoint.name;
  let values: unknown[];
  if (Array.isArray(args)) {
    if (args.length > visible) {
      throw new ArgumentError(`${label} takes ${visible} argument(s) but ${args.length} were given.`);
    }
    values = [...args];
  } else {
    values = [];
    const keyword = args as Record<string, unknown>;
    // Gradio before 4.23 names no parameter: only positional calls work there
    const names = params?.map((p) => p.parameter_name) ?? [];
    for (const key of Object.keys(keyword)) {
      const i = names.indexOf(key);
      if (i < 0) {
        throw new ArgumentError(
          `${label} has no parameter "${key}". ${names.some(Boolean) ? `Parameters: ${names.join(', ')}` : 'The server names none: pass an array, in order'}.`,
        );
      }
      values[i] = keyword[key];
    }
  }
  for (let i = 0; i < visible; i++) {
    if (values[i] !== undefined) continue;
    const p = params?.[i];
    if (!p?.parameter_has_default) {
      throw new ArgumentError(`${label} is missing the required argument ${p?.parameter_name ? `"${p.parameter_name}"` : `#${i + 1}`}.`);
    }
    values[i] = p.parameter_default;
  }
  let next = 0;
  return endpoint.hiddenInputs.map((h, i) => (h ? endpoint.fills[i] : values[next++]));
}

/** Removes State and layout outputs from a server `data` array. */
export function visibleOutputs(endpoint: Endpoint, data: readonly unknown[]): unknown[] {
  return data.filter((_, i) => !endpoint.hiddenOutputs[i]);
}

/** The endpoint's entry of `/info`, by name or index. */
export function endpointInfo(info: ApiInfo, endpoint: Endpoint): EndpointInfo | undefined {
  return info.named_endpoints[endpoint.name] ?? info.unnamed_endpoints[String(endpoint.fnIndex)];
}
