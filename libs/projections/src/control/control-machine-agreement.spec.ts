/**
 * The control read model re-derives the appeal's lifecycle state from the events (it cannot run the
 * domain's machine inside a batch projection). This property shows the two agree: on generated
 * streams that the decider accepted command by command, the control row's `state` and `on_control`
 * equal the machine's status and `onControl` after every event.
 */
import fc from 'fast-check';
import { acceptedHistory, foldHistory, testRules } from '@appeal-ledger/appeal/testing';
import { evolveControl, type ControlAppealRow } from './control.evolve';

const TZ = testRules.timeZone;

describe('control.evolve agrees with the appeal machine', () => {
  it('on every generated accepted history: same state, same on_control, after every event', () => {
    fc.assert(
      fc.property(acceptedHistory, (history) => {
        let row: ControlAppealRow | undefined;
        foldHistory(history, (state, event, position) => {
          row = evolveControl(row, { appealId: 'a-0001', position, event }, TZ).row;
          if (!row) throw new Error('a registered appeal has no row');
          expect({ state: row.state, onControl: row.on_control }).toEqual({
            state: state.status,
            onControl: state.context.onControl,
          });
        });
      }),
      { numRuns: 1000 },
    );
  });
});
