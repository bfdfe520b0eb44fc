/**
 * `npm run user`: adds an account through the running engine, the password read from standard input.
 * Runs the compiled CLI as the npm script does (`npm test` builds first).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { http, startTestEngine, TEST_JWT_SECRET, type TestEngine } from '../support/test-engine';

const ROOT = join(__dirname, '..', '..');

function runCli(
  t: TestEngine,
  args: string[],
  stdin: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        'apps/web/src/cli/user.ts',
        ...args,
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          APPEAL_LEDGER_URL: t.url,
          AUTH_JWT_SECRET: TEST_JWT_SECRET,
          DATA_DIR: t.dataDir,
        },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('npm run user', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await startTestEngine();
  });
  afterAll(() => t.stop());

  it('adds an account with the password from standard input, and lists it', async () => {
    const res = await runCli(
      t,
      [
        'add',
        '--login',
        'ivanova',
        '--name',
        'Иванова А.А.',
        '--roles',
        'registrar,controller',
        '--department',
        'Отдел ЖКХ',
      ],
      'a-long-secret-password\n',
    );
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('created ivanova');
    const account = await http(t.url, 'GET', '/admin/users/ivanova', { token: t.token('a', ['admin']) });
    expect(account.body).toMatchObject({
      name: 'Иванова А.А.',
      roles: ['registrar', 'controller'],
      department: 'Отдел ЖКХ',
    });
    const list = await runCli(t, ['list'], '');
    expect(list.stdout).toMatch(/^ivanova\tИванова А\.А\.\tregistrar,controller\tОтдел ЖКХ\tactive$/m);
  }, 120_000);

  it('refuses a short password and an unknown role with a message and a non-zero exit', async () => {
    const short = await runCli(t, ['add', '--login', 'x1', '--name', 'X', '--roles', 'registrar'], 'short\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('password');
    const role = await runCli(
      t,
      ['add', '--login', 'x2', '--name', 'X', '--roles', 'king'],
      'a-long-secret-password\n',
    );
    expect(role.code).toBe(2);
    expect(role.stderr).toContain('unknown role');
  }, 120_000);
});
