import { ProductionCalendar, addDays, compareDates } from '@appeal-ledger/appeal';
import {
  applicableReminder,
  candidateHorizon,
  reminderId,
  reminderStartDate,
  reportBackReminder,
} from './reminder.schedule';

const calendar = ProductionCalendar.shipped();

/** The reminders a daily tick issues for one due date over [from, to]: the first day each kind applies. */
function issuedDays(dueDate: string, from: string, to: string, daysBefore = 3): Record<string, string> {
  const issued: Record<string, string> = {};
  for (let day = from; compareDates(day, to) <= 0; day = addDays(day, 1)) {
    const kind = applicableReminder(dueDate, day, daysBefore, calendar);
    if (kind && !(kind in issued)) issued[kind] = day;
  }
  return issued;
}

describe('reminder schedule on the production calendar', () => {
  it('counts working days back over the May holidays and the working Saturday of 28 April 2018', () => {
    // Working days before Thu 3 May 2018: Sat 28 Apr (a working Saturday), Fri 27, Thu 26.
    // 29 Apr – 2 May are days off; overdue starts Fri 4 May.
    expect(issuedDays('2018-05-03', '2018-04-20', '2018-05-10')).toEqual({
      due_soon: '2018-04-26',
      due_today: '2018-05-03',
      overdue: '2018-05-04',
    });
  });

  it('skips 8–11 March 2018 for overdue and counts the due_soon days before them', () => {
    // Due Wed 7 March: 8 and 9 March are holidays, then a weekend: overdue on Mon 12 March.
    expect(issuedDays('2018-03-07', '2018-02-26', '2018-03-14')).toEqual({
      due_soon: '2018-03-02',
      due_today: '2018-03-07',
      overdue: '2018-03-12',
    });
    // Due Mon 12 March: three working days back are 7, 6 and 5 March.
    expect(reminderStartDate('due_soon', '2018-03-12', 3, calendar)).toBe('2018-03-05');
  });

  it('counts the working Saturday of 9 June 2018 and skips 11–12 June', () => {
    // Due Wed 13 June: working days back are Sat 9, Fri 8, Thu 7 June.
    expect(issuedDays('2018-06-13', '2018-06-01', '2018-06-20')).toEqual({
      due_soon: '2018-06-07',
      due_today: '2018-06-13',
      overdue: '2018-06-14',
    });
    // Due Sat 9 June (a working day): overdue on Wed 13 June, after the 11–12 June days off.
    expect(reminderStartDate('overdue', '2018-06-09', 3, calendar)).toBe('2018-06-13');
  });

  it('crosses the New Year holidays: due Sat 29 December 2018, overdue Wed 9 January 2019', () => {
    expect(issuedDays('2018-12-29', '2018-12-20', '2019-01-15')).toEqual({
      due_soon: '2018-12-26',
      due_today: '2018-12-29',
      overdue: '2019-01-09',
    });
  });

  it('issues only the latest applicable kind on each day, nothing between the due date and the next working day', () => {
    expect(applicableReminder('2018-05-03', '2018-04-25', 3, calendar)).toBeNull();
    expect(applicableReminder('2018-05-03', '2018-04-30', 3, calendar)).toBe('due_soon'); // a day off: catch-up
    expect(applicableReminder('2018-03-07', '2018-03-09', 3, calendar)).toBeNull(); // holiday after the due date
    expect(applicableReminder('2018-03-07', '2018-12-01', 3, calendar)).toBe('overdue'); // long overdue: only overdue
  });

  it('honours REMINDER_DAYS_BEFORE, and 0 turns due_soon off', () => {
    expect(issuedDays('2018-05-03', '2018-04-20', '2018-05-10', 1).due_soon).toBe('2018-04-28');
    expect(issuedDays('2018-05-03', '2018-04-20', '2018-05-10', 5).due_soon).toBe('2018-04-24');
    expect(issuedDays('2018-05-03', '2018-04-20', '2018-05-10', 0)).toEqual({
      due_today: '2018-05-03',
      overdue: '2018-05-04',
    });
  });

  it('bounds the candidates exactly: every due date with a reminder today lies below the horizon', () => {
    for (const daysBefore of [0, 1, 3, 5]) {
      for (let today = '2018-04-20'; compareDates(today, '2018-06-20') <= 0; today = addDays(today, 1)) {
        const horizon = candidateHorizon(today, daysBefore, calendar);
        for (
          let due = addDays(today, -3);
          compareDates(due, addDays(today, 30)) <= 0;
          due = addDays(due, 1)
        ) {
          if (compareDates(due, horizon) >= 0)
            expect({ today, due, kind: applicableReminder(due, today, daysBefore, calendar) }).toEqual({
              today,
              due,
              kind: null,
            });
        }
      }
    }
  });

  it('derives one id per appeal, kind and due date', () => {
    const id = reminderId('a-1', 'due_soon', '2018-05-03');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(reminderId('a-1', 'due_soon', '2018-05-03')).toBe(id);
    expect(
      new Set([
        id,
        reminderId('a-1', 'due_today', '2018-05-03'),
        reminderId('a-1', 'due_soon', '2018-05-04'),
        reminderId('a-2', 'due_soon', '2018-05-03'),
      ]).size,
    ).toBe(4);
  });
});

describe('report-back reminders (source.reportBackBy, issue 14)', () => {
  function reportDays(
    reportBackBy: string,
    from: string,
    to: string,
    daysBefore = 3,
  ): Record<string, string> {
    const issued: Record<string, string> = {};
    for (let day = from; compareDates(day, to) <= 0; day = addDays(day, 1)) {
      const kind = reportBackReminder(reportBackBy, day, daysBefore, calendar);
      if (kind && !(kind in issued)) issued[kind] = day;
    }
    return issued;
  }

  it('soon: the 3rd working day before the date (working days of the production calendar); overdue: the first working day after', () => {
    // Thu 3 May 2018: 29 April – 2 May are days off, Sat 28 April a working day
    expect(reportDays('2018-05-03', '2018-04-01', '2018-05-31')).toEqual({
      report_back_soon: '2018-04-26',
      report_back_overdue: '2018-05-04',
    });
  });

  it('a date on a day off stays the date asked for: soon counted back from it, overdue on the next working day', () => {
    // Sat 10 March 2018 (8–9 March are holidays too)
    expect(reportDays('2018-03-10', '2018-03-01', '2018-03-31')).toEqual({
      report_back_soon: '2018-03-05',
      report_back_overdue: '2018-03-12',
    });
    // the date itself is still "soon" (the report is due by it), never overdue
    expect(reportBackReminder('2018-03-10', '2018-03-10', 3, calendar)).toBe('report_back_soon');
    expect(reportBackReminder('2018-03-10', '2018-03-11', 3, calendar)).toBeNull();
  });

  it('only the latest applicable kind; daysBefore 0 turns soon off', () => {
    expect(reportBackReminder('2018-03-10', '2018-12-01', 3, calendar)).toBe('report_back_overdue');
    expect(reportBackReminder('2018-03-10', '2018-03-07', 0, calendar)).toBeNull();
    expect(reportBackReminder('2018-03-10', '2018-03-12', 0, calendar)).toBe('report_back_overdue');
  });
});
