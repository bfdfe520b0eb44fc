/**
 * The generated histories of the machine-agreement properties (control, ССТУ) must reach every
 * command the domain has: a new command type fails here until the generator draws it and some
 * history records its events (or `NOT_GENERATED` says why it is left out).
 */
import fc from 'fast-check';
import type { AppealCommandType } from '../appeal.commands';
import type { AppealEventType } from '../events/appeal.events';
import { APPEAL_EVENT_TYPES } from '../events/appeal.events';
import { NOT_GENERATED, acceptedHistory, foldHistory } from './accepted-histories';
import { oneOfEachCommand } from './index';

/** The domain's command types: `oneOfEachCommand` is built from a record over `AppealCommandType`. */
const COMMAND_TYPES: readonly AppealCommandType[] = oneOfEachCommand().map((c) => c.type);

describe('accepted histories', () => {
  const recordedCommands = new Set<AppealCommandType>();
  const recordedEvents = new Set<AppealEventType>();
  const joined = { confirmedJoined: 0, unjoined: 0, answeredWithOriginal: 0, offControlAtRegistration: 0 };

  beforeAll(() => {
    for (const history of fc.sample(acceptedHistory, { numRuns: 3000, seed: 11 })) {
      let wasJoined = false;
      foldHistory(
        history,
        (state, event) => {
          recordedEvents.add(event.type);
          const isJoined = state.context.joinedTo !== undefined;
          if (isJoined && !wasJoined) joined.confirmedJoined++;
          if (!isJoined && wasJoined && event.type !== 'AnsweredWithOriginal') joined.unjoined++;
          if (event.type === 'AnsweredWithOriginal') joined.answeredWithOriginal++;
          if (event.type === 'AppealRegistered' && !state.context.onControl)
            joined.offControlAtRegistration++;
          wasJoined = isJoined;
        },
        (command, decision) => {
          if (decision.ok && decision.events.length > 0) recordedCommands.add(command.type);
        },
      );
    }
  });

  it('record events of every command type but those NOT_GENERATED lists', () => {
    const expected = COMMAND_TYPES.filter((t) => NOT_GENERATED[t] === undefined);
    expect(expected.filter((t) => !recordedCommands.has(t))).toEqual([]);
  });

  it('leave out no command type NOT_GENERATED does not need to (the list stays honest)', () => {
    const listed = Object.keys(NOT_GENERATED) as AppealCommandType[];
    expect(listed.filter((t) => recordedCommands.has(t) || !COMMAND_TYPES.includes(t))).toEqual([]);
  });

  it('record every event type', () => {
    expect(APPEAL_EVENT_TYPES.filter((t) => !recordedEvents.has(t))).toEqual([]);
  });

  it('join duplicates, unjoin them, answer them with the original, and register off control', () => {
    expect(joined.confirmedJoined).toBeGreaterThan(0);
    expect(joined.unjoined).toBeGreaterThan(0);
    expect(joined.answeredWithOriginal).toBeGreaterThan(0);
    expect(joined.offControlAtRegistration).toBeGreaterThan(0);
  });
});
