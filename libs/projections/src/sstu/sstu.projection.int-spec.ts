import {
  assigned,
  extended,
  finalAnswered,
  forwarded,
  registered,
  reminderIssued,
  returnedForRework,
} from '@appeal-ledger/appeal/testing';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { EventLog } from '../testing/event-log';
import { applyEvents, createReadModel, dumpTables } from '../testing/projection-harness';
import { findSstuRows, SstuProjection } from './sstu.projection';

describe('ССТУ read model (PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  const projection = new SstuProjection({ timeZone: 'Asia/Novokuznetsk' });
  const log = new EventLog();

  beforeAll(async () => {
    db = await createTestDatabase('sstu');
    pool = new Pool({ connectionString: db.url, max: 2 });
    log.append(
      'a',
      registered({ appealId: 'a', number: 'П/1', registeredAt: '2018-11-29', receivedAt: '2018-11-28' }),
      assigned(),
      reminderIssued(),
      extended({ extendedAt: '2018-12-20T10:00:00+07:00' }),
      // 23:30 in Novokuznetsk on 31 December is still December there (16:30 UTC)
      finalAnswered({ sentAt: '2018-12-31T23:30:00+07:00' }),
      returnedForRework({ returnedAt: '2019-01-09T10:00:00+07:00' }),
    );
    log.append(
      'b',
      registered({
        appealId: 'b',
        number: 'И/2',
        registeredAt: '2018-12-03',
        source: {
          type: 'regional_administration',
          name: 'Администрация области',
          reference: '01/7',
          date: '2018-11-30',
        },
      }),
      forwarded({ to: 'Прокуратура района', sentAt: '2018-12-05', reference: 'исх-1' }),
    );
    // events of an appeal never seen registered are ignored
    log.append('ghost', finalAnswered());
    await createReadModel(pool, projection);
    await applyEvents(pool, projection, log.events, { batchSize: 2 });
  });

  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('keeps one row per appeal with its changes and the months whose export holds it', async () => {
    const rows = await findSstuRows(pool, '2018-12-01');
    expect(rows.map((r) => r.appeal_id)).toEqual(['a', 'b']);
    const a = rows[0];
    expect(a).toMatchObject({
      number: 'П/1',
      received_on: '2018-11-28',
      registered_on: '2018-11-29',
      form: 'written',
      source: { type: 'direct' },
      months: ['2018-11-01', '2018-12-01', '2019-01-01'],
    });
    expect(a.changes.map((c) => [c.kind, c.on])).toEqual([
      ['extended', '2018-12-20'],
      ['answered', '2018-12-31'],
      ['returned_for_rework', '2019-01-09'],
    ]);
    expect(rows[1].source).toEqual({
      type: 'regional_administration',
      name: 'Администрация области',
      reference: '01/7',
      date: '2018-11-30',
    });
    expect(rows[1].changes).toEqual([
      { kind: 'forwarded', on: '2018-12-05', to: 'Прокуратура района', reference: 'исх-1' },
    ]);
    expect((await findSstuRows(pool, '2018-11-01')).map((r) => r.appeal_id)).toEqual(['a']);
    expect((await findSstuRows(pool, '2019-01-01')).map((r) => r.appeal_id)).toEqual(['a']);
    expect(await findSstuRows(pool, '2018-10-01')).toEqual([]);
  });

  it('gives the same tables however the events are batched (as a rebuild replays them)', async () => {
    const live = await dumpTables(pool, 'rm_sstu', projection.tables);
    for (const batchSize of [1, log.events.length]) {
      const schema = `rm_sstu_replay_${batchSize}`;
      await createReadModel(pool, projection, schema);
      await applyEvents(pool, projection, log.events, { batchSize, schema });
      expect(await dumpTables(pool, schema, projection.tables)).toEqual(live);
    }
  });
});
