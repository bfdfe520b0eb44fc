import { ProductionCalendar } from '@appeal-ledger/appeal';
import {
  assigned,
  finalAnswered,
  IVANOVA,
  registered,
  removedFromControl,
  SIDOROV,
} from '@appeal-ledger/appeal/testing';
import { ControlProjection } from '@appeal-ledger/projections';
import { applyEvents, createReadModel, EventLog } from '../../../../../libs/projections/src/testing';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/test-database';
import { findControlBoard, windowEnd } from './control-board.query';

// Monday 2018-03-19; the reminder window is 3 working days: Tue 20 – Thu 22 (Fri 23 is the 4th).
const context = { today: '2018-03-19', windowDays: 3, calendar: ProductionCalendar.shipped() };
const appeal = (id: string, due: string) =>
  registered({
    appealId: id,
    number: `П/${id}`,
    registeredAt: '2018-02-20',
    nominalDueDate: due,
    dueDate: due,
  });

describe('control board (PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase('control_board');
    pool = new Pool({ connectionString: db.url, max: 4 });
    const projection = new ControlProjection({ timeZone: 'Asia/Novokuznetsk' });
    await createReadModel(pool, projection);
    const log = new EventLog();
    log.append('late', appeal('late', '2018-03-16'), assigned({ executor: IVANOVA, department: 'ЖКХ' }));
    log.append('today', appeal('today', '2018-03-19'), assigned({ executor: SIDOROV, department: 'Дороги' }));
    log.append('soon', appeal('soon', '2018-03-22'), assigned({ executor: IVANOVA, department: 'ЖКХ' }));
    log.append('later', appeal('later', '2018-03-23'));
    log.append(
      'answered',
      appeal('answered', '2018-03-01'),
      assigned(),
      finalAnswered({ sentAt: '2018-03-02T10:00:00+07:00' }),
    );
    log.append('closed', appeal('closed', '2018-03-01'), removedFromControl());
    await applyEvents(pool, projection, log.events);
  });

  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('ends the reminder window on the last day before the next working day', () => {
    expect(windowEnd('2018-03-19', 3, context.calendar)).toBe('2018-03-22');
    expect(windowEnd('2018-03-16', 1, context.calendar)).toBe('2018-03-19'); // Fri: Monday is 1 working day away
  });

  it('groups what is on control: overdue, due today, within the window, the rest; counts per executor', async () => {
    const board = await findControlBoard(pool, {}, context);
    const ids = (g: keyof typeof board.groups) => board.groups[g].rows.map((r) => r.id);
    expect(ids('overdue')).toEqual(['late']);
    expect(ids('today')).toEqual(['today']);
    expect(ids('soon')).toEqual(['soon']);
    expect(ids('rest')).toEqual(['answered', 'later']);
    expect(board.groups.rest.total).toBe(2);
    expect(board.counts).toEqual([
      { department: null, executor: null, onControl: 1, overdue: 0 },
      { department: 'Дороги', executor: 'Сидоров С.С.', onControl: 1, overdue: 0 },
      { department: 'ЖКХ', executor: 'Иванова А.А.', onControl: 3, overdue: 1 },
    ]);
  });

  it('filters by department, executor and state', async () => {
    const own = await findControlBoard(pool, { executorId: 'sidorov' }, context);
    expect(own.groups.today.rows.map((r) => r.id)).toEqual(['today']);
    expect(own.groups.overdue.total + own.groups.soon.total + own.groups.rest.total).toBe(0);
    const housing = await findControlBoard(pool, { department: 'ЖКХ', state: 'assigned' }, context);
    expect(housing.groups.overdue.rows.map((r) => r.id)).toEqual(['late']);
    expect(housing.groups.rest.total).toBe(0);
  });
});
