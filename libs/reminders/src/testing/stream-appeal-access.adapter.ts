/** Test helper: appeals straight from the event store (no cache), and seeding of appeal streams. */
import { appealStreamId, isRegistered, rehydrate, type AppealEvent } from '@appeal-ledger/appeal';
import {
  StreamNotFoundError,
  deterministicEventId,
  type AppendResult,
  type EventStore,
  type JsonObject,
  type NewEvent,
} from '@appeal-ledger/event-store';
import type { AppealAccess, AppealSnapshotAt } from '../issue/reminder.issuer';

export class StreamAppealAccess implements AppealAccess {
  /** called after each load, before the caller decides (a place for a test to line up a race) */
  afterLoad: (appealId: string) => Promise<void> = () => Promise.resolve();

  constructor(private readonly store: EventStore) {}

  async load(appealId: string): Promise<AppealSnapshotAt | undefined> {
    let recorded;
    try {
      recorded = await this.store.readStream(appealStreamId(appealId));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw error;
    }
    const state = rehydrate(recorded.map((e) => ({ type: e.type, data: e.data }) as unknown as AppealEvent));
    const last = recorded[recorded.length - 1];
    await this.afterLoad(appealId);
    return isRegistered(state) ? { state, revision: last.revision, position: last.position } : undefined;
  }

  append(appealId: string, events: NewEvent[], expectedRevision: number): Promise<AppendResult> {
    return this.store.append(appealStreamId(appealId), events, expectedRevision);
  }

  forget(): void {}

  remember(): void {}
}

/** Appends domain events to an appeal's stream as the app would (metadata, deterministic ids). */
export function appendAppealEvents(
  store: EventStore,
  appealId: string,
  events: readonly AppealEvent[],
  occurredAt = '2018-03-01T10:00:00+07:00',
): Promise<AppendResult> {
  const commandId = deterministicEventId('appeal-ledger/test-seed', appealId, String(Math.random()));
  const newEvents: NewEvent[] = events.map((event, i) => ({
    id: deterministicEventId(commandId, appealId, String(i)),
    type: event.type,
    data: event.data as unknown as JsonObject,
    metadata: {
      occurredAt,
      actor: { id: 'test', name: 'test' },
      commandId,
      correlationId: commandId,
      causationId: commandId,
      schemaVersion: 1,
    },
  }));
  return store.append(appealStreamId(appealId), newEvents, 'any');
}
