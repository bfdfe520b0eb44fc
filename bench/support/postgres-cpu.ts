/**
 * CPU time of a PostgreSQL server on this machine, from /proc: the postmaster, its live children
 * (backends, WAL writer, checkpointer, …) and the children that have exited meanwhile (the
 * postmaster's cutime/cstime). NaN when the server is not on this machine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Pool } from 'pg';

const TICK_MS = 1000 / 100; // USER_HZ is 100 on Linux

function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // fields after the command name, which is in parentheses and may hold spaces
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** The postmaster's pid, found as the parent of this pool's backend; undefined if not local. */
export async function postmasterPid(pool: Pool): Promise<number | undefined> {
  try {
    const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return Number(statFields(rows[0].pid)[1]); // ppid (field 4 of stat)
  } catch {
    return undefined;
  }
}

/** CPU ms used so far by the server: postmaster + live children + exited children. */
export function postgresCpuMs(postmaster: number | undefined): number {
  if (postmaster === undefined) return NaN;
  try {
    const own = statFields(postmaster);
    // utime, stime, cutime, cstime: fields 14–17 of stat
    let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const f = statFields(Number(entry));
        if (Number(f[1]) === postmaster) ticks += Number(f[11]) + Number(f[12]);
      } catch {
        // ended meanwhile
      }
    }
    return ticks * TICK_MS;
  } catch {
    return NaN;
  }
}

/** CPU ms this process has used so far (user + system). */
export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Machine-independent counters of the work a database did: transactions committed, rows written, WAL. */
export interface DatabaseCounters {
  commits: number;
  rowsInserted: number;
  walBytes: number;
}

/**
 * This database's commits and inserted rows (pg_stat_database; backends report them at most once a
 * second, so a window of 10 s or more is within a few per cent) and the server's WAL position.
 */
export async function databaseCounters(pool: Pool): Promise<DatabaseCounters> {
  await pool.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await pool.query<{ commits: string; inserted: string; wal: string }>(
    `SELECT xact_commit AS commits, tup_inserted AS inserted, pg_current_wal_lsn() - '0/0'::pg_lsn AS wal
       FROM pg_stat_database WHERE datname = current_database()`,
  );
  return {
    commits: Number(rows[0].commits),
    rowsInserted: Number(rows[0].inserted),
    walBytes: Number(rows[0].wal),
  };
}

/** Per command, between two readings; the probe's own reading transactions are not subtracted (2). */
export function perCommand(
  before: DatabaseCounters,
  after: DatabaseCounters,
  commands: number,
): { commitsPerCommand: number; rowsInsertedPerCommand: number; walBytesPerCommand: number } {
  const per = (a: number, b: number, digits: number): number => Number(((b - a) / commands).toFixed(digits));
  return {
    commitsPerCommand: per(before.commits, after.commits, 2),
    rowsInsertedPerCommand: per(before.rowsInserted, after.rowsInserted, 2),
    walBytesPerCommand: per(before.walBytes, after.walBytes, 0),
  };
}
