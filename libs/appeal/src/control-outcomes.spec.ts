// Answer document (59-FZ art. 10 ч.4), report to the sending body, further control: given/when/then on the decider.
import { allowedActions, rehydrate } from './appeal.decider';
import { toAppealView } from './appeal.view';
import {
  assigned,
  completeMeasures,
  finalAnswered,
  furtherControlSet,
  given,
  interimAnswered,
  measuresCompleted,
  registerAppeal,
  registered,
  removeFromControl,
  removedFromControl,
  reportToSource,
  reportedToSource,
  returnedForRework,
  sendFinalAnswer,
  sendInterimAnswer,
  setFurtherControl,
} from './testing';

const DOCUMENT = {
  outgoingNumber: '01-12/777',
  outgoingDate: '2018-03-28',
  signedBy: { name: 'Кузнецов К.К.', position: 'глава района' },
  delivery: 'post' as const,
};
const FROM_PRESIDENT = {
  type: 'presidential_administration' as const,
  name: 'Администрация Президента РФ',
  reference: 'А26-02-1234',
  reportBackBy: '2018-04-02',
};

describe('answer document (art. 10 ч.4)', () => {
  it('records the outgoing number, date, signatory and delivery with the final answer', () => {
    const state = given([registered(), assigned()])
      .when(sendFinalAnswer(DOCUMENT))
      .then([finalAnswered(DOCUMENT)]);
    if (state.status === 'unregistered') throw new Error('registered');
    expect(toAppealView(state).finalAnswerDocument).toEqual(DOCUMENT);
  });

  it('records it with an interim answer too', () => {
    const doc = { ...DOCUMENT, outgoingDate: '2018-03-15', delivery: 'epgu' as const };
    given([registered(), assigned()])
      .when(sendInterimAnswer(doc))
      .then([interimAnswered(doc)]);
  });

  it('keeps answers without it valid, and an old answer folds with no document', () => {
    given([registered(), assigned()]).when(sendFinalAnswer()).then([finalAnswered()]);
    const state = rehydrate([registered(), assigned(), finalAnswered()]);
    if (state.status === 'unregistered') throw new Error('registered');
    expect(toAppealView(state).finalAnswerDocument).toBeNull();
  });

  it('refuses a partial document, naming the missing fields', () => {
    const refusal = given([registered(), assigned()])
      .when(sendFinalAnswer({ outgoingNumber: '01-12/777' }))
      .thenRefused({ reason: 'invalid' });
    if (refusal.reason !== 'invalid') throw new Error('invalid');
    expect(refusal.errors.map((e) => e.field)).toEqual(['outgoingDate', 'signedBy', 'delivery']);
  });

  it('refuses an unknown delivery, a blank signatory, and an outgoing date after the day sent', () => {
    const refusal = given([registered(), assigned()])
      .when(
        sendFinalAnswer({
          ...DOCUMENT,
          outgoingDate: '2018-03-29',
          signedBy: { name: ' ', position: 'глава' },
          delivery: 'fax' as never,
        }),
      )
      .thenRefused({ reason: 'invalid' });
    if (refusal.reason !== 'invalid') throw new Error('invalid');
    expect(refusal.errors.map((e) => e.field)).toEqual(['outgoingDate', 'signedBy.name', 'delivery']);
  });
});

describe('report to the sending body (source.reportBackBy)', () => {
  const fromPresident = registered({ source: FROM_PRESIDENT });

  it('registers the date the sending body asked for', () => {
    const decision = given([]).when(registerAppeal({ source: FROM_PRESIDENT })).decision;
    expect(
      decision.ok && decision.events[0]?.type === 'AppealRegistered' && decision.events[0].data.source,
    ).toEqual(FROM_PRESIDENT);
  });

  it('refuses reportBackBy on a direct appeal or before registration', () => {
    given([])
      .when(registerAppeal({ source: { type: 'direct', reportBackBy: '2018-04-02' } }))
      .thenRefused({ reason: 'invalid' });
    given([])
      .when(registerAppeal({ source: { ...FROM_PRESIDENT, reportBackBy: '2018-02-28' } }))
      .thenRefused({ reason: 'invalid' });
  });

  it('records the report, on time or late by its local date', () => {
    given([fromPresident, assigned(), finalAnswered()]).when(reportToSource()).then([reportedToSource()]);
    given([fromPresident, assigned()])
      .when(reportToSource({ sentAt: '2018-04-03T09:00:00+07:00' }))
      .then([reportedToSource({ sentAt: '2018-04-03T09:00:00+07:00', late: true })]);
  });

  it('is offered only while the report is owed', () => {
    expect(allowedActions(rehydrate([fromPresident]))).toContain('report_to_source');
    expect(allowedActions(rehydrate([registered()]))).not.toContain('report_to_source');
    expect(allowedActions(rehydrate([fromPresident, reportedToSource()]))).not.toContain('report_to_source');
  });

  it('refuses (409) a report nobody asked for, and a second report', () => {
    given([registered(), assigned()])
      .when(reportToSource())
      .thenRefused({ reason: 'control_conflict', conflict: 'report_back_not_requested' });
    given([fromPresident, assigned(), reportedToSource()])
      .when(reportToSource())
      .thenRefused({ reason: 'control_conflict', conflict: 'already_reported_to_source' });
  });

  it('refuses a blank reference', () => {
    given([fromPresident])
      .when(reportToSource({ reference: '' }))
      .thenRefused({ reason: 'invalid' });
  });

  it('keeps the appeal on control until the report is sent', () => {
    given([fromPresident, assigned(), finalAnswered()])
      .when(removeFromControl())
      .thenRefused({ reason: 'control_conflict', conflict: 'report_to_source_pending' });
    given([fromPresident, assigned(), finalAnswered(), reportedToSource()])
      .when(removeFromControl())
      .then([removedFromControl()]);
  });

  it('is refused as not_allowed once the appeal is closed', () => {
    given([
      registered({ source: FROM_PRESIDENT }),
      assigned(),
      finalAnswered(),
      reportedToSource(),
      removedFromControl(),
    ])
      .when(reportToSource())
      .thenRefused({ reason: 'not_allowed' });
  });
});

describe('further control until the measures are taken', () => {
  const answered = [registered(), assigned(), finalAnswered()];

  it('keeps an answered appeal on control: removal is refused until the measures are completed', () => {
    given(answered).when(setFurtherControl()).then([furtherControlSet()]);
    given([...answered, furtherControlSet()])
      .when(removeFromControl())
      .thenRefused({ reason: 'control_conflict', conflict: 'further_control_active' });
    given([...answered, furtherControlSet()])
      .when(completeMeasures())
      .then([measuresCompleted()]);
    given([...answered, furtherControlSet(), measuresCompleted()])
      .when(removeFromControl())
      .then([removedFromControl()]);
  });

  it('is shown in the summary', () => {
    const state = rehydrate([...answered, furtherControlSet(), measuresCompleted()]);
    if (state.status === 'unregistered') throw new Error('registered');
    expect(toAppealView(state).furtherControl).toEqual({
      until: '2018-06-30',
      reason: 'ремонт кровли запланирован на II квартал',
      completedAt: '2018-06-20T10:00:00+07:00',
    });
    expect(toAppealView(state).onControl).toBe(true);
  });

  it('is not allowed before the final answer (409 not_allowed)', () => {
    given([registered(), assigned()]).when(setFurtherControl()).thenRefused({ reason: 'not_allowed' });
    given([registered(), assigned()]).when(completeMeasures()).thenRefused({ reason: 'not_allowed' });
  });

  it('refuses (409) setting it twice, and completing measures without it', () => {
    given([...answered, furtherControlSet()])
      .when(setFurtherControl())
      .thenRefused({ reason: 'control_conflict', conflict: 'further_control_active' });
    given(answered)
      .when(completeMeasures())
      .thenRefused({ reason: 'control_conflict', conflict: 'no_further_control' });
    given([...answered, furtherControlSet(), measuresCompleted()])
      .when(completeMeasures())
      .thenRefused({ reason: 'control_conflict', conflict: 'no_further_control' });
  });

  it('refuses an until not after the answer day, a blank reason, measures before the answer', () => {
    given(answered)
      .when(setFurtherControl({ until: '2018-03-28' }))
      .thenRefused({ reason: 'invalid' });
    given(answered)
      .when(setFurtherControl({ reason: ' ' }))
      .thenRefused({ reason: 'invalid' });
    given([...answered, furtherControlSet()])
      .when(completeMeasures({ completedAt: '2018-03-27T10:00:00+07:00' }))
      .thenRefused({ reason: 'invalid' });
  });

  it('ends with the answer it belonged to when that answer is returned for rework', () => {
    const state = rehydrate([...answered, furtherControlSet(), returnedForRework()]);
    if (state.status === 'unregistered') throw new Error('registered');
    expect(state.context.furtherControl).toBeNull();
  });
});
