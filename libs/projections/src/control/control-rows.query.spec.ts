import { ProductionCalendar } from '@appeal-ledger/appeal';
import { InvalidReportQueryError } from '../shared/errors';
import type { ControlAppealRow } from './control.evolve';
import { decodeControlCursor, encodeControlCursor, toControlRow } from './control-rows.query';

describe('control rows', () => {
  const calendar = ProductionCalendar.shipped();
  const row: ControlAppealRow = {
    appeal_id: 'a-1',
    number: 'П/1',
    state: 'assigned',
    department: 'ЖКХ',
    executor_id: 'ivanova',
    executor_name: 'Иванова А.А.',
    registered_on: '2018-03-01',
    nominal_due_date: '2018-03-31',
    due_date: '2018-03-30',
    extended: false,
    registered_late: false,
    on_control: true,
    off_control_on: null,
    interim_answers: 1,
    first_interim_on: '2018-03-15',
    resolution_seq: 0,
    resolution_kind: null,
    resolved_on: null,
    resolution_due_date: null,
    late: null,
    reminders_issued: 0,
    report_back_by: null,
    reported_to_source_on: null,
    further_control_on: null,
    further_control_until: null,
    measures_completed_on: null,
    position: 4,
    kept_questions: 2,
    forwarded_late: false,
    without_answer_ground: null,
    co_executors: [],
    co_executed_on: null,
    joined_to: null,
  };

  it('shows working days left (8 March is a holiday) and whether the appeal is overdue', () => {
    // (Mon 5 March, Mon 12 March]: 6, 7 and 12 work; 8 March is a holiday, 9 March 2018 a transferred day off
    expect(toControlRow({ ...row, due_date: '2018-03-12' }, { today: '2018-03-05', calendar }).daysLeft).toBe(
      3,
    );
    expect(toControlRow(row, { today: '2018-03-30', calendar })).toMatchObject({
      daysLeft: 0,
      overdue: false,
    });
    expect(toControlRow(row, { today: '2018-04-02', calendar })).toMatchObject({
      daysLeft: -1,
      overdue: true,
    });
    expect(
      toControlRow(
        { ...row, resolved_on: '2018-03-29', resolution_kind: 'final' },
        { today: '2018-04-02', calendar },
      ),
    ).toMatchObject({
      overdue: false,
      finalAnswerAt: '2018-03-29',
    });
  });

  it('has docs/api.md’s fields', () => {
    expect(toControlRow(row, { today: '2018-03-26', calendar })).toMatchObject({
      id: 'a-1',
      number: 'П/1',
      state: 'assigned',
      department: 'ЖКХ',
      executor: { id: 'ivanova', name: 'Иванова А.А.' },
      registeredAt: '2018-03-01',
      dueDate: '2018-03-30',
      daysLeft: 4,
      overdue: false,
      interimAnswers: 1,
    });
  });

  it('cursors round-trip and reject tampering', () => {
    expect(decodeControlCursor(encodeControlCursor('2018-03-30', 'a-1'))).toEqual({
      dueDate: '2018-03-30',
      id: 'a-1',
    });
    expect(() => decodeControlCursor('bogus')).toThrow(InvalidReportQueryError);
    expect(() => decodeControlCursor(Buffer.from('["2018-02-30","x"]').toString('base64url'))).toThrow(
      InvalidReportQueryError,
    );
  });
});
