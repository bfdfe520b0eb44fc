import { changesReadModel, type AppealEvent } from '@appeal-ledger/appeal';
import {
  assigned,
  documentsReceived,
  documentsRequested,
  extended,
  finalAnswered,
  forwarded,
  interimAnswered,
  IVANOVA,
  reassigned,
  registered,
  reminderIssued,
  removedFromControl,
  returnedForRework,
  SIDOROV,
  withdrawn,
} from '@appeal-ledger/appeal/testing';
import type { ControlAppealRow, ControlWrite } from './control.evolve';
import { evolveControl } from './control.evolve';

const TZ = 'Asia/Novokuznetsk';

/** given(events) → then the row and the history rows written, as the projection would store them */
function given(...events: AppealEvent[]): { row: ControlAppealRow | undefined; writes: ControlWrite[] } {
  let row: ControlAppealRow | undefined;
  const writes: ControlWrite[] = [];
  events.forEach((event, i) => {
    const change = evolveControl(row, { appealId: 'a-1', position: i + 1, event }, TZ);
    row = change.row;
    writes.push(...change.writes);
  });
  return { row, writes };
}

const registeredRow: ControlAppealRow = {
  appeal_id: 'a-1',
  number: 'П/1',
  state: 'registered',
  department: null,
  executor_id: null,
  executor_name: null,
  registered_on: '2018-03-01',
  nominal_due_date: '2018-03-31',
  due_date: '2018-03-30',
  extended: false,
  registered_late: false,
  on_control: true,
  off_control_on: null,
  interim_answers: 0,
  first_interim_on: null,
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
  position: 1,
  kept_questions: 2,
  forwarded_late: false,
  without_answer_ground: null,
  co_executors: [],
  co_executed_on: null,
  joined_to: null,
};

describe('control read model fold', () => {
  it('AppealRegistered: a row on control with the due date, and the first due-date history row', () => {
    expect(given(registered())).toEqual({
      row: registeredRow,
      writes: [
        {
          table: 'due_dates',
          row: { appeal_id: 'a-1', position: 1, effective_on: '2018-03-01', due_date: '2018-03-30' },
        },
      ],
    });
  });

  it('ExecutorAssigned: assigned, executor and department, an assignment from its local date', () => {
    const { row, writes } = given(registered(), assigned({ assignedAt: '2018-03-01T18:30:00Z' }));
    expect(row).toMatchObject({
      state: 'assigned',
      department: 'ЖКХ',
      executor_id: IVANOVA.id,
      executor_name: IVANOVA.name,
      position: 2,
    });
    // 18:30 UTC is 01:30 next day in UTC+7
    expect(writes[1]).toEqual({
      table: 'assignments',
      row: {
        appeal_id: 'a-1',
        position: 2,
        effective_on: '2018-03-02',
        department: 'ЖКХ',
        executor_id: IVANOVA.id,
        executor_name: IVANOVA.name,
      },
    });
  });

  it('ExecutorReassigned: the new executor and department, the state kept', () => {
    const { row, writes } = given(registered(), assigned(), interimAnswered(), reassigned());
    expect(row).toMatchObject({
      state: 'interim_answered',
      department: 'Дорожный отдел',
      executor_id: SIDOROV.id,
      executor_name: SIDOROV.name,
    });
    expect(writes.filter((w) => w.table === 'assignments').map((w) => w.row)).toEqual([
      expect.objectContaining({ position: 2, effective_on: '2018-03-02', department: 'ЖКХ' }),
      expect.objectContaining({ position: 4, effective_on: '2018-03-05', department: 'Дорожный отдел' }),
    ]);
  });

  it('DeadlineExtended: the new due date, extended, a due-date history row from the extension date', () => {
    const { row, writes } = given(registered(), assigned(), extended());
    expect(row).toMatchObject({
      due_date: '2018-04-10',
      nominal_due_date: '2018-04-10',
      extended: true,
      state: 'assigned',
    });
    expect(writes[writes.length - 1]).toEqual({
      table: 'due_dates',
      row: { appeal_id: 'a-1', position: 3, effective_on: '2018-03-20', due_date: '2018-04-10' },
    });
  });

  it('InterimAnswerSent: counted, the first date kept, interim_answered', () => {
    const { row, writes } = given(
      registered(),
      assigned(),
      interimAnswered(),
      interimAnswered({ sentAt: '2018-03-22T10:00:00+07:00' }),
    );
    expect(row).toMatchObject({
      state: 'interim_answered',
      interim_answers: 2,
      first_interim_on: '2018-03-15',
      on_control: true,
    });
    expect(writes.map((w) => w.table)).toEqual(['due_dates', 'assignments']);
  });

  it('FinalAnswerSent: final_answered, still on control, the answer recorded with its lateness', () => {
    const { row, writes } = given(
      registered(),
      assigned(),
      finalAnswered({ sentAt: '2018-04-02T10:00:00+07:00', late: true }),
    );
    expect(row).toMatchObject({
      state: 'final_answered',
      on_control: true,
      resolution_kind: 'final',
      resolved_on: '2018-04-02',
      late: true,
      resolution_seq: 1,
    });
    expect(writes[writes.length - 1]).toEqual({
      table: 'resolutions',
      row: {
        appeal_id: 'a-1',
        seq: 1,
        kind: 'final',
        sent_on: '2018-04-02',
        due_date: '2018-03-30',
        late: true,
        returned_on: null,
      },
    });
  });

  it('AnswerReturnedForRework: the answer no longer in force (returned date recorded), back to work', () => {
    const afterInterim = given(
      registered(),
      assigned(),
      interimAnswered(),
      finalAnswered(),
      returnedForRework(),
    );
    expect(afterInterim.row).toMatchObject({
      state: 'interim_answered',
      resolution_kind: null,
      resolved_on: null,
      late: null,
      resolution_seq: 1,
    });
    expect(afterInterim.writes[afterInterim.writes.length - 1]).toEqual({
      table: 'resolutions',
      row: {
        appeal_id: 'a-1',
        seq: 1,
        kind: 'final',
        sent_on: '2018-03-28',
        due_date: '2018-03-30',
        late: false,
        returned_on: '2018-03-29',
      },
    });
    const withoutInterim = given(
      registered(),
      assigned(),
      finalAnswered(),
      returnedForRework(),
      finalAnswered({ sentAt: '2018-03-30T09:00:00+07:00' }),
    );
    expect(withoutInterim.row).toMatchObject({
      state: 'final_answered',
      resolution_seq: 2,
      resolved_on: '2018-03-30',
    });
    expect(given(registered(), assigned(), finalAnswered(), returnedForRework()).row?.state).toBe('assigned');
  });

  it('AppealForwardedByCompetence: closed and off control on the sending date, a forwarding recorded', () => {
    const { row, writes } = given(registered(), forwarded());
    expect(row).toMatchObject({
      state: 'closed',
      on_control: false,
      off_control_on: '2018-03-02',
      resolution_kind: 'forwarded',
      late: false,
    });
    expect(writes[writes.length - 1]).toEqual({
      table: 'resolutions',
      row: {
        appeal_id: 'a-1',
        seq: 1,
        kind: 'forwarded',
        sent_on: '2018-03-02',
        due_date: '2018-03-30',
        late: false,
        returned_on: null,
      },
    });
  });

  it('AppealWithdrawn: closed and off control on the withdrawal date', () => {
    expect(given(registered(), assigned(), withdrawn()).row).toMatchObject({
      state: 'closed',
      on_control: false,
      off_control_on: '2018-03-03',
    });
  });

  it('AppealRemovedFromControl: closed, off control on the closing date, the answer kept', () => {
    expect(given(registered(), assigned(), finalAnswered(), removedFromControl()).row).toMatchObject({
      state: 'closed',
      on_control: false,
      off_control_on: '2018-03-30',
      resolved_on: '2018-03-28',
      resolution_kind: 'final',
    });
  });

  it('DeadlineReminderIssued: counted and recorded with its business date', () => {
    const { row, writes } = given(
      registered(),
      assigned(),
      reminderIssued(),
      reminderIssued({ reminderId: 'r-2', kind: 'due_today', businessDate: '2018-03-30' }),
    );
    expect(row?.reminders_issued).toBe(2);
    expect(writes.filter((w) => w.table === 'reminders').map((w) => w.row)).toEqual([
      {
        reminder_id: 'r-due-soon-2018-03-30',
        appeal_id: 'a-1',
        kind: 'due_soon',
        business_date: '2018-03-27',
        due_date: '2018-03-30',
      },
      {
        reminder_id: 'r-2',
        appeal_id: 'a-1',
        kind: 'due_today',
        business_date: '2018-03-30',
        due_date: '2018-03-30',
      },
    ]);
  });

  it('ignores events of an appeal it has not seen registered, and a repeated registration', () => {
    expect(given(assigned(), finalAnswered())).toEqual({ row: undefined, writes: [] });
    const twice = given(registered(), registered({ number: 'X/9' }));
    expect(twice.row?.number).toBe('П/1');
    expect(twice.writes).toHaveLength(1);
  });
});

describe('events the domain says control does not show (EVENT_READ_MODELS)', () => {
  it('change nothing but the position, and write nothing', () => {
    const passedBy = [documentsRequested(), documentsReceived()];
    expect(passedBy.filter((event) => changesReadModel('control', event))).toEqual([]);
    const before = given(registered(), assigned()).row;
    for (const event of passedBy) {
      const change = evolveControl(before, { appealId: 'a-1', position: 9, event }, TZ);
      expect(change).toEqual({ row: { ...before, position: 9 }, writes: [] });
    }
  });
});
