import { describe, expect, it } from 'vitest';
import { formatApi } from './formatApi.js';
import type { ApiInfo, EndpointInfo, ParameterInfo, ReturnInfo } from './types.js';

const param = (p: Omit<Partial<ParameterInfo>, 'type'> & { parameter_name: string; type: string; component: string; description?: string }): ParameterInfo => {
  const { type, description = '', ...rest } = p;
  return { label: p.parameter_name, parameter_has_default: false, parameter_default: null, ...rest, python_type: { type, description } };
};
const ret = (label: string | null, type: string, component: string, description = ''): ReturnInfo => ({ label, component, python_type: { type, description } });

/**
 * /slow, /increment and /echo as the gradio 6.31.0 test app reports them in /info (only the fields the
 * renderer reads), plus two made-up endpoints for the remaining cases.
 */
const info: ApiInfo = {
  named_endpoints: {
    '/slow': {
      parameters: [
        param({ parameter_name: 'label', parameter_has_default: true, parameter_default: 'job', type: 'str', component: 'Textbox' }),
        // The server's JSON says 1.0 here (Python float); JSON.parse turns it into 1.
        param({ parameter_name: 'seconds', parameter_has_default: true, parameter_default: 1.0, type: 'float', component: 'Number' }),
      ],
      returns: [ret('output', 'str', 'Textbox')],
      api_visibility: 'public',
      description: '',
    },
    '/increment': {
      parameters: [param({ parameter_name: 'step', parameter_has_default: true, parameter_default: 1, type: 'int', component: 'Number' })],
      returns: [ret('count', 'float', 'Number')],
    },
    '/echo': {
      parameters: [param({ parameter_name: 'text', type: 'str', component: 'Textbox' })],
      returns: [ret('echo', 'str', 'Textbox')],
    },
    '/defaults': {
      parameters: [
        param({ parameter_name: 'tags', parameter_has_default: true, parameter_default: ['a', 'b'], type: 'list[str]', component: 'Dropdown' }),
        param({ parameter_name: 'opts', parameter_has_default: true, parameter_default: { k: true, n: null }, type: 'dict', component: 'Json' }),
        param({ parameter_name: 'flag', parameter_has_default: true, parameter_default: false, type: 'bool', component: 'Checkbox' }),
        param({ parameter_name: 'maybe', parameter_has_default: true, parameter_default: null, type: 'str', component: 'Textbox', description: 'optional text' }),
        { ...param({ parameter_name: '', type: 'filepath', component: 'Image' }), label: 'Input Image' },
      ],
      returns: [ret('Out Text', 'str', 'Textbox'), ret('Score (0-1)', 'float', 'Number', 'a score')],
    },
    '/noargs': { parameters: [], returns: [] },
  },
  unnamed_endpoints: {},
};

// Produced by running gradio_client's view_api rendering (Client._render_endpoints_info) on the same info.
const expected = [
  'Client.predict() Usage Info',
  '---------------------------',
  'Named API endpoints: 5',
  '',
  ' - predict(label, seconds, api_name="/slow") -> output',
  '    Parameters:',
  '     - [Textbox] label: str (not required, defaults to:   job)  ',
  // Python prints 1.0 here; JSON.parse cannot keep the ".0" (the one documented difference).
  '     - [Number] seconds: float (not required, defaults to:   1)  ',
  '    Returns:',
  '     - [Textbox] output: str ',
  '',
  ' - predict(step, api_name="/increment") -> count',
  '    Parameters:',
  '     - [Number] step: int (not required, defaults to:   1)  ',
  '    Returns:',
  '     - [Number] count: float ',
  '',
  ' - predict(text, api_name="/echo") -> echo',
  '    Parameters:',
  '     - [Textbox] text: str (required)  ',
  '    Returns:',
  '     - [Textbox] echo: str ',
  '',
  ' - predict(tags, opts, flag, maybe, input_image, api_name="/defaults") -> (out_text, score_01)',
  '    Parameters:',
  "     - [Dropdown] tags: list[str] (not required, defaults to:   ['a', 'b'])  ",
  "     - [Json] opts: dict (not required, defaults to:   {'k': True, 'n': None})  ",
  '     - [Checkbox] flag: bool (not required, defaults to:   False)  ',
  '     - [Textbox] maybe: str | None (not required, defaults to:   None)  (optional text) ',
  '     - [Image] input_image: filepath (required)  ',
  '    Returns:',
  '     - [Textbox] out_text: str ',
  '     - [Number] score_01: float (a score) ',
  '',
  ' - predict(api_name="/noargs") -> ',
  '    Parameters:',
  '     - None',
  '    Returns:',
  '     - None',
  '',
].join('\n');

const one = (name: string, e: EndpointInfo): ApiInfo => ({ named_endpoints: { [name]: e }, unnamed_endpoints: {} });

describe('formatApi', () => {
  it('renders the same text as Python view_api', () => {
    expect(formatApi(info)).toBe(expected);
  });

  it('starts with the header and the number of named endpoints', () => {
    const lines = formatApi(info).split('\n');
    expect(lines.slice(0, 3)).toEqual(['Client.predict() Usage Info', '---------------------------', 'Named API endpoints: 5']);
  });

  it('marks required and optional parameters, with " | None" only for a null default', () => {
    const text = formatApi(info);
    expect(text).toContain('     - [Textbox] text: str (required)  \n');
    expect(text).toContain('str | None (not required, defaults to:   None)');
    expect(text).not.toContain('bool | None');
    expect(text).not.toContain('filepath | None');
  });

  it('lists the unnamed endpoints only as a count by default', () => {
    const withUnnamed: ApiInfo = { ...info, unnamed_endpoints: { '7': info.named_endpoints['/echo']! } };
    const text = formatApi(withUnnamed);
    expect(text.endsWith('\nUnnamed API endpoints: 1, to view, run Client.view_api(all_endpoints=True)\n')).toBe(true);
    expect(text).not.toContain('fn_index=7');
  });

  it('renders unnamed endpoints by fn_index with { all: true }', () => {
    const withUnnamed: ApiInfo = { ...info, unnamed_endpoints: { '7': info.named_endpoints['/echo']! } };
    const text = formatApi(withUnnamed, { all: true });
    expect(text).toContain('\nUnnamed API endpoints: 1\n\n - predict(text, fn_index=7) -> echo\n');
  });

  it('renders unnamed endpoints when there are no named ones', () => {
    const text = formatApi({ named_endpoints: {}, unnamed_endpoints: { '0': info.named_endpoints['/echo']! } });
    expect(text).toBe(
      [
        'Client.predict() Usage Info',
        '---------------------------',
        'Named API endpoints: 0',
        '',
        'Unnamed API endpoints: 1',
        '',
        ' - predict(text, fn_index=0) -> echo',
        '    Parameters:',
        '     - [Textbox] text: str (required)  ',
        '    Returns:',
        '     - [Textbox] echo: str ',
        '',
      ].join('\n'),
    );
  });

  it('renders a file default as handle_file("url")', () => {
    const file = { path: '/tmp/gradio/abc/cat.png', url: 'http://127.0.0.1:7860/gradio_api/file=/tmp/gradio/abc/cat.png', orig_name: 'cat.png', meta: { _type: 'gradio.FileData' } };
    const text = formatApi(one('/f', { parameters: [param({ parameter_name: 'image', parameter_has_default: true, parameter_default: file, type: 'filepath', component: 'Image' })], returns: [] }));
    expect(text).toContain('     - [Image] image: filepath (not required, defaults to:   handle_file("http://127.0.0.1:7860/gradio_api/file=/tmp/gradio/abc/cat.png"))  \n');
  });

  // Python's client puts the string handle_file("url") in place of the file, and repr() quotes it inside a list.
  it('renders a file default inside a list as a quoted handle_file("url"), as Python does', () => {
    const file = { path: '/tmp/d.png', url: 'http://h/gradio_api/file=/tmp/d.png', meta: { _type: 'gradio.FileData' } };
    const text = formatApi(one('/g', { parameters: [param({ parameter_name: 'gallery', parameter_has_default: true, parameter_default: [{ image: file, caption: null }], type: 'list', component: 'Gallery' })], returns: [] }));
    expect(text).toContain(`defaults to:   [{'image': 'handle_file("http://h/gradio_api/file=/tmp/d.png")', 'caption': None}])`);
  });

  // gr.I18n labels, and a Gradio 6 ChatInterface's chatbot: Python walks the object by its keys and keeps "key"
  it('names a translated label "key", as Python does, instead of failing', () => {
    const translated = { key: 'greeting', _type: 'translation_metadata' } as const;
    const text = formatApi(one('/greet', { parameters: [{ ...param({ parameter_name: '', type: 'str', component: 'Textbox' }), label: translated }], returns: [{ ...ret(null, 'str', 'Textbox'), label: translated }] }));
    expect(text).toContain(' - predict(key, api_name="/greet") -> key\n');
    expect(text).toContain('     - [Textbox] key: str (required)  \n');
  });

  it('mentions the Hugging Face token for oauth_token endpoints', () => {
    const text = formatApi(one('/me', { parameters: [], returns: [ret('user', 'str', 'Textbox')], oauth_token: 'required' }));
    expect(text).toMatch(/token/i);
    expect(text).toContain('required');
  });

  // A float parameter whose default the server sent as the JSON integer 1 (the real /calculate of the
  // 6.31.0 test app) prints as Python prints it: "defaults to:   1".
  it('prints an integer default of a float parameter as the server wrote it (real /calculate)', () => {
    const calculate: EndpointInfo = {
      parameters: [
        param({ parameter_name: 'a', type: 'float', component: 'Number' }),
        param({ parameter_name: 'b', parameter_has_default: true, parameter_default: 1, type: 'float', component: 'Number' }),
        param({ parameter_name: 'operation', parameter_has_default: true, parameter_default: 'add', type: "Literal['add', 'subtract', 'multiply', 'divide']", component: 'Radio' }),
      ],
      returns: [ret('result', 'float', 'Number')],
    };
    const text = formatApi(JSON.parse(JSON.stringify(one('/calculate', calculate))) as ApiInfo);
    expect(text).toContain(
      [
        ' - predict(a, b, operation, api_name="/calculate") -> result',
        '    Parameters:',
        '     - [Number] a: float (required)  ',
        '     - [Number] b: float (not required, defaults to:   1)  ',
        "     - [Radio] operation: Literal['add', 'subtract', 'multiply', 'divide'] (not required, defaults to:   add)  ",
        '    Returns:',
        '     - [Number] result: float ',
      ].join('\n'),
    );
  });

  // Python's repr() quotes a string containing a single quote (and no double quote) with double quotes.
  it('quotes nested strings like Python repr()', () => {
    const text = formatApi(one('/q', { parameters: [param({ parameter_name: 'tags', parameter_has_default: true, parameter_default: ['a', "it's"], type: 'list[str]', component: 'Dropdown' })], returns: [] }));
    expect(text).toContain(`defaults to:   ['a', "it's"])`);
  });

  // Python's repr() escapes backslashes, and keeps single quotes (escaping them) for a string with both kinds
  it('escapes backslashes and quotes in nested strings like Python repr() (a Windows path, both quotes)', () => {
    const text = formatApi(
      one('/paths', {
        parameters: [param({ parameter_name: 'dirs', parameter_has_default: true, parameter_default: ['C:\\tmp\\in', 'it\'s "quoted"', 'say "hi"'], type: 'list[str]', component: 'Dropdown' })],
        returns: [],
      }),
    );
    // what gradio_client's Client._render_endpoints_info prints for the same info
    expect(text).toContain(String.raw`     - [Dropdown] dirs: list[str] (not required, defaults to:   ['C:\\tmp\\in', 'it\'s "quoted"', 'say "hi"'])  ` + '\n');
  });
});
