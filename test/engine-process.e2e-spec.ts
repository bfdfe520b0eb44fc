/**
 * The engine as an operator runs it: `npm start`'s command in its own process with embedded
 * PostgreSQL in a fresh DATA_DIR — start, serve, stop cleanly on SIGTERM, keep data across restarts,
 * recover from being killed, and never leave applicants' personal data readable in the data folder.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { freePort, startEngineProcess, type EngineProcess } from './support/engine-process';
import { http } from './support/test-engine';

const SECRET = 'engine-process-secret-0123456789abcdef';

/** Starts the compiled engine on `port` with its embedded PostgreSQL in `dataDir`. */
async function startEngine(dataDir: string, port: number, viaNpm = false): Promise<EngineProcess> {
  return startEngineProcess(
    { DATA_DIR: dataDir, PORT: String(port), AUTH_JWT_SECRET: SECRET, DATABASE_URL: '' },
    { viaNpm },
  );
}

/** The command lines (arguments joined by spaces) of the processes whose parent is `pid` (Linux /proc). */
function childCommandLines(pid: number): string[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        // the parent pid is the 4th field of stat, after the command name in parentheses
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return parent === pid ? [readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ')] : [];
      } catch {
        return []; // a process that ended meanwhile
      }
    });
}

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) out.push(...filesUnder(path));
    else if (st.isFile()) out.push(path);
  }
  return out;
}

function postmasterPid(dataDir: string): number | undefined {
  const file = join(dataDir, 'postgres', 'postmaster.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the engine process (npm start) with embedded PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'appeal-ledger-process-'));
  const jwt = new JwtService({ secret: SECRET });
  const registrar = jwt.sign(
    {
      sub: 'ivanova',
      name: 'Иванова А.А.',
      roles: ['registrar', 'controller', 'supervisor'],
    },
    { expiresIn: '12h' },
  );
  const pii = {
    name: 'Неповторимов Евграф Сосипатрович',
    address: 'село Приозёрное-Уникальное, улица Тридевятая, 77',
    email: 'evgraf.nepovtorimov@example.org',
    phone: '+7 (999) 314-15-92',
  };
  let appealId = '';
  let port = 0;

  afterAll(() => {
    const pid = postmasterPid(dataDir);
    if (pid && alive(pid)) process.kill(pid, 'SIGINT');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts with `npm start` on an empty data folder, registers an appeal and stops cleanly on SIGTERM to npm', async () => {
    port = await freePort();
    const engine = await startEngine(dataDir, port, true);
    const res = await http<{ id: string; number: string }>(engine.url, 'POST', '/appeals', {
      token: registrar,
      body: {
        receivedAt: '2018-03-05',
        registeredAt: '2018-03-06',
        channel: 'written',
        kind: 'complaint',
        applicants: [pii],
        questions: [{ code: '0005.0005.0056.1149', summary: 'отопление' }],
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.number).toBe('Н/1');
    appealId = res.body.id;
    const pgPid = postmasterPid(dataDir);
    expect(pgPid && alive(pgPid)).toBe(true);
    // the engine's node runs with a capped heap (package.json; docs/operations.md, "Memory")
    expect(childCommandLines(engine.child.pid ?? 0).filter((c) => c.includes('main.js'))).toEqual([
      expect.stringContaining('--max-old-space-size=384'),
    ]);

    engine.child.kill('SIGTERM');
    await engine.exited;
    // npm hands the signal to the engine (`exec` in the start script), which stops PostgreSQL last.
    await until(() => !(pgPid && alive(pgPid)));
    expect(engine.output()).toContain('embedded PostgreSQL stopped');
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  });

  it('leaves no applicant personal data readable anywhere in the data folder', () => {
    const needles = Object.values(pii).map((v) => Buffer.from(v, 'utf8'));
    const leaks = filesUnder(dataDir).filter((file) => {
      const content = readFileSync(file);
      return needles.some((n) => content.includes(n));
    });
    expect(leaks).toEqual([]);
  });

  it('keeps the appeal and the generated secrets across a restart', async () => {
    const engine = await startEngine(dataDir, port);
    const res = await http<{ id: string; applicants: { name: string }[] }>(
      engine.url,
      'GET',
      `/appeals/${appealId}`,
      {
        token: registrar,
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.applicants[0].name).toBe(pii.name);
    engine.child.kill('SIGKILL');
    await engine.exited;
  });

  it('recovers after being killed: the orphaned PostgreSQL is stopped and the data is intact', async () => {
    const orphan = postmasterPid(dataDir);
    expect(orphan && alive(orphan)).toBe(true);
    const engine = await startEngine(dataDir, port);
    expect(orphan && alive(orphan)).toBe(false);
    const res = await http<{ id: string; state: string }>(engine.url, 'GET', `/appeals/${appealId}`, {
      token: registrar,
    });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('registered');
    engine.child.kill('SIGTERM');
    expect(await engine.exited).toBe(0);
  });
});
