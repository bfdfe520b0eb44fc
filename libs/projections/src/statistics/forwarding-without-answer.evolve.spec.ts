/**
 * The control and statistics folds of per-question forwarding (59-FZ art. 8 ч.3), anonymous appeals
 * off control (art. 11 ч.1) and appeals left without answer (art. 11); older forwarding events fold
 * as before.
 */
import type { AppealEvent } from '@appeal-ledger/appeal';
import {
  assigned,
  finalAnswered,
  forwarded,
  leftWithoutAnswer,
  QUESTION_CODES,
  registered,
} from '@appeal-ledger/appeal/testing';
import { evolveControl, type ControlAppealRow, type ControlWrite } from '../control/control.evolve';
import { contributions, evolveFacts, type AppealFactsRow } from './statistics.evolve';

const TZ = 'Asia/Novokuznetsk';
const [Q1, Q2] = QUESTION_CODES;

function control(...events: AppealEvent[]): { row: ControlAppealRow | undefined; writes: ControlWrite[] } {
  let row: ControlAppealRow | undefined;
  const writes: ControlWrite[] = [];
  events.forEach((event, i) => {
    const change = evolveControl(row, { appealId: 'a-1', position: i + 1, event }, TZ);
    row = change.row;
    writes.push(...change.writes);
  });
  return { row, writes };
}

function facts(...events: AppealEvent[]): AppealFactsRow {
  let row: AppealFactsRow | undefined;
  events.forEach((event, i) => {
    row = evolveFacts(row, { appealId: 'a-1', position: i + 1, event }, TZ);
  });
  if (!row) throw new Error('no facts');
  return row;
}

const partLate = forwarded({
  sentAt: '2018-03-09T10:00:00+07:00',
  questionCodes: [Q2],
  forwardDueDate: '2018-03-07',
  forwardedLate: true,
});

describe('forwarding per question', () => {
  it('control: a part keeps the appeal on control, records the forwarding and the late flag', () => {
    const { row, writes } = control(registered(), assigned(), partLate);
    expect(row).toMatchObject({
      state: 'assigned',
      on_control: true,
      kept_questions: 1,
      forwarded_late: true,
      resolution_kind: null,
    });
    expect(writes.at(-1)).toEqual({
      table: 'forwardings',
      row: {
        appeal_id: 'a-1',
        position: 3,
        sent_on: '2018-03-09',
        due_date: '2018-03-07',
        late: true,
        questions: 1,
        whole: false,
      },
    });
    const rest = control(registered(), assigned(), partLate, forwarded({ questionCodes: [Q1] }));
    expect(rest.row).toMatchObject({ state: 'closed', on_control: false, kept_questions: 0 });
  });

  it('control: an older event without a list forwards the whole appeal, as before', () => {
    const { row, writes } = control(registered(), forwarded());
    expect(row).toMatchObject({
      state: 'closed',
      on_control: false,
      forwarded_late: false,
      kept_questions: 0,
    });
    expect(writes.map((w) => w.table)).toEqual(['due_dates', 'forwardings', 'resolutions']);
  });

  it('statistics: the part is forwarded, the rest stays in work; counted as forwarded and late', () => {
    const row = facts(registered(), partLate);
    expect(row).toMatchObject({ disposition: null, forwarded: true, forwarded_late: true });
    expect(row.questions.map((q) => q.result)).toEqual(['in_work', 'forwarded']);
    const counts = contributions(row);
    expect([counts.get('forwarded'), counts.get('forwarded_late'), counts.get('q.result:forwarded')]).toEqual(
      [1, 1, 1],
    );
    const answered = facts(
      registered(),
      partLate,
      assigned(),
      finalAnswered({ results: [{ questionCode: Q1, result: 'explained' }] }),
    );
    expect(answered.questions.map((q) => q.result)).toEqual(['explained', 'forwarded']);
    expect(answered.disposition).toBe('final');
  });
});

describe('anonymous appeals and appeals left without answer', () => {
  it('an anonymous appeal off control: not on the board from its registration, never open past due', () => {
    const anonymous = registered({ anonymous: true, applicants: [], onControl: false });
    expect(control(anonymous).row).toMatchObject({ on_control: false, off_control_on: '2018-03-01' });
    expect(facts(anonymous)).toMatchObject({ answer_due: false, anonymous: true });
  });

  it('left without answer: closed, off control, by ground; questions left_without_answer', () => {
    const event = leftWithoutAnswer({
      ground: 'unclear_essence',
      noticeDueDate: '2018-03-07',
      noticeLate: true,
    });
    const { row, writes } = control(registered(), assigned(), event);
    expect(row).toMatchObject({
      state: 'closed',
      on_control: false,
      off_control_on: '2018-03-05',
      without_answer_ground: 'unclear_essence',
    });
    expect(writes.at(-1)).toEqual({
      table: 'without_answers',
      row: {
        appeal_id: 'a-1',
        position: 3,
        decided_on: '2018-03-05',
        ground: 'unclear_essence',
        notice_late: true,
      },
    });
    const row2 = facts(registered(), event);
    expect(row2).toMatchObject({
      disposition: 'without_answer',
      without_answer_ground: 'unclear_essence',
      late: true,
    });
    const counts = contributions(row2);
    expect([
      counts.get('without_answer:unclear_essence'),
      counts.get('q.result:left_without_answer'),
    ]).toEqual([1, 2]);
  });
});
