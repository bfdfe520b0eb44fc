import { ProductionCalendar } from '@appeal-ledger/appeal';
import {
  assigned,
  extended,
  finalAnswered,
  forwarded,
  furtherControlSet,
  IVANOVA,
  leftWithoutAnswer,
  measuresCompleted,
  registered,
  reportedToSource,
} from '@appeal-ledger/appeal/testing';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { findJournalRows } from '../journal/journal-rows.query';
import { JournalProjection } from '../journal/journal.projection';
import { EventLog } from '../testing/event-log';
import { applyEvents, createReadModel } from '../testing/projection-harness';
import { findControlRows } from './control-rows.query';
import { ControlProjection } from './control.projection';
import type { AppealFlagFilters } from './flag-filters';

/** The law-flag filters (issue 14) give the same rows on the control and the journal read models. */
describe('filters by the law flags (control and journal read models, PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  const timeZone = 'Asia/Novokuznetsk';
  const control = new ControlProjection({ timeZone });
  const journal = new JournalProjection({ timeZone });
  const context = { today: '2018-03-20', calendar: ProductionCalendar.shipped() };
  const REGION = {
    type: 'regional_administration' as const,
    name: 'Администрация области',
    reportBackBy: '2018-04-02',
  };

  beforeAll(async () => {
    db = await createTestDatabase('flag_filters');
    pool = new Pool({ connectionString: db.url, max: 2 });
    await createReadModel(pool, control);
    await createReadModel(pool, journal);
    const log = new EventLog();
    log.append('plain', registered({ appealId: 'plain', number: 'П/1' }));
    log.append(
      'late',
      registered({
        appealId: 'late',
        number: 'П/2',
        receivedAt: '2018-02-26',
        registeredAt: '2018-03-01',
        registrationDueDate: '2018-02-28',
        registeredLate: true,
      }),
    );
    log.append(
      'ext',
      registered({ appealId: 'ext', number: 'П/3' }),
      assigned({ executor: IVANOVA, department: 'ЖКХ' }),
      extended(),
    );
    log.append(
      'fwd',
      registered({ appealId: 'fwd', number: 'П/4' }),
      forwarded({ forwardedLate: true, forwardDueDate: '2018-03-08', sentAt: '2018-03-12T10:00:00+07:00' }),
    );
    log.append(
      'left',
      registered({ appealId: 'left', number: 'П/5' }),
      leftWithoutAnswer({ ground: 'obscene' }),
    );
    log.append(
      'unread',
      registered({ appealId: 'unread', number: 'П/6' }),
      leftWithoutAnswer({ ground: 'unreadable' }),
    );
    log.append('owed', registered({ appealId: 'owed', number: 'П/7', source: REGION }));
    log.append(
      'further',
      registered({ appealId: 'further', number: 'П/8', source: REGION }),
      assigned({ executor: IVANOVA, department: 'ЖКХ' }),
      finalAnswered(),
      reportedToSource(),
      furtherControlSet(),
    );
    log.append(
      'done',
      registered({ appealId: 'done', number: 'П/9' }),
      assigned({ executor: IVANOVA, department: 'ЖКХ' }),
      finalAnswered(),
      furtherControlSet(),
      measuresCompleted(),
    );
    await applyEvents(pool, control, log.events, { batchSize: 4 });
    await applyEvents(pool, journal, log.events, { batchSize: 4 });
  });

  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  const both = async (filters: AppealFlagFilters): Promise<string[]> => {
    const onControl = (await findControlRows(pool, { ...filters, limit: 500 }, context)).rows.map(
      (r) => r.id,
    );
    const inJournal = (await findJournalRows(pool, { ...filters, limit: 500 }, context)).rows.map(
      (r) => r.id,
    );
    expect(inJournal.sort()).toEqual([...onControl].sort());
    return onControl.sort();
  };

  it('filters by each flag, true and false', async () => {
    const all = (await both({})).length;
    expect(all).toBe(9);
    const cases: [AppealFlagFilters, string[]][] = [
      [{ registeredLate: true }, ['late']],
      [{ forwardedLate: true }, ['fwd']],
      [{ extended: true }, ['ext']],
      [{ onFurtherControl: true }, ['further']],
      [{ reportToSourcePending: true }, ['owed']],
      [{ leftWithoutAnswer: true }, ['left', 'unread']],
      [{ withoutAnswerGround: 'unreadable' }, ['unread']],
      [{ leftWithoutAnswer: true, withoutAnswerGround: 'obscene' }, ['left']],
    ];
    for (const [filters, expected] of cases) {
      expect({ filters, ids: await both(filters) }).toEqual({ filters, ids: expected.sort() });
      const [flag, ...more] = Object.keys(filters) as (keyof AppealFlagFilters)[];
      if (more.length === 0 && typeof filters[flag] === 'boolean') {
        const others = await both({ [flag]: false });
        expect(others).toHaveLength(all - expected.length);
        for (const id of expected) expect(others).not.toContain(id);
      }
    }
    // flags combine with AND
    expect(await both({ extended: true, registeredLate: true })).toEqual([]);
  });

  it('refuses a ground the law does not know, naming the field', async () => {
    const bad = { withoutAnswerGround: 'rude' } as unknown as AppealFlagFilters;
    await expect(findControlRows(pool, bad, context)).rejects.toMatchObject({ field: 'withoutAnswerGround' });
    await expect(findJournalRows(pool, bad, context)).rejects.toMatchObject({ field: 'withoutAnswerGround' });
  });
});
