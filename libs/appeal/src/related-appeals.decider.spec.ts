// The registrar's decision on a proposed repeat or duplicate (issue 15): a command and an event each way.
import { isRegistered, rehydrate, type AppealState } from './appeal.decider';
import { toAppealView } from './appeal.view';
import {
  APPEAL_ID,
  answeredWithOriginal,
  issueDeadlineReminder,
  recordAnswerWithOriginal,
  EARLIER_APPEAL_ID,
  assigned,
  confirmRelatedAppeal,
  finalAnswered,
  forwarded,
  given,
  registered,
  rejectRelatedAppeal,
  relatedConfirmed,
  relatedRejected,
} from './testing';

const view = (state: AppealState) => {
  if (!isRegistered(state)) throw new Error('expected a registered appeal');
  return toAppealView(state);
};

describe('ConfirmRelatedAppeal / RejectRelatedAppeal', () => {
  it('confirms a duplicate: linked to its original, not a repeat, joined to it off control', () => {
    const state = given([registered()])
      .when(confirmRelatedAppeal())
      .then([relatedConfirmed({ joined: true })]);
    expect(view(state)).toMatchObject({
      duplicateOf: EARLIER_APPEAL_ID,
      joinedTo: EARLIER_APPEAL_ID,
      onControl: false,
      repeat: false,
    });
    expect(view(state).repeatOf).toBeUndefined();
  });

  it('confirms a repeat: repeatOf and the repeat flag', () => {
    const state = given([registered(), assigned()])
      .when(confirmRelatedAppeal({ kind: 'repeat' }))
      .then([relatedConfirmed({ kind: 'repeat' })]);
    expect(view(state)).toMatchObject({ repeat: true, repeatOf: EARLIER_APPEAL_ID });
    expect(view(state).duplicateOf).toBeUndefined();
  });

  it('confirming the same again records nothing (idempotent)', () => {
    given([registered(), relatedConfirmed()]).when(confirmRelatedAppeal()).then([]);
    given([registered(), relatedConfirmed({ kind: 'repeat' })])
      .when(confirmRelatedAppeal({ kind: 'repeat' }))
      .then([]);
  });

  it('one relation per pair: confirming the other kind replaces it', () => {
    const state = given([registered(), relatedConfirmed()])
      .when(confirmRelatedAppeal({ kind: 'repeat' }))
      .then([relatedConfirmed({ kind: 'repeat' })]);
    expect(view(state)).toMatchObject({ repeat: true, repeatOf: EARLIER_APPEAL_ID });
    expect(view(state).duplicateOf).toBeUndefined();
  });

  it('rejecting undoes a confirmed relation, and is recorded when nothing was confirmed', () => {
    const undone = given([registered(), relatedConfirmed()])
      .when(rejectRelatedAppeal())
      .then([relatedRejected()]);
    expect(view(undone).duplicateOf).toBeUndefined();
    const repeat = given([registered(), relatedConfirmed({ kind: 'repeat' })])
      .when(rejectRelatedAppeal({ kind: 'repeat' }))
      .then([relatedRejected({ kind: 'repeat' })]);
    expect(view(repeat)).toMatchObject({ repeat: false });
    given([registered()]).when(rejectRelatedAppeal()).then([relatedRejected()]);
  });

  it('a manual repeatOf from registration can be rejected', () => {
    const state = given([registered({ repeatOf: EARLIER_APPEAL_ID })])
      .when(rejectRelatedAppeal({ kind: 'repeat' }))
      .then([relatedRejected({ kind: 'repeat' })]);
    expect(view(state).repeat).toBe(false);
  });

  it('refuses bad input: itself, an unknown kind, a time before registration, a second original', () => {
    given([registered()])
      .when(confirmRelatedAppeal({ relatedAppealId: APPEAL_ID }))
      .thenRefused({ reason: 'invalid' });
    given([registered()])
      .when(confirmRelatedAppeal({ kind: 'copy' as never }))
      .thenRefused({ reason: 'invalid', errors: [{ field: 'kind', message: expect.any(String) as string }] });
    given([registered()])
      .when(confirmRelatedAppeal({ decidedAt: '2017-01-01T10:00:00+07:00' }))
      .thenRefused({ reason: 'invalid' });
    given([registered(), relatedConfirmed()])
      .when(confirmRelatedAppeal({ relatedAppealId: 'a-0099' }))
      .thenRefused({ reason: 'invalid' });
  });

  it('is allowed until the appeal is closed, and after a final answer', () => {
    given([registered(), assigned(), finalAnswered()])
      .when(confirmRelatedAppeal())
      .then([relatedConfirmed()]);
    given([registered(), forwarded()]).when(confirmRelatedAppeal()).thenRefused({ reason: 'not_allowed' });
  });

  it('old streams fold unchanged', () => {
    expect(view(rehydrate([registered()]))).not.toHaveProperty('duplicateOf');
    // a duplicate confirmed before decision 0008 (no `joined`) stayed on control
    expect(view(rehydrate([registered(), relatedConfirmed()]))).toMatchObject({
      duplicateOf: EARLIER_APPEAL_ID,
      onControl: true,
    });
    expect(view(rehydrate([registered(), relatedConfirmed()]))).not.toHaveProperty('joinedTo');
  });
});

describe('a duplicate answered with its original (decision 0008)', () => {
  it('rejecting (or confirming a repeat instead) puts a joined duplicate back on control', () => {
    const rejected = rehydrate([registered(), relatedConfirmed({ joined: true }), relatedRejected()]);
    expect(view(rejected)).toMatchObject({ onControl: true });
    expect(view(rejected)).not.toHaveProperty('joinedTo');
    const repeat = rehydrate([
      registered(),
      relatedConfirmed({ joined: true }),
      relatedConfirmed({ kind: 'repeat' }),
    ]);
    expect(view(repeat)).toMatchObject({ onControl: true, repeat: true });
  });

  it('an answered or anonymous duplicate is not joined', () => {
    given([registered(), assigned(), finalAnswered()])
      .when(confirmRelatedAppeal())
      .then([relatedConfirmed()]);
  });

  it('a joined duplicate gets no reminders', () => {
    given([registered(), relatedConfirmed({ joined: true })])
      .when(issueDeadlineReminder())
      .then([]);
  });

  it('is answered with its original: closed, with the answer’s date and outgoing number', () => {
    const state = given([registered(), assigned(), relatedConfirmed({ joined: true })])
      .when(recordAnswerWithOriginal())
      .then([answeredWithOriginal()]);
    expect(state.status).toBe('closed');
    expect(view(state)).toMatchObject({
      onControl: false,
      closedReason: 'answered_with_original',
      duplicateOf: EARLIER_APPEAL_ID,
      answeredWithOriginal: {
        originalAppealId: EARLIER_APPEAL_ID,
        originalNumber: 'Ф/1',
        outcome: 'answered',
        answer: {
          sentAt: '2018-03-20T10:00:00+07:00',
          outgoingNumber: '01-12/345',
          outgoingDate: '2018-03-20',
        },
      },
    });
    expect(view(state)).not.toHaveProperty('joinedTo');
    expect(view(state).questions.every((q) => q.result === 'answered')).toBe(true);
    // recorded once: a closed appeal records nothing more
    given([registered(), relatedConfirmed({ joined: true }), answeredWithOriginal()])
      .when(recordAnswerWithOriginal())
      .thenRefused({ reason: 'not_allowed' });
  });

  it('an old-style confirmed duplicate (on control) is answered with its original too', () => {
    const state = given([registered(), relatedConfirmed()])
      .when(recordAnswerWithOriginal({ outcome: 'forwarded', answer: undefined }))
      .then([answeredWithOriginal({ outcome: 'forwarded', answer: undefined })]);
    expect(view(state).questions.every((q) => q.result === 'forwarded')).toBe(true);
  });

  it('refuses an appeal that is not a confirmed duplicate of that original, or an answered one', () => {
    given([registered()]).when(recordAnswerWithOriginal()).thenRefused({ reason: 'invalid' });
    given([registered(), relatedConfirmed({ joined: true })])
      .when(recordAnswerWithOriginal({ originalAppealId: 'a-0099' }))
      .thenRefused({ reason: 'invalid' });
    given([registered(), relatedConfirmed({ joined: true }), relatedRejected()])
      .when(recordAnswerWithOriginal())
      .thenRefused({ reason: 'invalid' });
    given([registered(), assigned(), finalAnswered(), relatedConfirmed()])
      .when(recordAnswerWithOriginal())
      .thenRefused({ reason: 'not_allowed' });
  });
});
