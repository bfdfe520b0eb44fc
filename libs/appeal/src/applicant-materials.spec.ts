// The applicant's additional documents and materials (59-FZ art. 5 п.1): given/when/then on the decider.
import { rehydrate } from './appeal.decider';
import { appealMachine, foldEvent, initialSnapshot } from './appeal.machine';
import { toAppealView } from './appeal.view';
import { getNextTransitions } from 'xstate';
import {
  HISTORIES,
  applicantMaterialsReceived,
  assigned,
  finalAnswered,
  forwarded,
  given,
  interimAnswered,
  recordApplicantMaterials,
  registered,
  removedFromControl,
} from './testing';

describe('RecordApplicantMaterials', () => {
  it.each([
    ['registered', HISTORIES.registered],
    ['assigned', HISTORIES.assigned],
    ['interim_answered', HISTORIES.interim_answered],
  ])('attaches the materials while the appeal is under consideration (%s)', (_state, events) => {
    given(events).when(recordApplicantMaterials()).then([applicantMaterialsReceived()]);
  });

  it('records them without a count of sheets, and again for a second delivery', () => {
    given([registered(), applicantMaterialsReceived()])
      .when(recordApplicantMaterials({ pages: undefined, description: 'ещё фотографии' }))
      .then([applicantMaterialsReceived({ pages: undefined, description: 'ещё фотографии' })]);
  });

  it('refuses them once the final answer is sent, or the appeal is closed (409 in words: what is allowed now)', () => {
    const answered = given([registered(), assigned(), finalAnswered()])
      .when(recordApplicantMaterials())
      .thenRefused({ reason: 'not_allowed', state: 'final_answered' });
    expect(answered.message).toMatch(
      /^cannot record the applicant's additional materials: appeal is `final_answered`/,
    );
    if (answered.reason !== 'not_allowed') throw new Error('not a not_allowed refusal');
    expect(answered.allowedActions).not.toContain('record_applicant_materials');
    given([registered(), assigned(), finalAnswered(), removedFromControl()])
      .when(recordApplicantMaterials())
      .thenRefused({ reason: 'not_allowed', state: 'closed', allowedActions: [] });
    given([registered(), forwarded()])
      .when(recordApplicantMaterials())
      .thenRefused({ reason: 'not_allowed', state: 'closed' });
    given([]).when(recordApplicantMaterials()).thenRefused({ reason: 'not_allowed', state: 'unregistered' });
  });

  it('refuses materials received before the registration date, an empty description, a bad count', () => {
    const refusal = given([registered()])
      .when(
        recordApplicantMaterials({ receivedAt: '2018-02-28T10:00:00+07:00', description: '  ', pages: 0 }),
      )
      .thenRefused({ reason: 'invalid' });
    if (refusal.reason !== 'invalid') throw new Error('not an invalid refusal');
    expect(refusal.errors.map((e) => e.field)).toEqual(['receivedAt', 'description', 'pages']);
    expect(refusal.errors[0]?.message).toContain('before the registration date');
    expect(refusal.errors[1]?.message).toBe('must be a non-empty string');
    expect(refusal.errors[2]?.message).toContain('from 1 to 10000');
    const fields = (command: Parameters<typeof recordApplicantMaterials>[0]): string[] => {
      const r = given([registered()])
        .when(recordApplicantMaterials(command))
        .thenRefused({ reason: 'invalid' });
      return r.reason === 'invalid' ? r.errors.map((e) => e.field) : [];
    };
    expect(fields({ receivedAt: 'вчера' })).toEqual(['receivedAt']);
    expect(fields({ pages: 2.5 })).toEqual(['pages']);
  });
});

describe('the machine', () => {
  it('accepts ApplicantMaterialsReceived under consideration only, staying in its state', () => {
    for (const [state, events] of Object.entries(HISTORIES)) {
      const snapshot = events.reduce(foldEvent, initialSnapshot());
      const types = getNextTransitions(snapshot).map((t) => String(t.eventType));
      const expected = ['registered', 'assigned', 'interim_answered'].includes(state);
      expect([state, types.includes('ApplicantMaterialsReceived')]).toEqual([state, expected]);
      if (expected) {
        const after = foldEvent(snapshot, applicantMaterialsReceived());
        expect(after.value).toBe(snapshot.value);
        expect(after.context.applicantMaterials).toEqual([
          ...snapshot.context.applicantMaterials,
          { receivedAt: '2018-03-14T10:00:00+07:00', pages: 4 },
        ]);
      }
    }
    expect(appealMachine.id).toBe('appeal');
  });
});

describe('the appeal view', () => {
  it('lists the materials in the order received, with the sheets when counted (no description)', () => {
    const state = rehydrate([
      registered(),
      applicantMaterialsReceived(),
      assigned(),
      interimAnswered(),
      applicantMaterialsReceived({ receivedAt: '2018-03-20T09:00:00+07:00', pages: undefined }),
    ]);
    if (state.status === 'unregistered') throw new Error('not registered');
    expect(toAppealView(state).applicantMaterials).toEqual([
      { receivedAt: '2018-03-14T10:00:00+07:00', pages: 4 },
      { receivedAt: '2018-03-20T09:00:00+07:00' },
    ]);
    expect(JSON.stringify(toAppealView(state))).not.toContain('фотографии');
  });

  it('folds a stream recorded before materials existed unchanged (an empty list)', () => {
    const state = rehydrate([registered(), assigned(), finalAnswered()]);
    if (state.status === 'unregistered') throw new Error('not registered');
    expect(toAppealView(state).applicantMaterials).toEqual([]);
    expect(state.status).toBe('final_answered');
  });
});
