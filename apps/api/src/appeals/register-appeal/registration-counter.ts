/**
 * Registration sequence numbers per year in PostgreSQL (unique per administration and year; the
 * sequence restarts each year). A number is taken inside the transaction that records the
 * registration, so a registration that fails takes none: no gaps, no duplicates.
 */
import type { Queryable } from '@appeal-ledger/event-store';

export const REGISTRATION_COUNTER_MIGRATIONS = [
  {
    version: 1,
    name: 'registration-counters',
    sql: `CREATE TABLE IF NOT EXISTS registration_counters (
            year int PRIMARY KEY,
            last_sequence int NOT NULL
          );`,
  },
];

/** Advisory-lock class of the per-year registration lock ("RegN"). */
const REGISTRATION_LOCK = 0x5265674e;

export class RegistrationCounter {
  /**
   * The year's next number, inside the caller's transaction on `client`. Takes the year's
   * registration lock until that transaction ends, so registrations of one year commit one at a
   * time. An advisory lock and a plain read take no transaction id: the event append may still be
   * the transaction's first write (the event store requires that).
   */
  async reserve(client: Queryable, year: number): Promise<number> {
    await client.query({ text: 'SELECT pg_advisory_xact_lock($1, $2)', values: [REGISTRATION_LOCK, year] });
    const res = await client.query<{ last_sequence: number }>({
      text: 'SELECT last_sequence FROM registration_counters WHERE year = $1',
      values: [year],
    });
    return (res.rows[0]?.last_sequence ?? 0) + 1;
  }

  /** Records `sequence` as the year's last number (in the transaction that reserved it). */
  async commit(client: Queryable, year: number, sequence: number): Promise<void> {
    await client.query({
      text: `INSERT INTO registration_counters (year, last_sequence) VALUES ($1, $2)
             ON CONFLICT (year) DO UPDATE SET last_sequence = greatest(registration_counters.last_sequence, EXCLUDED.last_sequence)`,
      values: [year, sequence],
    });
  }
}
