/** Test support: the compiled engine (`npm start`'s command) in its own process, to kill and restart. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../apps/api/src/database/database-server';

const ROOT = join(__dirname, '..', '..');

export { freePort };

export interface EngineProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  /** everything the engine printed so far */
  output(): string;
}

/**
 * Starts `dist/apps/api/src/main.js` — directly, or through `npm start` (without its build step) as
 * an operator would — and resolves once it logs that it is listening.
 */
export async function startEngineProcess(
  env: Record<string, string>,
  options: { viaNpm?: boolean; /** the installed project to run (default: this one) */ cwd?: string } = {},
): Promise<EngineProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const [command, args] = options.viaNpm
    ? ['npm', ['start', '--ignore-scripts', '--silent']]
    : [process.execPath, ['-r', './scripts/register-paths.js', 'dist/apps/api/src/main.js']];
  const child = spawn(command, args, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Appeal Ledger is listening')) resolve();
    });
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    void exited.then((code) => reject(new Error(`engine exited with ${code} before listening:\n${output}`)));
  });
  return { child, url: `http://127.0.0.1:${port}`, exited, output: () => output };
}
