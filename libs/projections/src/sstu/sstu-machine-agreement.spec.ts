/**
 * The ССТУ read model folds the status changes itself (`sstuStateAt`) instead of running the appeal
 * machine. This property shows the two agree: on generated streams the decider accepted command by
 * command, after every event the fold of every change gives each question the machine's result and
 * measures taken, and the same "extended" and "withdrawn".
 */
import fc from 'fast-check';
import { acceptedHistory, foldHistory, testRules } from '@appeal-ledger/appeal/testing';
import { evolveSstu, sstuStateAt, type SstuAppealRow } from './sstu.evolve';

const TZ = testRules.timeZone;

describe('sstu.evolve agrees with the appeal machine', () => {
  it('on every generated accepted history: same results, measures, extension and withdrawal after every event', () => {
    fc.assert(
      fc.property(acceptedHistory, (history) => {
        let row: SstuAppealRow | undefined;
        foldHistory(history, (state, event, position) => {
          row = evolveSstu(row, { appealId: 'a-0001', position, event }, TZ);
          if (!row) throw new Error('a registered appeal has no row');
          const folded = sstuStateAt(row, '9999-12-31');
          expect({
            questions: folded.questions.map((q) => [q.code, q.result, q.measuresTaken]),
            extended: folded.extended,
            withdrawn: folded.withdrawn,
          }).toEqual({
            questions: state.context.questions.map((q) => [q.code, q.result, q.measuresTaken === true]),
            extended: state.context.totalExtensionDays > 0,
            withdrawn: state.context.withdrawn,
          });
        });
      }),
      { numRuns: 500 },
    );
  });
});
