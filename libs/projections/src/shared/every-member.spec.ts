import { FINAL_QUESTION_RESULTS, QUESTION_RESULTS, type QuestionResult } from '@appeal-ledger/appeal';
import { REPORTED_RESULTS } from '../statistics/summary-report.query';
import { everyMemberOf } from './every-member';

describe('everyMemberOf', () => {
  it('returns the list as given, in its order', () => {
    expect(everyMemberOf<'a' | 'b'>()(['b', 'a'])).toEqual(['b', 'a']);
  });

  it('does not compile when a member is missing (checked by tsc and ts-jest)', () => {
    // @ts-expect-error 'in_work' is missing
    const partial = everyMemberOf<QuestionResult>()([...FINAL_QUESTION_RESULTS]);
    expect(partial).toHaveLength(FINAL_QUESTION_RESULTS.length);
  });

  it("the summary's results are the domain's, in work last", () => {
    expect([...REPORTED_RESULTS].sort()).toEqual([...QUESTION_RESULTS].sort());
    expect(REPORTED_RESULTS.at(-1)).toBe('in_work');
  });
});
