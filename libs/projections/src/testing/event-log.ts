/** Test helper: appeal events as the store would record them (streams, revisions, global positions). */
import type { AppealEvent } from '@appeal-ledger/appeal';
import { appealStreamId } from '@appeal-ledger/appeal';
import type { EventMetadata, EventStore, JsonObject, RecordedEvent } from '@appeal-ledger/event-store';

export class EventLog {
  private position = 0;
  private readonly revisions = new Map<string, number>();
  readonly events: RecordedEvent[] = [];

  constructor(firstPosition = 1) {
    this.position = firstPosition - 1;
  }

  /** Records events of one appeal; returns them. */
  append(appealId: string, ...events: AppealEvent[]): RecordedEvent[] {
    const streamId = appealStreamId(appealId);
    return events.map((event) => {
      const revision = (this.revisions.get(streamId) ?? -1) + 1;
      this.revisions.set(streamId, revision);
      this.position += 1;
      const recorded: RecordedEvent = {
        id: `00000000-0000-4000-8000-${String(this.position).padStart(12, '0')}`,
        streamId,
        type: event.type,
        revision,
        position: this.position,
        data: event.data as unknown as JsonObject,
        metadata: testMetadata(),
        recordedAt: new Date(0),
      };
      this.events.push(recorded);
      return recorded;
    });
  }

  get head(): number {
    return this.position;
  }
}

export function testMetadata(occurredAt = '2018-03-01T10:00:00+07:00'): EventMetadata {
  return {
    occurredAt,
    actor: { id: 'test', name: 'Тест' },
    commandId: 'c',
    correlationId: 'c',
    causationId: 'c',
    schemaVersion: 1,
  };
}

/** `count` events of one stream `s` at positions 1…count (revision = position − 1), typed by `typeOf(i)`. */
export function numberedEvents(count: number, typeOf: (i: number) => string = () => 'T'): RecordedEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `e${i + 1}`,
    streamId: 's',
    type: typeOf(i),
    revision: i,
    position: i + 1,
    data: {},
    metadata: testMetadata(),
    recordedAt: new Date(0),
  }));
}

/** A store that answers only `readAll` (as given) and `headPosition`; anything else throws. */
export function readAllOnlyStore(head: number, readAll: EventStore['readAll']): EventStore {
  const unused = (): never => {
    throw new Error('not used');
  };
  return {
    append: unused,
    readStream: unused,
    readEvent: unused,
    headPosition: () => Promise.resolve(head),
    subscribeToAll: unused,
    close: () => Promise.resolve(),
    readAll,
  };
}
