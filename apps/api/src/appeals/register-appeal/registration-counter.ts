/**
 * Allocates registration sequence numbers per year in PostgreSQL (unique per administration and
 * year; the sequence restarts each year). A registration that fails after allocating leaves a gap,
 * never a duplicate.
 */
import type { Pool } from 'pg';

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

export class RegistrationCounter {
  constructor(private readonly pool: Pool) {}

  async next(year: number): Promise<number> {
    const res = await this.pool.query<{ last_sequence: number }>(
      `INSERT INTO registration_counters (year, last_sequence) VALUES ($1, 1)
       ON CONFLICT (year) DO UPDATE SET last_sequence = registration_counters.last_sequence + 1
       RETURNING last_sequence`,
      [year],
    );
    return res.rows[0].last_sequence;
  }
}
