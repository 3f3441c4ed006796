// Node CJS consumer: resolves the package's "require" condition (dist/index.cjs).
const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const vm = require('node:vm');
const { Client, GradioError, handleFile } = require('@gradio-hooks/client');

const resolved = require.resolve('@gradio-hooks/client');
if (!resolved.endsWith('.cjs')) throw new Error(`require() resolved ${resolved}, not the CJS build`);
if (typeof GradioError !== 'function') throw new Error('GradioError export missing');

/**
 * The CJS build loaded as Jest loads modules: compiled by Node's `vm` with no ESM support, where
 * an `import()` throws. A local path must still upload.
 */
function loadLikeJest() {
  const module = { exports: {} };
  const wrapper = vm.compileFunction(readFileSync(resolved, 'utf8'), ['exports', 'require', 'module', '__filename', '__dirname'], { filename: resolved });
  wrapper(module.exports, require, module, resolved, dirname(resolved));
  return module.exports;
}

async function main() {
  const url = process.env.GRADIO_URL;
  if (!url) throw new Error('GRADIO_URL is not set');
  const said = [];
  // the ESM build's handleFile() given to the CJS build's client: two copies of the package, one file
  const esm = await import('@gradio-hooks/client');
  if (esm.handleFile === handleFile) throw new Error('import() gave the CJS build, not the ESM one');
  const ways = [['require()', { Client, handleFile }], ['a vm like Jest', loadLikeJest()], ['the ESM copy\'s handleFile()', { Client, handleFile: esm.handleFile }]];
  for (const [how, lib] of ways) {
    const client = await lib.Client.connect(url);
    try {
      const [sum] = await client.predict('/calculate', { a: 7, b: 5, operation: 'subtract' });
      if (sum !== 2) throw new Error(`${how}: expected 2, got ${JSON.stringify(sum)}`);
      // a local path, read through the build's Node-only file loader
      const [name] = await client.predict('/file_name', [lib.handleFile(join(__dirname, 'hello.txt'))]);
      if (name !== 'hello.txt') throw new Error(`${how}: /file_name of a local path gave ${JSON.stringify(name)}, not "hello.txt"`);
      said.push(`${how}: /calculate 7-5 = ${sum}, /file_name of a local path = ${name}`);
    } finally {
      client.close();
    }
  }
  console.log(`node-cjs: ${said.join('; ')}`);
}

main().then(
  () => {
    // client.close() promises that a Node process with nothing else to do exits. If it is still
    // alive 5 s later, say so and exit 3 (the check reports it separately from the predict).
    setTimeout(() => {
      console.error(`LINGER: still running 5 s after client.close(); active: ${process.getActiveResourcesInfo().join(', ')}`);
      process.exit(3);
    }, 5000).unref();
  },
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
