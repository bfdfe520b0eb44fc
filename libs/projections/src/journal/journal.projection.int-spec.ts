import { ProductionCalendar } from '@appeal-ledger/appeal';
import {
  assigned,
  finalAnswered,
  IVANOVA,
  registered,
  removedFromControl,
  returnedForRework,
  SIDOROV,
} from '@appeal-ledger/appeal/testing';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { EventLog } from '../testing/event-log';
import { applyEvents, createReadModel, dumpTables } from '../testing/projection-harness';
import { findJournalRows, type JournalFilters } from './journal-rows.query';
import { JournalProjection } from './journal.projection';

describe('journal read model (PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  const projection = new JournalProjection({ timeZone: 'Asia/Novokuznetsk' });
  const context = { today: '2018-03-20', calendar: ProductionCalendar.shipped() };

  beforeAll(async () => {
    db = await createTestDatabase('journal');
    pool = new Pool({ connectionString: db.url, max: 2 });
    await createReadModel(pool, projection);
    const log = new EventLog();
    log.append(
      'a',
      registered({ appealId: 'a', number: 'П/1', registeredAt: '2018-03-01', territory: 'п. Елань' }),
      assigned({ executor: IVANOVA, department: 'ЖКХ' }),
      finalAnswered(),
      returnedForRework(),
    );
    log.append(
      'b',
      registered({
        appealId: 'b',
        number: 'С/2',
        registeredAt: '2018-03-05',
        channel: 'phone',
        form: 'oral',
        kind: 'proposal',
        questions: [{ code: '0001.0002.0020.0150' }],
        dueDate: '2018-04-04',
        nominalDueDate: '2018-04-04',
      }),
      assigned({ executor: SIDOROV, department: 'Дорожный отдел' }),
    );
    log.append(
      'c',
      registered({ appealId: 'c', number: 'К/3', registeredAt: '2018-03-05', receivedAt: '2018-03-04' }),
      removedFromControl(),
    );
    // events of an appeal the journal never saw registered are ignored
    log.append('ghost', assigned());
    await applyEvents(pool, projection, log.events, { batchSize: 3 });
  });

  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  const ids = async (filters: JournalFilters): Promise<string[]> =>
    (await findJournalRows(pool, filters, context)).rows.map((r) => r.id);

  it('keeps one row per registered appeal with the registration columns and the life-cycle state', async () => {
    const tables = await dumpTables(pool, 'rm_journal', projection.tables);
    expect(tables.appeals).toHaveLength(3);
    const page = await findJournalRows(pool, {}, context);
    expect(page.rows.find((r) => r.id === 'a')).toEqual({
      id: 'a',
      number: 'П/1',
      registeredAt: '2018-03-01',
      receivedAt: '2018-03-01',
      registeredLate: false,
      channel: 'written',
      kind: 'complaint',
      territory: 'п. Елань',
      questionCodes: ['0005.0005.0056.1149', '0003.0009.0099.0742'],
      state: 'assigned',
      department: 'ЖКХ',
      executor: IVANOVA,
      dueDate: '2018-03-30',
      daysLeft: 8,
      overdue: false,
      onControl: true,
      extended: false,
      forwardedLate: false,
      withoutAnswerGround: null,
      onFurtherControl: false,
      reportBackBy: null,
      reportToSourcePending: false,
    });
    expect(page.rows.find((r) => r.id === 'c')).toMatchObject({ state: 'closed', onControl: false });
  });

  it('lists newest registrations first and pages by cursor without gaps or repeats', async () => {
    expect(await ids({})).toEqual(['c', 'b', 'a']);
    const first = await findJournalRows(pool, { limit: 2 }, context);
    expect(first.rows.map((r) => r.id)).toEqual(['c', 'b']);
    expect(first.nextCursor).not.toBeNull();
    const second = await findJournalRows(pool, { limit: 2, cursor: first.nextCursor ?? '' }, context);
    expect(second.rows.map((r) => r.id)).toEqual(['a']);
    expect(second.nextCursor).toBeNull();
  });

  it('filters by state, department, executor, channel, question code (or prefix), territory, period and number', async () => {
    expect(await ids({ state: 'closed' })).toEqual(['c']);
    expect(await ids({ department: 'Дорожный отдел' })).toEqual(['b']);
    expect(await ids({ executorId: 'ivanova' })).toEqual(['a']);
    expect(await ids({ channel: 'phone' })).toEqual(['b']);
    expect(await ids({ questionCode: '0001.0002.0020.0150' })).toEqual(['b']);
    expect(await ids({ questionCode: '0005.0005' })).toEqual(['c', 'a']);
    expect(await ids({ questionCode: '0005.00' })).toEqual([]);
    expect(await ids({ territory: 'п. Елань' })).toEqual(['a']);
    expect(await ids({ from: '2018-03-02', to: '2018-03-05' })).toEqual(['c', 'b']);
    expect(await ids({ to: '2018-03-04' })).toEqual(['a']);
    expect(await ids({ number: 'с/2' })).toEqual(['b']);
    expect(await ids({ number: 'С/22' })).toEqual([]);
  });

  it('refuses malformed filters naming the field', async () => {
    await expect(findJournalRows(pool, { limit: 0 }, context)).rejects.toMatchObject({ field: 'limit' });
    await expect(findJournalRows(pool, { from: '05.03.2018' }, context)).rejects.toMatchObject({
      field: 'from',
    });
    await expect(findJournalRows(pool, { questionCode: 'x' }, context)).rejects.toMatchObject({
      field: 'questionCode',
    });
    await expect(findJournalRows(pool, { cursor: 'nope' }, context)).rejects.toMatchObject({
      field: 'cursor',
    });
  });
});
