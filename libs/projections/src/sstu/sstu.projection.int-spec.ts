import {
  assigned,
  extended,
  finalAnswered,
  forwarded,
  registered,
  relatedConfirmed,
  relatedRejected,
  reminderIssued,
  returnedForRework,
} from '@appeal-ledger/appeal/testing';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { EventLog } from '../testing/event-log';
import { applyEvents, createReadModel, dumpTables } from '../testing/projection-harness';
import { findSstuMonth, findSstuRows, SstuProjection } from './sstu.projection';

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

  it("brings in the joined duplicates of the month's appeals, and the originals they are reported with", async () => {
    const dups = new EventLog();
    dups.append(
      'c',
      registered({ appealId: 'c', number: 'П/3', registeredAt: '2018-11-30', receivedAt: '2018-11-30' }),
      relatedConfirmed({ relatedAppealId: 'a', kind: 'duplicate', joined: true, decidedAt: '2018-12-03' }),
    );
    // a duplicate of the duplicate, and one whose join was undone before January
    dups.append(
      'd',
      registered({ appealId: 'd', number: 'П/4', registeredAt: '2018-12-04', receivedAt: '2018-12-04' }),
      relatedConfirmed({ relatedAppealId: 'c', kind: 'duplicate', joined: true, decidedAt: '2018-12-05' }),
    );
    dups.append(
      'e',
      registered({ appealId: 'e', number: 'П/5', registeredAt: '2018-12-04', receivedAt: '2018-12-04' }),
      relatedConfirmed({ relatedAppealId: 'a', kind: 'duplicate', joined: true, decidedAt: '2018-12-05' }),
      relatedRejected({ relatedAppealId: 'a', kind: 'duplicate', decidedAt: '2018-12-06' }),
    );
    const schema = 'rm_sstu_duplicates';
    await createReadModel(pool, projection, schema);
    await applyEvents(pool, projection, [...log.events, ...dups.events], { batchSize: 3, schema });

    // January 2019: only `a` changed (returned for rework); its joined duplicates change with it
    const january = await findSstuMonth(pool, { from: '2019-01-01', to: '2019-01-31' }, schema);
    expect(january.rows.map((r) => r.appeal_id)).toEqual(['a', 'c', 'd']);
    expect(january.rows.find((r) => r.appeal_id === 'c')?.originals).toEqual(['a']);
    expect(january.originals.get('a')?.number).toBe('П/1');
    // December: `d` alone brings in `c` and `a` to be reported with, wherever their months are
    const onlyD = await findSstuMonth(pool, { from: '2018-12-01', to: '2018-12-31' }, schema);
    expect(onlyD.rows.map((r) => r.appeal_id)).toEqual(['a', 'c', 'b', 'd', 'e']);
    expect(await findSstuMonth(pool, { from: '2018-10-01', to: '2018-10-31' }, schema)).toEqual({
      rows: [],
      originals: new Map(),
    });
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
