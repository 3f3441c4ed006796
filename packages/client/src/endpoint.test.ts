import { describe, expect, it } from 'vitest';
import { buildData, endpointInfo, endpointNames, needsInfo, resolveEndpoint, visibleOutputs } from './endpoint.js';
import { ArgumentError, EndpointNotFoundError, GradioError } from './errors.js';
import type { ApiInfo, GradioConfig } from './types.js';

/**
 * Trimmed from the real /config of the test app on gradio 6.31.0 (ids, types, api names and
 * visibility kept), plus a Gradio 4-style private dependency (api_name false) and one with no name.
 */
const config: GradioConfig = {
  version: '6.31.0',
  protocol: 'sse_v3',
  api_prefix: '/gradio_api',
  components: [
    { id: 4, type: 'number', props: { label: 'a', value: null } },
    { id: 5, type: 'number', props: { label: 'b', value: 1 } },
    { id: 6, type: 'radio', props: { label: 'operation', value: 'add' } },
    { id: 8, type: 'number', props: { label: 'result', value: null } },
    { id: 56, type: 'number', props: { label: 'step', value: 1 } },
    { id: 57, type: 'number', props: { label: 'count', value: null } },
    { id: 58, type: 'state', skip_api: true, props: { label: null, value: null } },
    { id: 60, type: 'button', skip_api: true, props: { value: 'Go' } },
    { id: 61, type: 'state', props: { value: null } }, // a state with no skip_api flag
    { id: 77, type: 'textbox', props: { label: 'x', value: null } },
    { id: 78, type: 'textbox', props: { label: 'secret_private (private endpoint)', value: null } },
    { id: 82, type: 'textbox', props: { label: 'x', value: null } },
    { id: 83, type: 'textbox', props: { label: 'hidden_docs (undocumented endpoint)', value: null } },
  ],
  dependencies: [
    { id: 0, api_name: 'calculate', api_visibility: 'public', inputs: [4, 5, 6], outputs: [8], queue: true, types: { generator: false, cancel: false } },
    { id: 1, api_name: 'increment', api_visibility: 'public', inputs: [56, 58], outputs: [57, 58], queue: true },
    { id: 2, api_name: 'secret_private', api_visibility: 'private', inputs: [77], outputs: [78] },
    { id: 3, api_name: 'hidden_docs', api_visibility: 'undocumented', inputs: [82], outputs: [83] },
    { id: 4, api_name: false, show_api: false, inputs: [77], outputs: [78] }, // Gradio 4/5 private
    { id: 5, api_name: null, inputs: [60, 61, 77, 99], outputs: [61, 78] }, // unnamed; 99 is unknown
    { id: 6, api_name: 'browser_only', api_visibility: 'public', backend_fn: false, inputs: [77], outputs: [78] }, // fn=None, js=
  ],
};

/** The /info entries of the same app on 6.31.0 (only the fields the client reads). */
const info: ApiInfo = {
  named_endpoints: {
    '/calculate': {
      parameters: [
        { label: 'a', parameter_name: 'a', parameter_has_default: false, parameter_default: null, python_type: { type: 'float', description: '' }, component: 'Number' },
        { label: 'b', parameter_name: 'b', parameter_has_default: true, parameter_default: 1, python_type: { type: 'float', description: '' }, component: 'Number' },
        { label: 'operation', parameter_name: 'operation', parameter_has_default: true, parameter_default: 'add', python_type: { type: "Literal['add', 'subtract', 'multiply', 'divide']", description: '' }, component: 'Radio' },
      ],
      returns: [{ label: 'result', python_type: { type: 'float', description: '' }, component: 'Number' }],
    },
    '/increment': {
      parameters: [{ label: 'step', parameter_name: 'step', parameter_has_default: true, parameter_default: 1, python_type: { type: 'int', description: '' }, component: 'Number' }],
      returns: [{ label: 'count', python_type: { type: 'float', description: '' }, component: 'Number' }],
    },
    '/hidden_docs': {
      parameters: [{ label: 'x', parameter_name: 'x', parameter_has_default: false, python_type: { type: 'str', description: '' }, component: 'Textbox' }],
      returns: [{ label: 'hidden_docs (undocumented endpoint)', python_type: { type: 'str', description: '' }, component: 'Textbox' }],
    },
  },
  unnamed_endpoints: {},
};

const calculate = () => resolveEndpoint(config, '/calculate');
const calcInfo = info.named_endpoints['/calculate'];

describe('resolveEndpoint', () => {
  it('finds an endpoint by "/name"', () => {
    const ep = resolveEndpoint(config, '/calculate');
    expect(ep.name).toBe('/calculate');
    expect(ep.fnIndex).toBe(0);
    expect(ep.dependency).toBe(config.dependencies[0]);
    expect(ep.hiddenInputs).toEqual([false, false, false]);
    expect(ep.hiddenOutputs).toEqual([false]);
  });

  it('finds an endpoint by "name" without the slash', () => {
    const ep = resolveEndpoint(config, 'increment');
    expect(ep.name).toBe('/increment');
    expect(ep.fnIndex).toBe(1);
  });

  it('finds an endpoint by fn index', () => {
    const ep = resolveEndpoint(config, 1);
    expect(ep.fnIndex).toBe(1);
    expect(ep.dependency.api_name).toBe('increment');
  });

  it('uses the fn index as the name of an unnamed endpoint', () => {
    const ep = resolveEndpoint(config, 5);
    expect(ep.name).toBe('5');
    expect(ep.fnIndex).toBe(5);
  });

  it('uses dependency.id as the fn index, not the array position', () => {
    const shifted: GradioConfig = { ...config, dependencies: [{ id: 7, api_name: 'seven', inputs: [4], outputs: [8] }] };
    expect(resolveEndpoint(shifted, '/seven').fnIndex).toBe(7);
    expect(resolveEndpoint(shifted, 7).dependency.api_name).toBe('seven');
    expect(() => resolveEndpoint(shifted, 0)).toThrow(EndpointNotFoundError);
  });

  it('finds an undocumented endpoint (only private ones are hidden)', () => {
    expect(resolveEndpoint(config, '/hidden_docs').fnIndex).toBe(3);
  });

  it('never finds a private endpoint (api_visibility "private"), by name or index', () => {
    expect(() => resolveEndpoint(config, '/secret_private')).toThrow(EndpointNotFoundError);
    expect(() => resolveEndpoint(config, 2)).toThrow(EndpointNotFoundError);
  });

  it('never finds a Gradio 4/5 private endpoint (api_name false)', () => {
    expect(() => resolveEndpoint(config, 4)).toThrow(EndpointNotFoundError);
  });

  it('never finds an endpoint without a Python function (backend_fn false), and says why', () => {
    expect(() => resolveEndpoint(config, '/browser_only')).toThrow(/^"\/browser_only" runs in the browser only \(no Python function\): there is nothing to call\. Valid endpoints: \/calculate/);
    expect(() => resolveEndpoint(config, 6)).toThrow(EndpointNotFoundError);
  });

  it('throws EndpointNotFoundError listing the valid names', () => {
    let error: unknown;
    try {
      resolveEndpoint(config, '/nope');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EndpointNotFoundError);
    expect(error).toBeInstanceOf(GradioError);
    const e = error as EndpointNotFoundError;
    expect(e.available).toEqual(['/calculate', '/increment', '/hidden_docs']);
    expect(e.message).toContain('"/nope"');
    expect(e.message).toContain('Valid endpoints: /calculate, /increment (and 1 undocumented).');
    expect(e.message).not.toContain('secret_private');
  });

  it('names only documented endpoints in the message (Gradio 4/5 show_api: false too)', () => {
    const legacy: GradioConfig = {
      ...config,
      dependencies: [
        { id: 0, api_name: 'predict', show_api: true, inputs: [], outputs: [] },
        { id: 1, api_name: 'lambda_1', show_api: false, inputs: [], outputs: [] },
        { id: 2, api_name: 'lambda_2', show_api: false, inputs: [], outputs: [] },
      ],
    };
    const e = (() => {
      try {
        resolveEndpoint(legacy, '/nope');
      } catch (error) {
        return error as EndpointNotFoundError;
      }
    })();
    expect(e?.available).toEqual(['/predict', '/lambda_1', '/lambda_2']);
    expect(e?.message).toMatch(/Valid endpoints: \/predict \(and 2 undocumented\)\.$/);
    expect(resolveEndpoint(legacy, '/lambda_2').fnIndex).toBe(2);
  });

  it('throws for an unknown fn index', () => {
    expect(() => resolveEndpoint(config, 42)).toThrow(EndpointNotFoundError);
    expect(() => resolveEndpoint(config, 42)).toThrow(/42/);
  });

  it('throws EndpointNotFoundError, not a TypeError, for something that is neither a name nor an index', () => {
    for (const endpoint of [undefined, null, {}, true]) {
      expect(() => resolveEndpoint(config, endpoint as unknown as string)).toThrow(EndpointNotFoundError);
    }
  });

  it('says "(none)" when no endpoint is callable by name', () => {
    const empty: GradioConfig = { components: [], dependencies: [] };
    expect(() => resolveEndpoint(empty, '/x')).toThrow(/\(none\)/);
  });

  it('marks State, skip_api and unknown inputs/outputs hidden', () => {
    expect(resolveEndpoint(config, '/increment').hiddenInputs).toEqual([false, true]);
    expect(resolveEndpoint(config, '/increment').hiddenOutputs).toEqual([false, true]);
    const ep = resolveEndpoint(config, 5);
    expect(ep.hiddenInputs).toEqual([true, true, false, true]); // button (skip_api), state, textbox, unknown id
    expect(ep.hiddenOutputs).toEqual([true, false]);
  });

  it('keeps the "/name" of a named endpoint resolved by fn index, so its /info entry is found', () => {
    const ep = resolveEndpoint(config, 0);
    expect(ep.name).toBe('/calculate');
    expect(endpointInfo(info, ep)).toBe(calcInfo);
    expect(buildData(ep, { a: 2 }, endpointInfo(info, ep))).toEqual([2, 1, 'add']);
  });
});

describe('endpointNames', () => {
  it('lists every public and undocumented named endpoint with a slash', () => {
    expect(endpointNames(config)).toEqual(['/calculate', '/increment', '/hidden_docs']);
  });
});

describe('needsInfo', () => {
  it('is false for a full positional array (hidden inputs not counted)', () => {
    expect(needsInfo(calculate(), [1, 2, 'add'])).toBe(false);
    expect(needsInfo(resolveEndpoint(config, '/increment'), [1])).toBe(false);
  });

  it('is true for keyword arguments', () => {
    expect(needsInfo(calculate(), { a: 1, b: 2, operation: 'add' })).toBe(true);
    expect(needsInfo(calculate(), {})).toBe(true);
  });

  it('is true when positional arguments are omitted', () => {
    expect(needsInfo(calculate(), [1])).toBe(true);
    expect(needsInfo(resolveEndpoint(config, '/increment'), [])).toBe(true);
  });

  it('throws ArgumentError for arguments that are neither an array nor an object', () => {
    for (const args of ['abc', 3, null, false]) {
      expect(() => needsInfo(calculate(), args as unknown as unknown[])).toThrow(
        new ArgumentError(`/calculate: give the arguments as an array or an object, not ${JSON.stringify(args)}.`),
      );
    }
  });
});

describe('buildData', () => {
  it('passes a full positional array through', () => {
    expect(buildData(calculate(), [2, 3, 'multiply'], undefined)).toEqual([2, 3, 'multiply']);
  });

  it("fills hidden inputs as the browser does: State with null (the server keeps it), a button with its value", () => {
    expect(buildData(resolveEndpoint(config, '/increment'), [5], undefined)).toEqual([5, null]);
    expect(buildData(resolveEndpoint(config, 5), ['text'], undefined)).toEqual(['Go', null, 'text', null]); // button, state, textbox, unknown id
  });

  it('fills State with null for keyword and default arguments too', () => {
    const ep = resolveEndpoint(config, '/increment');
    const ei = info.named_endpoints['/increment'];
    expect(buildData(ep, { step: 3 }, ei)).toEqual([3, null]);
    expect(buildData(ep, [], ei)).toEqual([1, null]);
  });

  it('maps keyword arguments to their positions', () => {
    expect(buildData(calculate(), { operation: 'divide', a: 8, b: 2 }, calcInfo)).toEqual([8, 2, 'divide']);
  });

  it('takes defaults from /info for omitted positional arguments', () => {
    expect(buildData(calculate(), [4], calcInfo)).toEqual([4, 1, 'add']);
    expect(buildData(calculate(), [4, 5], calcInfo)).toEqual([4, 5, 'add']);
  });

  it('takes defaults from /info for omitted keyword arguments', () => {
    expect(buildData(calculate(), { a: 7 }, calcInfo)).toEqual([7, 1, 'add']);
  });

  it('keeps an explicit null rather than the default', () => {
    expect(buildData(calculate(), [1, null], calcInfo)).toEqual([1, null, 'add']);
    expect(buildData(calculate(), { a: 1, b: null }, calcInfo)).toEqual([1, null, 'add']);
  });

  it('takes undefined as not given, as JS options do: the default, or a missing argument', () => {
    expect(buildData(calculate(), { a: 1, b: undefined }, calcInfo)).toEqual([1, 1, 'add']);
    expect(buildData(calculate(), [1, undefined, 'multiply'], calcInfo)).toEqual([1, 1, 'multiply']);
    // biome-ignore lint/suspicious/noSparseArray: a hole is an argument not given
    expect(buildData(calculate(), [1, , 'multiply'], calcInfo)).toEqual([1, 1, 'multiply']);
    expect(() => buildData(calculate(), { a: undefined }, calcInfo)).toThrow(/missing the required argument "a"/);
    expect(needsInfo(calculate(), [1, undefined, 'add'])).toBe(true);
    expect(needsInfo(calculate(), [1, 2, 'add'])).toBe(false);
  });

  it('throws ArgumentError naming a missing required parameter', () => {
    expect(() => buildData(calculate(), { b: 2 }, calcInfo)).toThrow(ArgumentError);
    expect(() => buildData(calculate(), { b: 2 }, calcInfo)).toThrow(/"a"/);
    expect(() => buildData(calculate(), [], calcInfo)).toThrow(/missing the required argument "a"/);
  });

  it('without /info, a missing argument is named by position', () => {
    expect(() => buildData(calculate(), [1], undefined)).toThrow(ArgumentError);
    expect(() => buildData(calculate(), [1], undefined)).toThrow(/#2/);
  });

  // /info of Gradio before 4.23 (4.20.1): label, types and component, no parameter_name or default
  const unnamed = calcInfo && {
    ...calcInfo,
    parameters: calcInfo.parameters.map(({ parameter_name: _n, parameter_has_default: _h, parameter_default: _d, ...rest }) => rest),
  };

  it('on a server that names no parameters, takes positional calls and refuses keywords with a way out', () => {
    expect(buildData(calculate(), [1, 2, 'add'], unnamed)).toEqual([1, 2, 'add']);
    expect(() => buildData(calculate(), { a: 1 }, unnamed)).toThrow(
      new ArgumentError('/calculate has no parameter "a". The server names none: pass an array, in order.'),
    );
    // no defaults either: a missing argument is named by position
    expect(() => buildData(calculate(), [1], unnamed)).toThrow(new ArgumentError('/calculate is missing the required argument #2.'));
  });

  it('throws ArgumentError for an unknown keyword, listing the parameters', () => {
    const call = () => buildData(calculate(), { a: 1, c: 3 }, calcInfo);
    expect(call).toThrow(ArgumentError);
    expect(call).toThrow(/"c"/);
    expect(call).toThrow(/a, b, operation/);
  });

  it('throws ArgumentError for too many positional arguments', () => {
    const call = () => buildData(calculate(), [1, 2, 'add', 'extra'], calcInfo);
    expect(call).toThrow(ArgumentError);
    expect(call).toThrow(/takes 3 argument\(s\) but 4 were given/);
    // State inputs do not count as arguments.
    expect(() => buildData(resolveEndpoint(config, '/increment'), [1, null], undefined)).toThrow(ArgumentError);
  });

  it('the errors are GradioErrors and name the endpoint', () => {
    try {
      buildData(calculate(), { zzz: 1 }, calcInfo);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(GradioError);
      expect((e as Error).message).toContain('/calculate');
    }
  });
});

describe('visibleOutputs', () => {
  it('drops State outputs', () => {
    expect(visibleOutputs(resolveEndpoint(config, '/increment'), [3, null])).toEqual([3]);
  });

  it('keeps every output of an endpoint with no hidden ones', () => {
    expect(visibleOutputs(calculate(), [5])).toEqual([5]);
  });

  it('drops a leading State output and keeps the rest in order', () => {
    expect(visibleOutputs(resolveEndpoint(config, 5), [null, 'text'])).toEqual(['text']);
  });
});

describe('endpointInfo', () => {
  it('finds named endpoints by "/name"', () => {
    expect(endpointInfo(info, calculate())).toBe(calcInfo);
  });

  it('falls back to unnamed_endpoints by fn index', () => {
    const unnamed = { parameters: [], returns: [] };
    expect(endpointInfo({ named_endpoints: {}, unnamed_endpoints: { '5': unnamed } }, resolveEndpoint(config, 5))).toBe(unnamed);
    expect(endpointInfo(info, resolveEndpoint(config, 5))).toBeUndefined();
  });
});
