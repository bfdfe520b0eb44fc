/**
 * Issue 14: the head's resolution with co-executors in the control and statistics folds; streams
 * without the new events fold exactly as before.
 */
import type { AppealEvent } from '@appeal-ledger/appeal';
import {
  CO_EXECUTOR,
  assigned,
  contributionRecorded,
  finalAnswered,
  registered,
  resolutionRecorded,
} from '@appeal-ledger/appeal/testing';
import type { ControlAppealRow } from './control.evolve';
import { evolveControl } from './control.evolve';
import { toControlRow } from './control-rows.query';
import type { AppealFactsRow } from '../statistics/statistics.evolve';
import { contributions, counterKey, evolveFacts } from '../statistics/statistics.evolve';
import { testRules } from '@appeal-ledger/appeal/testing';

const TZ = 'Asia/Novokuznetsk';

function control(...events: AppealEvent[]): ControlAppealRow {
  let row: ControlAppealRow | undefined;
  events.forEach((event, i) => {
    row = evolveControl(row, { appealId: 'a-1', position: i + 1, event }, TZ).row;
  });
  if (!row) throw new Error('no row');
  return row;
}

function facts(...events: AppealEvent[]): AppealFactsRow {
  let row: AppealFactsRow | undefined;
  events.forEach((event, i) => {
    row = evolveFacts(row, { appealId: 'a-1', position: i + 1, event }, TZ);
  });
  if (!row) throw new Error('no row');
  return row;
}

const PETROV = { id: 'petrov', name: 'Петров П.П.', department: 'Правовой отдел' };

describe('control fold: co-executors (issue 14)', () => {
  it('lists the co-executors and the day each sent their part', () => {
    const before = control(registered(), assigned(), resolutionRecorded());
    expect(before.co_executors).toEqual([{ ...CO_EXECUTOR, due_date: '2018-03-20', contributed_on: null }]);
    expect(before.co_executed_on).toBe('2018-03-02');
    const after = control(registered(), assigned(), resolutionRecorded(), contributionRecorded());
    expect(after.co_executors).toEqual([
      { ...CO_EXECUTOR, due_date: '2018-03-20', contributed_on: '2018-03-15' },
    ]);
    const row = toControlRow(after, { today: '2018-03-16', calendar: testRules.calendar });
    expect(row.coExecutors).toEqual([
      { ...CO_EXECUTOR, dueDate: '2018-03-20', contributed: true, contributedAt: '2018-03-15' },
    ]);
  });

  it("a later resolution replaces them; a part without its own term shows the appeal's due date", () => {
    const row = control(
      registered(),
      assigned(),
      resolutionRecorded(),
      contributionRecorded(),
      resolutionRecorded({ decidedAt: '2018-03-16T10:00:00+07:00', coExecutors: [CO_EXECUTOR, PETROV] }),
    );
    expect(toControlRow(row, { today: '2018-03-16', calendar: testRules.calendar }).coExecutors).toEqual([
      { ...CO_EXECUTOR, dueDate: '2018-03-30', contributed: true, contributedAt: '2018-03-15' },
      { ...PETROV, dueDate: '2018-03-30', contributed: false, contributedAt: null },
    ]);
    expect(row.co_executed_on).toBe('2018-03-02');
  });

  it('without the new events the row has no co-executors', () => {
    const row = control(registered(), assigned(), finalAnswered());
    expect(row.co_executors).toEqual([]);
    expect(row.co_executed_on).toBeNull();
  });
});

describe('statistics fold: co-executed (issue 14)', () => {
  it('counts an appeal whose resolution named a co-executor, once', () => {
    const row = facts(
      registered(),
      assigned(),
      resolutionRecorded(),
      resolutionRecorded({ coExecutors: [] }),
    );
    expect(row.co_executed).toBe(true);
    expect(contributions(row).get(counterKey.coExecuted)).toBe(1);
  });

  it('a resolution without co-executors counts nothing, nor does a stream without resolutions', () => {
    expect(
      contributions(facts(registered(), resolutionRecorded({ coExecutors: [] }))).has(counterKey.coExecuted),
    ).toBe(false);
    const old = facts(registered(), assigned(), finalAnswered());
    expect(contributions(old).has(counterKey.coExecuted)).toBe(false);
    // a row stored before the column existed reads it as undefined
    const { co_executed: _dropped, ...stored } = old;
    expect(contributions(stored as AppealFactsRow)).toEqual(contributions(old));
  });
});
