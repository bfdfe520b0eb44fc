/**
 * The ССТУ read model folds the status changes itself (`sstuStateAt`) instead of running the appeal
 * machine. This property shows the two agree: on generated streams the decider accepted command by
 * command, after every event the fold of every change gives each question the machine's result and
 * measures taken, the same "extended" and "withdrawn", and the same original a duplicate is joined to.
 *
 * One difference is by design: `AnsweredWithOriginal` on a joined duplicate does not change its ССТУ
 * row. A joined duplicate is reported with its original's results, read from the original's row
 * (`sstuReportedStateAt`, docs/sstu.md), so the row keeps its own questions and its join; the machine
 * gives the questions still in work the original's outcome and ends the join. The expectation after
 * that event is therefore the machine's state just before it. A duplicate that was not joined (an
 * anonymous one off control) takes the outcome on its own row, as in the machine.
 */
import fc from 'fast-check';
import { acceptedHistory, foldHistory, testRules } from '@appeal-ledger/appeal/testing';
import type { RegisteredAppealState } from '@appeal-ledger/appeal';
import { evolveSstu, joinedTo, sstuStateAt, type SstuAppealRow } from './sstu.evolve';

const TZ = testRules.timeZone;

const ownState = (state: RegisteredAppealState) => ({
  questions: state.context.questions.map((q) => [q.code, q.result, q.measuresTaken === true]),
  extended: state.context.totalExtensionDays > 0,
  withdrawn: state.context.withdrawn,
  joinedTo: state.context.joinedTo,
});

describe('sstu.evolve agrees with the appeal machine', () => {
  it('on every generated accepted history: same results, measures, extension, withdrawal and join after every event', () => {
    fc.assert(
      fc.property(acceptedHistory, (history) => {
        let row: SstuAppealRow | undefined;
        let expected: ReturnType<typeof ownState> | undefined;
        foldHistory(history, (state, event, position) => {
          row = evolveSstu(row, { appealId: 'a-0001', position, event }, TZ);
          if (!row) throw new Error('a registered appeal has no row');
          // by design only for a joined duplicate (see above)
          if (event.type !== 'AnsweredWithOriginal' || expected?.joinedTo === undefined)
            expected = ownState(state);
          const folded = sstuStateAt(row, '9999-12-31');
          expect({
            questions: folded.questions.map((q) => [q.code, q.result, q.measuresTaken]),
            extended: folded.extended,
            withdrawn: folded.withdrawn,
            joinedTo: joinedTo(row),
          }).toEqual(expected);
        });
      }),
      { numRuns: 500 },
    );
  });
});
