import type { Pool } from 'pg';

const KEY = "(hashtextextended($1, 0) & x'ffffffffffffffff'::bigint)";
const SAME_LOCK = `locktype = 'advisory' AND ((classid::bigint << 32) | objid::bigint) = ${KEY}
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

/** How many sessions hold, and how many wait for, the consumer lock named `lockName`. */
export async function advisoryLockHolders(
  pool: Pool,
  lockName: string,
): Promise<{ granted: number; waiting: number }> {
  const result = await pool.query<{ granted: number; waiting: number }>(
    `SELECT count(*) FILTER (WHERE granted)::int AS granted, count(*) FILTER (WHERE NOT granted)::int AS waiting
       FROM pg_locks WHERE ${SAME_LOCK}`,
    [lockName],
  );
  return result.rows[0] ?? { granted: 0, waiting: 0 };
}

/**
 * Resolves once `waiting` sessions queue on the consumer lock `lockName`. A standby reports its
 * role before its session reaches `pg_advisory_lock`; a takeover test that kills the active session
 * first may see the killed one, reconnecting, win the lock back. Polled: PostgreSQL has no event for it.
 */
export async function untilWaitingOnLock(pool: Pool, lockName: string, waiting = 1): Promise<void> {
  while ((await advisoryLockHolders(pool, lockName)).waiting < waiting)
    await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Terminates the session holding the consumer lock `lockName`; returns how many were terminated. */
export async function killLockHolder(pool: Pool, lockName: string): Promise<number> {
  const result = await pool.query(
    `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE granted AND ${SAME_LOCK}`,
    [lockName],
  );
  return result.rowCount ?? 0;
}
