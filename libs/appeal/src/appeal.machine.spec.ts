// The machine on its own: folding facts with the pure transition(), state by state.
import fc from 'fast-check';
import { getNextTransitions, initialTransition, transition } from 'xstate';
import { APPEAL_EVENT_TYPES, type AppealEvent } from './events/appeal.events';
import {
  APPEAL_STATUSES,
  accepts,
  appealMachine,
  foldEvent,
  initialSnapshot,
  machineStateOf,
  type AppealSnapshot,
} from './appeal.machine';
import {
  assigned,
  extended,
  finalAnswered,
  forwarded,
  interimAnswered,
  reassigned,
  registered,
  reminderIssued,
  removedFromControl,
  returnedForRework,
  withdrawn,
} from './testing';
import { acceptedHistory, foldHistory } from './testing/accepted-histories';

const fold = (events: AppealEvent[]): AppealSnapshot => events.reduce(foldEvent, initialSnapshot());

describe('appealMachine', () => {
  it('starts unregistered and registers on AppealRegistered, under control', () => {
    const [start, actions] = initialTransition(appealMachine);
    expect(start.value).toBe('unregistered');
    expect(actions).toEqual([]);
    const [next] = transition(appealMachine, start, registered());
    expect(next.value).toBe('registered');
    expect(next.context).toMatchObject({
      number: 'П/1',
      dueDate: '2018-03-30',
      onControl: true,
      questions: [{ result: 'in_work' }, { result: 'in_work' }],
    });
  });

  it.each<[string, AppealEvent[], string]>([
    ['registered → assigned', [registered(), assigned()], 'assigned'],
    ['assigned → assigned (reassigned)', [registered(), assigned(), reassigned()], 'assigned'],
    [
      'interim_answered → interim_answered (reassigned)',
      [registered(), assigned(), interimAnswered(), reassigned()],
      'interim_answered',
    ],
    ['registered → registered (extended)', [registered(), extended()], 'registered'],
    ['assigned → assigned (extended)', [registered(), assigned(), extended()], 'assigned'],
    [
      'interim_answered → interim_answered (extended)',
      [registered(), assigned(), interimAnswered(), extended()],
      'interim_answered',
    ],
    ['registered → registered (reminder)', [registered(), reminderIssued()], 'registered'],
    ['assigned → assigned (reminder)', [registered(), assigned(), reminderIssued()], 'assigned'],
    [
      'interim_answered → interim_answered (reminder)',
      [registered(), assigned(), interimAnswered(), reminderIssued()],
      'interim_answered',
    ],
    ['registered → closed (forwarded)', [registered(), forwarded()], 'closed'],
    ['assigned → closed (forwarded)', [registered(), assigned(), forwarded()], 'closed'],
    [
      'interim_answered → closed (forwarded)',
      [registered(), assigned(), interimAnswered(), forwarded()],
      'closed',
    ],
    ['registered → closed (withdrawn)', [registered(), withdrawn()], 'closed'],
    ['assigned → closed (withdrawn)', [registered(), assigned(), withdrawn()], 'closed'],
    [
      'interim_answered → closed (withdrawn)',
      [registered(), assigned(), interimAnswered(), withdrawn()],
      'closed',
    ],
    ['assigned → interim_answered', [registered(), assigned(), interimAnswered()], 'interim_answered'],
    [
      'interim_answered → interim_answered (another interim)',
      [registered(), assigned(), interimAnswered(), interimAnswered()],
      'interim_answered',
    ],
    ['assigned → final_answered', [registered(), assigned(), finalAnswered()], 'final_answered'],
    [
      'interim_answered → final_answered',
      [registered(), assigned(), interimAnswered(), finalAnswered()],
      'final_answered',
    ],
    [
      'final_answered → assigned (rework, no interim)',
      [registered(), assigned(), finalAnswered(), returnedForRework()],
      'assigned',
    ],
    [
      'final_answered → interim_answered (rework after interim)',
      [registered(), assigned(), interimAnswered(), finalAnswered(), returnedForRework()],
      'interim_answered',
    ],
    [
      'final_answered → closed (removed from control)',
      [registered(), assigned(), finalAnswered(), removedFromControl()],
      'closed',
    ],
  ])('%s', (_name, events, expected) => {
    expect(machineStateOf(fold(events))).toBe(expected);
  });

  it('folds the context decisions need', () => {
    const s = fold([
      registered(),
      assigned(),
      interimAnswered(),
      extended(),
      reminderIssued(),
      reassigned(),
      finalAnswered(),
    ]);
    expect(s.context).toMatchObject({
      executor: { id: 'sidorov' },
      department: 'Дорожный отдел',
      interimAnswers: 1,
      nominalDueDate: '2018-04-10',
      dueDate: '2018-04-10',
      totalExtensionDays: 10,
      reminders: [{ kind: 'due_soon', dueDate: '2018-03-30' }],
      finalAnswer: { late: false },
      questions: [{ result: 'supported', measuresTaken: true }, { result: 'explained' }],
      onControl: true,
    });
  });

  it('is final once closed: later events change nothing', () => {
    const closed = fold([registered(), withdrawn()]);
    expect(closed.status).toBe('done');
    expect(getNextTransitions(closed)).toEqual([]);
    expect(foldEvent(closed, assigned())).toBe(closed);
  });

  it('ignores an event its state does not accept (leaves the snapshot as it was)', () => {
    const s = fold([registered()]);
    expect(accepts(s, 'FinalAnswerSent')).toBe(false);
    expect(foldEvent(s, finalAnswered()).value).toBe('registered');
    expect(foldEvent(initialSnapshot(), assigned()).value).toBe('unregistered');
  });

  it('returns no actions to execute: folding is free of side effects', () => {
    let s = initialSnapshot();
    for (const e of [registered(), assigned(), finalAnswered(), removedFromControl()]) {
      const [next, actions] = transition(appealMachine, s, e);
      expect(actions).toEqual([]);
      s = next;
    }
  });

  describe('the fold (one shared inert scope, one initial snapshot)', () => {
    it("gives exactly the snapshots of XState's own transition() over generated histories", () => {
      for (const history of fc.sample(acceptedHistory, { numRuns: 300, seed: 16 })) {
        let ours = initialSnapshot();
        let theirs = initialTransition(appealMachine)[0];
        foldHistory(history, (_state, event) => {
          ours = foldEvent(ours, event);
          theirs = transition(appealMachine, theirs, event)[0];
          expect(ours.value).toEqual(theirs.value);
          expect(ours.status).toBe(theirs.status);
          expect(ours.context).toEqual(theirs.context);
        });
      }
    });

    it("builds no actor per event: the machine's initial snapshot is not recomputed by a fold", () => {
      const start = initialSnapshot();
      const built = jest.spyOn(appealMachine, 'getInitialSnapshot');
      try {
        const s = [registered(), assigned(), interimAnswered(), finalAnswered(), removedFromControl()].reduce(
          foldEvent,
          start,
        );
        expect(machineStateOf(s)).toBe('closed');
        expect(initialSnapshot()).toBe(start);
        expect(built).not.toHaveBeenCalled();
      } finally {
        built.mockRestore();
      }
    });

    it('leaves the shared starting snapshot as it was', () => {
      const before = structuredClone(initialSnapshot().context);
      fold([registered(), assigned(), extended(), finalAnswered()]);
      expect(initialSnapshot().context).toEqual(before);
      expect(initialSnapshot().value).toBe('unregistered');
    });
  });

  describe('introspection (what `accepts` and `allowedActions` rely on)', () => {
    const nodes = Object.values(appealMachine.root.states);

    it('has exactly the statuses of APPEAL_STATUSES plus `unregistered` as states', () => {
      expect(nodes.map((n) => n.key).sort()).toEqual(['unregistered', ...APPEAL_STATUSES].sort());
    });

    it('accepts every event type in some state (a new event type without a transition fails here)', () => {
      const handled = new Set(nodes.flatMap((n) => [...n.transitions.keys()]));
      expect(APPEAL_EVENT_TYPES.filter((type) => !handled.has(type))).toEqual([]);
    });

    it('uses guards only to choose a target: every guarded transition has an unguarded fallback', () => {
      for (const node of nodes) {
        for (const [type, transitions] of node.transitions) {
          expect({ state: node.key, type, lastGuarded: transitions.at(-1)?.guard !== undefined }).toEqual({
            state: node.key,
            type,
            lastGuarded: false,
          });
        }
      }
    });
  });
});
