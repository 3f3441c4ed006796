// Brings a fresh clone to a runnable state: pnpm at the pinned version, node modules, and the
// Gradio server's Python virtualenv(s). Idempotent; takes about a second when all is in place.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
const PNPM = '12.4.2';

/** Whether a port of 127.0.0.1 is free (resolves with it), or else a free one the system picks. */
export const listenable = (port) =>
  new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(port === 0 ? null : listenable(0)));
    probe.listen(port, '127.0.0.1', () => {
      const { port: got } = probe.address();
      probe.close(() => resolve(got));
    });
  });

/** Runs a command, inheriting stdio; resolves with its exit code. */
export function run(cmd, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', ...options });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolve(127));
  });
}

function pnpmVersion() {
  const r = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

export async function ensurePnpm() {
  if (pnpmVersion() === PNPM) return;
  console.error(`> installing pnpm@${PNPM} (npm i -g)`);
  if ((await run('npm', ['i', '-g', `pnpm@${PNPM}`, '--no-fund', '--no-audit', '--loglevel=error'])) !== 0 || pnpmVersion() !== PNPM) {
    throw new Error(`Could not install pnpm@${PNPM} globally; install it yourself (npm i -g pnpm@${PNPM}) and retry.`);
  }
}

export async function installModules() {
  const frozen = process.env.CI ? ['--frozen-lockfile'] : [];
  if ((await run('pnpm', ['install', '--reporter=silent', ...frozen])) !== 0) throw new Error('pnpm install failed');
}

/** Everything a command needs: pnpm, node modules, and the venvs of the given gradio versions. */
export async function bootstrap(versions) {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) throw new Error(`Node ${process.versions.node} is too old: Node >= 20 is required.`);
  await ensurePnpm();
  await installModules();
  const { ensureVenv } = await import('../apps/gradio-server/server.mjs');
  // one venv per version, installed side by side (pip mostly waits on the network)
  await Promise.all(versions.map((v) => ensureVenv(v)));
}
