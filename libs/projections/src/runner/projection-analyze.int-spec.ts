/**
 * A young read model gets planner statistics from the runner as it grows (ANALYZE after the first
 * ANALYZE_FIRST events applied, then each time the count doubles), not only when autovacuum wakes.
 */
import { randomUUID } from 'node:crypto';
import { appealStreamId } from '@appeal-ledger/appeal';
import { PostgresEventStore } from '@appeal-ledger/event-store';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { ControlProjection } from '../control/control.projection';
import { testMetadata } from '../testing/event-log';
import { syntheticAppealEvents } from '../testing/synthetic-appeals';
import { ProjectionRunner } from './projection-runner';
import { ANALYZE_FIRST } from './projection-target';

const control = new ControlProjection({ timeZone: 'Asia/Novokuznetsk' });
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('projection runner: statistics of young read models', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase('analyze');
    pool = new Pool({ connectionString: db.url, max: 4 });
    store = new PostgresEventStore(db.url, { pollIntervalMs: 200 });
    await store.migrate();
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
    await db.drop();
  });

  /** manual ANALYZEs of the live control tables (autovacuum's are counted apart) */
  const analyses = async (): Promise<number> =>
    (
      await pool.query<{ n: number }>(
        `SELECT coalesce(min(analyze_count), 0)::int AS n FROM pg_stat_user_tables
          WHERE schemaname = 'rm_control' AND relname = ANY($1::text[])`,
        [[...control.tables]],
      )
    ).rows[0].n;

  async function untilAnalysed(atLeast: number, timeoutMs: number): Promise<number> {
    const until = Date.now() + timeoutMs;
    let n = await analyses();
    // statistics reach the view when the runner's backend flushes them (within a second)
    while (n < atLeast && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      n = await analyses();
    }
    return n;
  }

  it('analyses the tables once the events applied pass ANALYZE_FIRST, and again when they double', async () => {
    const synthetic = syntheticAppealEvents({ appeals: 10_000, perDay: 6, seed: 11 });
    const append = async (count: number): Promise<number> => {
      let last = 0;
      for (let i = 0; i < count; i++) {
        const next = synthetic.next();
        if (next.done) break;
        const { appealId, event } = next.value;
        last = (
          await store.append(
            appealStreamId(appealId),
            [{ id: randomUUID(), type: event.type, data: event.data as never, metadata: testMetadata() }],
            'any',
          )
        ).position;
      }
      return last;
    };
    const runner = new ProjectionRunner({
      store,
      projections: [control],
      pool,
      connection: { connectionString: db.url },
      batchSize: 100,
      logger: quiet,
      rebuildFromScratchAbove: 0,
    });
    try {
      await runner.start();
      const few = await append(ANALYZE_FIRST / 2);
      expect(await runner.waitForPosition('control', few, 30_000)).toBe(true);
      expect(await analyses()).toBe(0); // below the first threshold: none yet
      const more = await append(ANALYZE_FIRST);
      expect(await runner.waitForPosition('control', more, 30_000)).toBe(true);
      expect(await untilAnalysed(1, 5_000)).toBeGreaterThanOrEqual(1);
      const twice = await append(2 * ANALYZE_FIRST);
      expect(await runner.waitForPosition('control', twice, 30_000)).toBe(true);
      expect(await untilAnalysed(2, 5_000)).toBeGreaterThanOrEqual(2);
    } finally {
      await runner.stop();
    }
  });
});
