/**
 * `registration_lookup()` on real PostgreSQL: it answers as the statement it wraps does, and reads
 * the index by its (digest, position) order whatever the tables' statistics — on young, never
 * analysed tables too, where the statement planned per call reads every entry of a key by a bitmap
 * scan (docs/benchmarks.md, session 10). Surviving a rebuild's swap: test/registration-candidates.e2e-spec.ts.
 */
import { Client, Pool } from 'pg';
import { JOURNAL_SCHEMA, JournalProjection, ensureProjectionSchemas } from '@appeal-ledger/projections';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import type { PersonalDataVault } from '../personal-data/personal-data.vault';
import { APPLICANT_INDEX_SCHEMA, ApplicantIndexProjection } from './applicant-index.projection';
import type { BlindIndex } from './blind-index';
import {
  MAX_CANDIDATES,
  MAX_MATCHES,
  MAX_SCANNED,
  REGISTRATION_LOOKUP_MIGRATIONS,
  lookupStatement,
} from './registration-candidates';

const SHARED = 'a'.repeat(64); // an address shared by many appeals
const OWN = 'b'.repeat(64);
const ENTRIES = 2000;

describe('registration_lookup() (PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase('reg_lookup');
    pool = new Pool({ connectionString: db.url, max: 2 });
    const index = new ApplicantIndexProjection(
      undefined as unknown as PersonalDataVault,
      undefined as unknown as BlindIndex,
    );
    const setup = await pool.connect();
    try {
      await ensureProjectionSchemas(setup, [index, new JournalProjection({ timeZone: 'UTC' })]);
    } finally {
      setup.release();
    }
    for (const m of REGISTRATION_LOOKUP_MIGRATIONS) await pool.query(m.sql);
    // young tables: filled, never analysed
    await pool.query(
      `INSERT INTO ${APPLICANT_INDEX_SCHEMA}.entries (appeal_id, applicant_id, kind, digest, position)
       SELECT 'appeal-' || g, 'applicant-' || g, 'address', $1, g FROM generate_series(1, $2) AS g
       UNION ALL
       SELECT 'appeal-' || g, 'applicant-' || g, 'name', $3, g FROM generate_series(1, 5) AS g`,
      [SHARED, ENTRIES, OWN],
    );
    await pool.query(`UPDATE ${APPLICANT_INDEX_SCHEMA}.projection_checkpoint SET position = $1`, [ENTRIES]);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  const params = [
    [SHARED, OWN],
    'appeal-new',
    MAX_MATCHES,
    ['0005.0005.0056.1149'],
    ['0005.0005'],
    MAX_SCANNED,
    ['address', 'name'],
    [SHARED, OWN],
    '2018-03-06',
    'UTC',
    ENTRIES + 1,
    MAX_CANDIDATES,
  ];
  const call =
    'SELECT checkpoint, matches, terminations FROM registration_lookup($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)';

  it('answers as the statement it wraps', async () => {
    const viaFunction = (await pool.query(call, params)).rows;
    const viaStatement = (await pool.query(lookupStatement(APPLICANT_INDEX_SCHEMA, JOURNAL_SCHEMA), params))
      .rows;
    expect(viaFunction).toEqual(viaStatement);
    const [row] = viaFunction as { checkpoint: string; matches: { appeal_id: string; kinds: string[] }[] }[];
    expect(row.checkpoint).toBe(String(ENTRIES));
    expect(row.matches.map((m) => m.appeal_id)).toEqual(
      Array.from({ length: MAX_CANDIDATES }, (_, i) => `appeal-${ENTRIES - i}`),
    );
  });

  it('reads at most MAX_SCANNED index entries per key per call on never-analysed tables, in every call of a session', async () => {
    const session = new Client({ connectionString: db.url });
    await session.connect();
    try {
      const entriesRead = async (): Promise<number> => {
        await session.query('SELECT pg_stat_force_next_flush()');
        await session.query('SELECT pg_stat_clear_snapshot()');
        const { rows } = await session.query<{ n: string }>(
          `SELECT idx_tup_read::text AS n FROM pg_stat_user_indexes
            WHERE schemaname = $1 AND indexrelname = 'applicant_index_digest'`,
          [APPLICANT_INDEX_SCHEMA],
        );
        return Number(rows[0].n);
      };
      const before = await entriesRead();
      const calls = 8; // past the plan cache's five custom plans
      for (let i = 0; i < calls; i++) await session.query({ name: 'lookup', text: call, values: params });
      const read = (await entriesRead()) - before;
      // two keys, each read backwards from the new appeal's position: MAX_SCANNED rows (+1 to stop)
      expect(read).toBeGreaterThan(0);
      expect(read).toBeLessThanOrEqual(calls * 2 * (MAX_SCANNED + 1));
    } finally {
      await session.end();
    }
  });
});
