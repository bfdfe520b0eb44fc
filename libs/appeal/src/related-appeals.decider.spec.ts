// The registrar's decision on a proposed repeat or duplicate (issue 15): a command and an event each way.
import { isRegistered, rehydrate, type AppealState } from './appeal.decider';
import { toAppealView } from './appeal.view';
import {
  APPEAL_ID,
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
  it('confirms a duplicate: linked to its original, not a repeat', () => {
    const state = given([registered()]).when(confirmRelatedAppeal()).then([relatedConfirmed()]);
    expect(view(state)).toMatchObject({ duplicateOf: EARLIER_APPEAL_ID, repeat: false });
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
  });
});
