/**
 * The two timings of the personal-data access log on real PostgreSQL: a reading's row is stored
 * before the reading is answered; a command answer's row (its event is already stored) is queued,
 * stored with others shortly after, before any read of the log, and on shutdown.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import type { Principal } from '../auth/principal';
import type { Logger } from '../logging/logger';
import { AFTER_ANSWER_FLUSH_MS, PersonalDataAccessLog } from './personal-data-access-log';
import { PERSONAL_DATA_MIGRATIONS } from './personal-data.vault';

const silent = { error: () => undefined, warn: () => undefined, info: () => undefined } as unknown as Logger;
const principal = { id: 'kuznetsova', name: 'Кузнецова', roles: ['controller'] } as unknown as Principal;

describe('personal-data access log (PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase('access_log');
    pool = new Pool({ connectionString: db.url, max: 2 });
    for (const m of PERSONAL_DATA_MIGRATIONS) await pool.query(m.sql);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  const stored = async (appealId: string): Promise<string[]> =>
    (
      await pool.query<{ purpose: string }>(
        'SELECT purpose FROM personal_data_access_log WHERE appeal_id = $1 ORDER BY id',
        [appealId],
      )
    ).rows.map((r) => r.purpose);

  it('stores a reading’s row before it resolves', async () => {
    const log = new PersonalDataAccessLog(pool, silent);
    const appealId = randomUUID();
    await log.record(principal, 'history', [{ appealId, applicants: 1 }]);
    expect(await stored(appealId)).toEqual(['history']);
  });

  it('queues a command answer’s row, stores it within the flush window, and first on a read of the log', async () => {
    const log = new PersonalDataAccessLog(pool, silent);
    const appealId = randomUUID();
    const started = Date.now();
    await log.record(principal, 'appeal', [{ appealId, applicants: 2 }], 'after-answer');
    expect(await stored(appealId)).toEqual([]); // answered before its row is stored
    const page = await log.find({ appealId, limit: 10 });
    expect(page.rows.map((r) => [r.actor.id, r.purpose, r.applicants])).toEqual([
      ['kuznetsova', 'appeal', 2],
    ]);
    expect(Date.now() - started).toBeLessThan(AFTER_ANSWER_FLUSH_MS + 5_000);

    const later = randomUUID();
    await log.record(principal, 'appeal', [{ appealId: later, applicants: 1 }], 'after-answer');
    for (let i = 0; i < 200 && (await stored(later)).length === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, AFTER_ANSWER_FLUSH_MS));
    expect(await stored(later)).toEqual(['appeal']); // stored by the timer, with no read asking
  });

  it('stores the queued rows on shutdown', async () => {
    const log = new PersonalDataAccessLog(pool, silent);
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    for (const appealId of ids)
      await log.record(principal, 'appeal', [{ appealId, applicants: 1 }], 'after-answer');
    await log.beforeApplicationShutdown();
    for (const appealId of ids) expect(await stored(appealId)).toEqual(['appeal']);
  });
});
