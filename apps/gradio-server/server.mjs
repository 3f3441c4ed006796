// Installs (into a per-version venv) and starts the Gradio test server in app.py.
// Node built-ins only.
//
//   import { ensureVenv, startServer } from './server.mjs'
//   const server = await startServer({ version: '5.49.1' })
//   ... server.url ...
//   await server.stop()
//
// CLI:
//   node server.mjs [--version V] [--port N] [--auth user:pass] [--max-queue N] [--ssr]
//   node server.mjs --install-only [--version V|all]

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const GRADIO_VERSIONS = ['6.31.0', '5.49.1', '4.44.1'];
export const DEFAULT_GRADIO_VERSION = '6.31.0';
/**
 * Releases of the older protocols (sse_v1, sse_v2, sse_v2.1; the ones above speak sse_v3), on
 * which `npm test` runs the client's protocol tests (sessionStream.integration.test.ts).
 */
export const PROTOCOL_GRADIO_VERSIONS = ['4.15.0', '4.20.1', '4.21.0'];

const HERE = path.dirname(fileURLToPath(import.meta.url));
const APP = path.join(HERE, 'app.py');
const VENV_ROOT = path.join(HERE, '.venv');
const READY_RE = /^GRADIO_SERVER_READY (\S+)\s*$/;
const READY_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 3_000;
const TAIL_CHARS = 8_000;
const IS_WIN = process.platform === 'win32';

const log = (msg) => process.stderr.write(`[gradio-server] ${msg}\n`);

/**
 * The requirements of a gradio version: the pinned file of a tested version, or for any other
 * release (`--version 6.11.0`, to check a server the matrix does not run) a generated one, with the
 * transitive pin that 4.x and 5.x need.
 */
async function requirementsFile(version) {
  if (GRADIO_VERSIONS.includes(version) || PROTOCOL_GRADIO_VERSIONS.includes(version)) {
    return path.join(HERE, version === DEFAULT_GRADIO_VERSION ? 'requirements.txt' : `requirements-${version}.txt`);
  }
  const major = /^(\d+)\.\d+\.\d+$/.exec(version)?.[1];
  if (!major || Number(major) < 4) {
    throw new Error(
      `Unsupported gradio version ${JSON.stringify(version)}: give a release ≥ 4 as X.Y.Z (tested: ${GRADIO_VERSIONS.join(', ')})`,
    );
  }
  const file = path.join(VENV_ROOT, `requirements-${version}.txt`);
  await mkdir(VENV_ROOT, { recursive: true });
  const [, minor] = version.split('.').map(Number);
  const pins = [
    // 4.x and 5.x import huggingface_hub APIs that 1.0 removed
    ...(Number(major) < 6 ? ['huggingface_hub<1'] : []),
    // releases that do not cap pydantic: >= 2.11 emits `additionalProperties: true` schemas that
    // crash their gradio_client's get_type() on /info; the newest fastapi needs a newer pydantic
    ...(Number(major) === 4 || (Number(major) === 5 && (minor ?? 0) < 23) ? ['pydantic==2.10.6'] : []),
    ...(Number(major) === 4 ? ['fastapi==0.112.2'] : Number(major) === 5 && (minor ?? 0) < 23 ? ['fastapi<0.116'] : []),
  ];
  await writeFile(file, [`gradio[oauth]==${version}`, ...pins, ''].join('\n'));
  return file;
}

function venvPython(venvDir) {
  return IS_WIN ? path.join(venvDir, 'Scripts', 'python.exe') : path.join(venvDir, 'bin', 'python');
}

/** Run a command, capture output; reject with the output tail on failure. */
function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    let out = '';
    let child;
    try {
      child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    } catch (err) {
      reject(err);
      return;
    }
    const onData = (d) => {
      out += d;
      if (out.length > 4 * TAIL_CHARS) out = out.slice(-2 * TAIL_CHARS);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(out);
      else {
        const err = new Error(
          `${cmd} ${args.join(' ')} failed (${signal ?? `exit code ${code}`}):\n${out.slice(-TAIL_CHARS)}`,
        );
        err.output = out;
        reject(err);
      }
    });
  });
}

async function findSystemPython() {
  const candidates = process.env.PYTHON ? [process.env.PYTHON] : [];
  candidates.push('python3', 'python');
  const problems = [];
  for (const cmd of candidates) {
    try {
      const out = await run(cmd, ['-c', 'import sys, venv; print("%d.%d" % sys.version_info[:2])']);
      const [maj, min] = out.trim().split('.').map(Number);
      if (maj === 3 && min >= 10) return cmd;
      problems.push(`${cmd} is Python ${out.trim()}`);
    } catch (err) {
      problems.push(`${cmd}: ${err.code === 'ENOENT' ? 'not found' : err.message.split('\n')[0]}`);
    }
  }
  throw new Error(
    `Python >= 3.10 (with the venv module) is required to run the Gradio test server, but none was found ` +
      `(${problems.join('; ')}). Install Python 3.10+ or set PYTHON=/path/to/python3.`,
  );
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Cross-process lock (mkdir based) so parallel installs of one version don't collide. */
async function withLock(lockDir, fn) {
  const STALE_MS = 20 * 60_000;
  let announced = false;
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      try {
        const st = await stat(lockDir);
        if (Date.now() - st.mtimeMs > STALE_MS) {
          await rm(lockDir, { recursive: true, force: true });
          continue;
        }
      } catch {
        continue;
      }
      if (!announced) {
        log(`waiting for another install (${path.basename(lockDir)})...`);
        announced = true;
      }
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

async function isInstalled(python, stampFile, hash) {
  if (!existsSync(python)) return false;
  try {
    return (await readFile(stampFile, 'utf8')).trim() === hash;
  } catch {
    return false;
  }
}

const inflight = new Map();

/**
 * Makes sure apps/gradio-server/.venv/<version>/ has the pinned requirements installed.
 * Returns the absolute path of the venv's python. Fast (< 1 s) when the stamp matches.
 */
export function ensureVenv(version = DEFAULT_GRADIO_VERSION) {
  if (!inflight.has(version)) {
    const p = ensureVenvImpl(version).finally(() => inflight.delete(version));
    inflight.set(version, p);
  }
  return inflight.get(version);
}

async function ensureVenvImpl(version) {
  const reqFile = await requirementsFile(version);
  const hash = createHash('sha256').update(await readFile(reqFile)).digest('hex');
  const venvDir = path.join(VENV_ROOT, version);
  const python = venvPython(venvDir);
  const stampFile = path.join(venvDir, '.requirements.sha256');
  if (await isInstalled(python, stampFile, hash)) return python;

  await mkdir(VENV_ROOT, { recursive: true });
  return withLock(path.join(VENV_ROOT, `${version}.lock`), async () => {
    if (await isInstalled(python, stampFile, hash)) return python; // installed while we waited
    const t0 = Date.now();
    if (!existsSync(python)) {
      const sysPython = await findSystemPython();
      log(`gradio ${version}: creating venv with ${sysPython} in ${path.relative(process.cwd(), venvDir) || venvDir}`);
      await rm(venvDir, { recursive: true, force: true });
      await run(sysPython, ['-m', 'venv', venvDir]);
    }
    await rm(stampFile, { force: true });
    log(`gradio ${version}: pip install -r ${path.basename(reqFile)} (this takes a minute or two)...`);
    await run(python, ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', '-r', reqFile], {
      env: { ...process.env, PIP_NO_INPUT: '1' },
    });
    log(`gradio ${version}: checking the install...`);
    const got = (
      await run(python, ['-c', 'import gradio, gradio_client; print(gradio.__version__)'], {
        env: { ...process.env, GRADIO_ANALYTICS_ENABLED: 'False', HF_HUB_OFFLINE: '1' },
      })
    )
      .trim()
      .split('\n')
      .pop();
    if (got !== version) throw new Error(`expected gradio ${version} in ${venvDir}, found ${got}`);
    await writeFile(stampFile, `${hash}\n`);
    log(`gradio ${version}: installed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return python;
  });
}

/** A free TCP port on 127.0.0.1 (bind port 0, read it, close). */
export function getFreePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// ---- process-group bookkeeping: never leave orphans -------------------------------------

const liveGroups = new Set();
let hooksInstalled = false;
const FORWARD_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function killGroup(pid, signal) {
  try {
    if (IS_WIN) process.kill(pid, signal);
    else process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

function killAllNow() {
  for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
  liveGroups.clear();
}

function onFatalSignal(signal) {
  // If somebody else handles the signal, they decide what happens (the 'exit' hook still
  // kills whatever is left). Otherwise keep Node's default behaviour: kill the servers,
  // then terminate with the same signal.
  if (process.listeners(signal).some((l) => l !== onFatalSignal)) return;
  killAllNow();
  removeHooks();
  process.kill(process.pid, signal);
}

function installHooks() {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllNow);
  for (const s of FORWARD_SIGNALS) process.on(s, onFatalSignal);
}

function removeHooks() {
  if (!hooksInstalled) return;
  hooksInstalled = false;
  process.off('exit', killAllNow);
  for (const s of FORWARD_SIGNALS) process.off(s, onFatalSignal);
}

function track(pid) {
  liveGroups.add(pid);
  installHooks();
}

function untrack(pid) {
  liveGroups.delete(pid);
  if (liveGroups.size === 0) removeHooks();
}

// ---- server ------------------------------------------------------------------------------

function mergeNoProxy(existing) {
  const parts = new Set(
    (existing ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  for (const h of ['127.0.0.1', 'localhost', '::1']) parts.add(h);
  return [...parts].join(',');
}

/**
 * Starts app.py for a gradio version. Resolves once the server printed its ready line.
 * @param {{version?: string, port?: number, auth?: [string, string], maxQueue?: number,
 *          ssr?: boolean, env?: Record<string, string>}} [options] `ssr`: server-side rendering (Gradio ≥ 5)
 * @returns {Promise<{url: string, port: number, version: string, pid: number, stop(): Promise<void>}>}
 */
export async function startServer({ version = DEFAULT_GRADIO_VERSION, port, auth, maxQueue, ssr, env } = {}) {
  const python = await ensureVenv(version);
  const autoPort = port == null;
  for (let attempt = 1; ; attempt++) {
    const chosen = autoPort ? await getFreePort() : Number(port);
    try {
      return await launch({ python, version, port: chosen, auth, maxQueue, ssr, env });
    } catch (err) {
      // Another process may have grabbed the free port between our probe and gradio's bind.
      if (autoPort && attempt < 3 && err.portInUse) continue;
      throw err;
    }
  }
}

function launch({ python, version, port, auth, maxQueue, ssr, env }) {
  const args = [APP, '--port', String(port)];
  if (auth) {
    if (!Array.isArray(auth) || auth.length !== 2) throw new TypeError('auth must be [user, pass]');
    args.push('--auth', `${auth[0]}:${auth[1]}`);
  }
  if (maxQueue != null) args.push('--max-queue', String(maxQueue));
  if (ssr) args.push('--ssr');

  const tempDir = mkdtempSync(path.join(os.tmpdir(), `gradio-server-${version}-`));
  const noProxy = mergeNoProxy(process.env.NO_PROXY ?? process.env.no_proxy);
  const childEnv = {
    ...process.env,
    GRADIO_ANALYTICS_ENABLED: 'False',
    GRADIO_TEMP_DIR: tempDir,
    // Python's own temporary files too (a server stopped mid-job left some in the system's folder)
    TMPDIR: tempDir,
    PYTHONUNBUFFERED: '1',
    HF_HUB_OFFLINE: '1',
    NO_PROXY: noProxy,
    no_proxy: noProxy,
    GRADIO_SERVER_PARENT_PID: String(process.pid),
    ...env,
  };

  const child = spawn(python, args, {
    cwd: HERE,
    env: childEnv,
    detached: !IS_WIN,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid) track(pid);

  const debug = !!process.env.GRADIO_SERVER_DEBUG;
  let stdoutTail = '';
  let stderrTail = '';
  let lineBuf = '';
  let exited = child.exitCode !== null;
  const exitPromise = new Promise((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
    child.once('error', () => {
      exited = true;
      resolve();
    });
  });

  let stopping = null;
  const stop = () => {
    if (!stopping) {
      stopping = (async () => {
        if (!exited && pid) {
          killGroup(pid, 'SIGTERM');
          const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), STOP_GRACE_MS);
          await exitPromise;
          clearTimeout(timer);
        }
        // The group leader is gone; make sure nothing else of the group survives.
        if (pid) killGroup(pid, 'SIGKILL');
        if (pid) untrack(pid);
        // Drain/close pipes so the parent's event loop can exit.
        child.stdout?.destroy();
        child.stderr?.destroy();
        await rm(tempDir, { recursive: true, force: true }).catch(() => {});
      })();
    }
    return stopping;
  };
  // Clean up the temp dir even if the process dies unexpectedly.
  exitPromise.then(() => {
    if (!stopping) {
      if (pid) untrack(pid);
      try {
        rmSync(tempDir, { recursive: true, force: true });
      } catch {}
    }
  });

  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (message, extra = {}) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const tail = (stderrTail || stdoutTail).slice(-TAIL_CHARS);
      const err = Object.assign(new Error(`${message}\n--- gradio ${version} output (tail) ---\n${tail}`), extra);
      stop().then(() => reject(err));
    };
    const timer = setTimeout(
      () => fail(`Gradio ${version} server did not become ready within ${READY_TIMEOUT_MS / 1000} s`),
      READY_TIMEOUT_MS,
    );

    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    // Keep draining both pipes for the whole lifetime, otherwise the server blocks on a full pipe.
    child.stdout.on('data', (d) => {
      if (debug) process.stderr.write(d);
      stdoutTail = (stdoutTail + d).slice(-TAIL_CHARS);
      if (settled) return;
      lineBuf += d;
      let nl;
      while ((nl = lineBuf.indexOf('\n')) >= 0) {
        const line = lineBuf.slice(0, nl).replace(/\r$/, '');
        lineBuf = lineBuf.slice(nl + 1);
        const m = READY_RE.exec(line);
        if (m && !settled) {
          settled = true;
          clearTimeout(timer);
          lineBuf = '';
          resolve({ url: m[1], port, version, pid, stop });
          return;
        }
      }
    });
    child.stderr.on('data', (d) => {
      if (debug) process.stderr.write(d);
      stderrTail = (stderrTail + d).slice(-TAIL_CHARS);
    });
    child.once('error', (err) => fail(`Failed to spawn ${python}: ${err.message}`));
    child.once('exit', (code, signal) => {
      const out = stderrTail + stdoutTail;
      const portInUse = /address already in use|Cannot find empty port|port .* is not available/i.test(out);
      fail(`Gradio ${version} server exited before it was ready (${signal ?? `exit code ${code}`})`, { portInUse });
    });
  });
}

// ---- CLI ---------------------------------------------------------------------------------

function parseArgs(argv) {
  const opts = { version: DEFAULT_GRADIO_VERSION, installOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [key, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) throw new Error(`${key} needs a value`);
      return argv[++i];
    };
    switch (key) {
      case '--version':
        opts.version = value();
        break;
      case '--port':
        opts.port = Number(value());
        break;
      case '--auth': {
        const v = value();
        const idx = v.indexOf(':');
        if (idx < 0) throw new Error('--auth must be user:pass');
        opts.auth = [v.slice(0, idx), v.slice(idx + 1)];
        break;
      }
      case '--max-queue':
        opts.maxQueue = Number(value());
        break;
      case '--ssr':
        opts.ssr = true;
        break;
      case '--install-only':
        opts.installOnly = true;
        break;
      case '-h':
      case '--help':
        opts.help = true;
        break;
      default:
        throw new Error(`Unknown argument ${a}`);
    }
  }
  return opts;
}

async function cli(argv) {
  const opts = parseArgs(argv);
  if (opts.help) {
    console.log(
      'Usage:\n' +
        '  node server.mjs [--version V] [--port N] [--auth user:pass] [--max-queue N] [--ssr]\n' +
        '  node server.mjs --install-only [--version V|all]\n' +
        `Versions: ${GRADIO_VERSIONS.join(', ')} (tested; default ${DEFAULT_GRADIO_VERSION}), or any other release ≥ 4 as X.Y.Z`,
    );
    return;
  }
  if (opts.installOnly) {
    const versions = opts.version === 'all' ? [...GRADIO_VERSIONS, ...PROTOCOL_GRADIO_VERSIONS] : [opts.version];
    const results = await Promise.allSettled(versions.map((v) => ensureVenv(v)));
    let failed = false;
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') console.log(`gradio ${versions[i]}: ${r.value}`);
      else {
        failed = true;
        console.error(`gradio ${versions[i]}: install failed: ${r.reason?.message ?? r.reason}`);
      }
    });
    process.exitCode = failed ? 1 : 0;
    return;
  }
  const server = await startServer({ version: opts.version, port: opts.port, auth: opts.auth, maxQueue: opts.maxQueue, ssr: opts.ssr });
  console.log(`Gradio ${server.version} server ready at ${server.url}`);
  const shutdown = async () => {
    await server.stop();
    process.exit(0);
  };
  // Our handlers take precedence: with them installed the fatal-signal hook won't re-raise.
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

const isMain = (() => {
  try {
    return process.argv[1] && pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url;
  } catch {
    return false;
  }
})();

if (isMain) {
  cli(process.argv.slice(2)).catch((err) => {
    console.error(err?.message ?? err);
    process.exit(1);
  });
}
