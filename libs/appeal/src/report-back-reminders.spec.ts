/**
 * Reminders of the report owed to the sending body (`source.reportBackBy`, issue 14): kinds
 * `report_back_soon` and `report_back_overdue` of `DeadlineReminderIssued`, whose `dueDate` is the
 * date the sending body asked for. Issued while the report is owed — also after the final answer —
 * and never once it is recorded; the term's reminders stop at the final answer as before.
 */
import { allowedActions, rehydrate } from './appeal.decider';
import {
  assigned,
  finalAnswered,
  given,
  IVANOVA,
  issueDeadlineReminder,
  registered,
  reminderIssued,
  reportedToSource,
} from './testing';

const SENT = {
  type: 'regional_administration' as const,
  name: 'Администрация области',
  reportBackBy: '2018-04-02',
};
const asked = () => registered({ source: SENT });
const soon = (data: Partial<Parameters<typeof issueDeadlineReminder>[0]> = {}) =>
  issueDeadlineReminder({
    reminderId: 'r-report-soon',
    kind: 'report_back_soon',
    businessDate: '2018-03-28',
    issuedAt: '2018-03-28T09:00:00+07:00',
    ...data,
  });

describe('report-back reminders', () => {
  it('issues report_back_soon up to the date asked for, with that date as its due date', () => {
    given([asked(), assigned()])
      .when(soon())
      .then([
        reminderIssued({
          reminderId: 'r-report-soon',
          kind: 'report_back_soon',
          dueDate: '2018-04-02',
          businessDate: '2018-03-28',
          issuedAt: '2018-03-28T09:00:00+07:00',
          department: 'ЖКХ',
          executor: IVANOVA,
        }),
      ]);
    // on the date itself it is still "soon"; the day after it is overdue, not soon
    given([asked()])
      .when(soon({ businessDate: '2018-04-02', issuedAt: '2018-04-02T09:00:00+07:00' }))
      .then([
        reminderIssued({
          reminderId: 'r-report-soon',
          kind: 'report_back_soon',
          dueDate: '2018-04-02',
          businessDate: '2018-04-02',
          issuedAt: '2018-04-02T09:00:00+07:00',
        }),
      ]);
    given([asked()])
      .when(soon({ businessDate: '2018-04-03', issuedAt: '2018-04-03T09:00:00+07:00' }))
      .thenRefused({ reason: 'invalid' });
  });

  it('issues report_back_overdue after the date, also to an answered appeal, once per date', () => {
    const overdue = issueDeadlineReminder({
      reminderId: 'r-report-overdue',
      kind: 'report_back_overdue',
      businessDate: '2018-04-03',
      issuedAt: '2018-04-03T09:00:00+07:00',
    });
    const issued = reminderIssued({
      reminderId: 'r-report-overdue',
      kind: 'report_back_overdue',
      dueDate: '2018-04-02',
      businessDate: '2018-04-03',
      issuedAt: '2018-04-03T09:00:00+07:00',
      department: 'ЖКХ',
      executor: IVANOVA,
    });
    given([asked(), assigned(), finalAnswered()]).when(overdue).then([issued]);
    given([asked(), assigned(), finalAnswered(), issued]).when(overdue).then([]);
    given([asked()])
      .when({
        ...overdue,
        data: { ...overdue.data, businessDate: '2018-04-02', issuedAt: '2018-04-02T09:00:00+07:00' },
      })
      .thenRefused({ reason: 'invalid' });
  });

  it('issues nothing once the report is recorded, nor when none was asked for', () => {
    given([asked(), reportedToSource()]).when(soon()).thenRefused({ reason: 'invalid' });
    given([registered()]).when(soon()).thenRefused({ reason: 'invalid' });
  });

  it("answered: the term's reminders stop; issue_reminder is offered only while a report is owed", () => {
    given([asked(), assigned(), finalAnswered()])
      .when(
        issueDeadlineReminder({
          kind: 'overdue',
          businessDate: '2018-04-02',
          issuedAt: '2018-04-02T09:00:00+07:00',
        }),
      )
      .thenRefused({ reason: 'invalid' });
    expect(allowedActions(rehydrate([asked(), assigned(), finalAnswered()]))).toContain('issue_reminder');
    expect(
      allowedActions(rehydrate([asked(), assigned(), finalAnswered(), reportedToSource()])),
    ).not.toContain('issue_reminder');
    expect(allowedActions(rehydrate([registered(), assigned(), finalAnswered()]))).not.toContain(
      'issue_reminder',
    );
  });

  it("the term's reminders before the answer are unchanged by a report owed", () => {
    given([asked()]).when(issueDeadlineReminder()).then([reminderIssued()]);
  });
});
