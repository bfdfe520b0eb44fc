import type { AppealEvent } from '@appeal-ledger/appeal';
import {
  assigned,
  extended,
  finalAnswered,
  forwarded,
  interimAnswered,
  QUESTION_CODES,
  reassigned,
  registered,
  relatedConfirmed,
  relatedRejected,
  reminderIssued,
  removedFromControl,
  returnedForRework,
  withdrawn,
} from '@appeal-ledger/appeal/testing';
import type { AppealFactsRow } from './statistics.evolve';
import { contributions, evolveFacts } from './statistics.evolve';

const TZ = 'Asia/Novokuznetsk';

function given(...events: AppealEvent[]): AppealFactsRow | undefined {
  let row: AppealFactsRow | undefined;
  events.forEach((event, i) => {
    row = evolveFacts(row, { appealId: 'a-1', position: i + 1, event }, TZ);
  });
  return row;
}

const [COMMUNAL, ROADS] = QUESTION_CODES;

describe('statistics read model fold', () => {
  it('AppealRegistered: the reportable facts, questions in work', () => {
    expect(
      given(
        registered({
          channel: 'personal_reception',
          form: 'oral',
          source: { type: 'regional_administration' },
          repeatOf: 'a-0',
          collective: true,
          reception: { officialRole: 'deputy', onSite: false },
        }),
      ),
    ).toEqual({
      appeal_id: 'a-1',
      registered_on: '2018-03-01',
      form: 'oral',
      channel: 'personal_reception',
      kind: 'complaint',
      source_type: 'regional_administration',
      electronic_route: null,
      registered_late: false,
      repeat: true,
      repeat_of: 'a-0',
      duplicate_of: null,
      collective: true,
      anonymous: false,
      reception_role: 'deputy',
      reception_on_site: false,
      on_site_visit: false,
      questions: [
        { code: COMMUNAL, result: 'in_work', measuresTaken: false },
        { code: ROADS, result: 'in_work', measuresTaken: false },
      ],
      due_date: '2018-03-30',
      disposition: null,
      disposed_on: null,
      late: false,
      further_control: false,
      position: 1,
      answer_due: true,
      forwarded: false,
      forwarded_late: false,
      without_answer_ground: null,
      report_back_by: null,
      reported_to_source_on: null,
      reported_to_source_late: false,
      co_executed: false,
    });
  });

  it('ExecutorAssigned, ExecutorReassigned, InterimAnswerSent, AppealRemovedFromControl, DeadlineReminderIssued change no fact', () => {
    const base = given(registered());
    const after = given(
      registered(),
      assigned(),
      interimAnswered(),
      reassigned(),
      reminderIssued(),
      finalAnswered(),
      removedFromControl(),
    );
    expect(given(registered(), assigned(), interimAnswered(), reassigned(), reminderIssued())).toEqual(base);
    expect(after?.disposition).toBe('final');
  });

  it('DeadlineExtended: the due date in force', () => {
    expect(given(registered(), assigned(), extended())?.due_date).toBe('2018-04-10');
  });

  it('FinalAnswerSent: results per question code, the on-site visit, disposed with the domain’s lateness', () => {
    expect(
      given(
        registered(),
        assigned(),
        finalAnswered({ late: true, onSiteVisit: true, sentAt: '2018-04-02T10:00:00+07:00' }),
      ),
    ).toMatchObject({
      questions: [
        { code: COMMUNAL, result: 'supported', measuresTaken: true },
        { code: ROADS, result: 'explained', measuresTaken: false },
      ],
      on_site_visit: true,
      disposition: 'final',
      disposed_on: '2018-04-02',
      late: true,
    });
  });

  it('AnswerReturnedForRework: questions back in work, no longer disposed', () => {
    expect(
      given(registered(), assigned(), finalAnswered({ late: true, onSiteVisit: true }), returnedForRework()),
    ).toMatchObject({
      questions: [
        { code: COMMUNAL, result: 'in_work', measuresTaken: false },
        { code: ROADS, result: 'in_work', measuresTaken: false },
      ],
      on_site_visit: false,
      disposition: null,
      disposed_on: null,
      late: false,
    });
  });

  it('AppealForwardedByCompetence: every question forwarded; late only when sent after the due date', () => {
    expect(given(registered(), forwarded())).toMatchObject({
      disposition: 'forwarded',
      disposed_on: '2018-03-02',
      late: false,
    });
    expect(given(registered(), forwarded())?.questions.map((q) => q.result)).toEqual([
      'forwarded',
      'forwarded',
    ]);
    expect(given(registered(), forwarded({ sentAt: '2018-04-02T10:00:00+07:00' }))?.late).toBe(true);
  });

  it('AppealWithdrawn: disposed as withdrawn, late only when after the due date', () => {
    expect(given(registered(), withdrawn())).toMatchObject({
      disposition: 'withdrawn',
      disposed_on: '2018-03-03',
      late: false,
    });
    expect(
      given(registered(), assigned(), withdrawn({ withdrawnAt: '2018-03-31T10:00:00+07:00' }))?.late,
    ).toBe(true);
  });

  it('contributions: what one appeal adds to the counters of its registration month', () => {
    const facts = given(
      registered({
        channel: 'personal_reception',
        form: 'oral',
        reception: { officialRole: 'head', onSite: false },
        anonymous: true,
      }),
      assigned(),
      finalAnswered({ late: true, onSiteVisit: true }),
    );
    if (!facts) throw new Error('no facts');
    expect(Object.fromEntries(contributions(facts))).toEqual({
      appeals: 1,
      'form:oral': 1,
      'channel:personal_reception': 1,
      'source:direct': 1,
      'kind:complaint': 1,
      anonymous: 1,
      ended_late: 1,
      questions: 2,
      [`q.code:${COMMUNAL}`]: 1,
      [`q.code:${ROADS}`]: 1,
      'q.result:supported': 1,
      'q.result:explained': 1,
      'q.measures_taken': 1,
      'reception.questions:head': 2,
      'reception.on_site:head': 2,
    });
  });

  it('a confirmed duplicate counts only as a duplicate; rejecting it counts it again', () => {
    const plain = contributions(given(registered())!);
    const duplicate = given(registered(), relatedConfirmed({ relatedAppealId: 'a-0' }))!;
    expect(duplicate).toMatchObject({ duplicate_of: 'a-0', repeat: false });
    expect(Object.fromEntries(contributions(duplicate))).toEqual({ duplicates: 1 });
    const undone = given(
      registered(),
      relatedConfirmed({ relatedAppealId: 'a-0' }),
      relatedRejected({ relatedAppealId: 'a-0' }),
    )!;
    expect(contributions(undone)).toEqual(plain);
  });

  it('a confirmed repeat counts once as a repeat, and as an appeal', () => {
    const repeat = given(registered(), relatedConfirmed({ relatedAppealId: 'a-0', kind: 'repeat' }))!;
    expect(repeat).toMatchObject({ repeat: true, repeat_of: 'a-0', duplicate_of: null });
    const counts = contributions(repeat);
    expect([counts.get('appeals'), counts.get('repeat'), counts.get('duplicates')]).toEqual([
      1,
      1,
      undefined,
    ]);
    // confirming it again, or as the duplicate of the same appeal, keeps one relation
    const twice = given(
      registered(),
      relatedConfirmed({ relatedAppealId: 'a-0', kind: 'repeat' }),
      relatedConfirmed({ relatedAppealId: 'a-0', kind: 'repeat' }),
    )!;
    expect(contributions(twice)).toEqual(counts);
    const changed = given(
      registered(),
      relatedConfirmed({ relatedAppealId: 'a-0', kind: 'repeat' }),
      relatedConfirmed({ relatedAppealId: 'a-0', kind: 'duplicate' }),
    )!;
    expect(changed).toMatchObject({ repeat: false, repeat_of: null, duplicate_of: 'a-0' });
  });
});
