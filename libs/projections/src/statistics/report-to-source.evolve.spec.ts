/**
 * The statistics fold of the report to the sending body (`source.reportBackBy`, issue 14): reported,
 * reported late; an appeal without the request, or with it and no report, adds no such counter (the
 * still-owed figure is queried at the report date). Nothing else an appeal contributes changes.
 */
import type { AppealEvent } from '@appeal-ledger/appeal';
import { assigned, finalAnswered, registered, reportedToSource } from '@appeal-ledger/appeal/testing';
import { contributions, counterKey, evolveFacts, type AppealFactsRow } from './statistics.evolve';

const TZ = 'Asia/Novokuznetsk';
const ASKED = {
  type: 'regional_administration' as const,
  name: 'Администрация области',
  reportBackBy: '2018-04-02',
};

function facts(...events: AppealEvent[]): AppealFactsRow {
  let row: AppealFactsRow | undefined;
  events.forEach((event, i) => {
    row = evolveFacts(row, { appealId: 'a-1', position: i + 1, event }, TZ);
  });
  if (!row) throw new Error('no facts');
  return row;
}

describe('statistics: the report to the sending body', () => {
  it('records the date asked for, the report and whether it was late', () => {
    const answered = [registered({ source: ASKED }), assigned(), finalAnswered()];
    expect(facts(...answered)).toMatchObject({
      report_back_by: '2018-04-02',
      reported_to_source_on: null,
      reported_to_source_late: false,
    });
    expect(
      facts(...answered, reportedToSource({ sentAt: '2018-04-03T10:00:00+07:00', late: true })),
    ).toMatchObject({
      reported_to_source_on: '2018-04-03',
      reported_to_source_late: true,
    });
  });

  it('counts reported and reported late; without those events every counter is as before', () => {
    const base = [registered({ source: ASKED }), assigned(), finalAnswered()];
    const without = contributions(facts(...base));
    const onTime = contributions(facts(...base, reportedToSource({ late: false })));
    const late = contributions(
      facts(...base, reportedToSource({ sentAt: '2018-04-03T10:00:00+07:00', late: true })),
    );
    expect(without.has(counterKey.reportedToSource)).toBe(false);
    expect(onTime.get(counterKey.reportedToSource)).toBe(1);
    expect(onTime.has(counterKey.reportedToSourceLate)).toBe(false);
    expect(late.get(counterKey.reportedToSourceLate)).toBe(1);
    // the other counters: exactly those of the appeal without the report
    const rest = (m: Map<string, number>) =>
      [...m].filter(
        ([key]) => key !== counterKey.reportedToSource && key !== counterKey.reportedToSourceLate,
      );
    expect(rest(late)).toEqual([...without]);
    // the request alone (no report yet) counts nothing more than the same appeal without it
    const { reportBackBy: _asked, ...notAsked } = ASKED;
    expect(without).toEqual(
      contributions(facts(registered({ source: notAsked }), assigned(), finalAnswered())),
    );
  });

  it('a row folded before the report columns existed counts nothing for them', () => {
    const old = facts(registered({ source: ASKED }), assigned(), finalAnswered()) as Partial<AppealFactsRow>;
    delete old.report_back_by;
    delete old.reported_to_source_on;
    delete old.reported_to_source_late;
    expect(contributions(old as AppealFactsRow).has(counterKey.reportedToSource)).toBe(false);
  });
});
