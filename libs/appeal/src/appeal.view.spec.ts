// The appeal summary (docs/api.md) from state.
import { isRegistered, rehydrate } from './appeal.decider';
import { toAppealView } from './appeal.view';
import {
  IVANOVA,
  QUESTION_CODES,
  assigned,
  extended,
  finalAnswered,
  forwarded,
  registered,
  returnedForRework,
} from './testing';

const view = (events: Parameters<typeof rehydrate>[0]) => {
  const state = rehydrate(events);
  if (!isRegistered(state)) throw new Error('not registered');
  return toAppealView(state);
};

describe('toAppealView', () => {
  it('gives the summary fields of docs/api.md', () => {
    expect(view([registered(), assigned(), extended(), finalAnswered()])).toEqual({
      id: 'a-0001',
      number: 'П/1',
      state: 'final_answered',
      form: 'written',
      channel: 'written',
      kind: 'complaint',
      source: { type: 'direct' },
      receivedAt: '2018-03-01',
      registeredAt: '2018-03-01',
      registeredLate: false,
      termDays: 30,
      nominalDueDate: '2018-04-10',
      dueDate: '2018-04-10',
      extended: true,
      totalExtensionDays: 10,
      onControl: true,
      executor: IVANOVA,
      department: 'ЖКХ',
      questions: [
        { code: QUESTION_CODES[0], result: 'supported', measuresTaken: true },
        { code: QUESTION_CODES[1], result: 'explained' },
      ],
      applicants: [{ applicantId: 'p-1', name: 'Петров П.П.', address: 'п. Елань, ул. Мира, 1' }],
      repeat: false,
      answeredWithOriginal: null,
      collective: false,
      anonymous: false,
      interimAnswers: 0,
      finalAnswerSentAt: '2018-03-28T10:00:00+07:00',
      late: false,
      closedReason: null,
      pendingDocumentRequests: [],
      applicantMaterials: [],
      reportsOffence: false,
      forwardings: [],
      forwardedLate: false,
      withoutAnswerGround: null,
      finalAnswerDocument: null,
      sourceReport: null,
      furtherControl: null,
      correspondenceTermination: null,
    });
  });

  it('shows a fresh appeal without executor or answer', () => {
    expect(view([registered({ repeatOf: 'a-0000', territory: 'п. Елань' })])).toMatchObject({
      state: 'registered',
      executor: null,
      department: null,
      extended: false,
      repeat: true,
      repeatOf: 'a-0000',
      territory: 'п. Елань',
      finalAnswerSentAt: null,
      late: null,
      questions: [{ result: 'in_work' }, { result: 'in_work' }],
    });
  });

  it('clears the answer on rework and shows forwarding as closed off control', () => {
    expect(view([registered(), assigned(), finalAnswered(), returnedForRework()])).toMatchObject({
      state: 'assigned',
      late: null,
      finalAnswerSentAt: null,
    });
    expect(view([registered(), forwarded()])).toMatchObject({
      state: 'closed',
      onControl: false,
      closedReason: 'forwarded',
      questions: [{ result: 'forwarded' }, { result: 'forwarded' }],
    });
  });
});
