/** Reads recorded events as typed appeal events (the port carries them as JSON). */
import { APPEAL_EVENT_TYPES, APPEAL_STREAM_PREFIX } from './event-store';
import type { AppealEvent, AppealEventType, RecordedEvent } from './event-store';

export interface AppealEnvelope {
  appealId: string;
  position: number;
  event: AppealEvent;
}

const KNOWN = new Set<string>(APPEAL_EVENT_TYPES);
const isAppealEventType = (type: string): type is AppealEventType => KNOWN.has(type);

/** The typed appeal event, or null for events of other streams or of types this engine does not know. */
export function toAppealEnvelope(recorded: RecordedEvent): AppealEnvelope | null {
  if (!recorded.streamId.startsWith(APPEAL_STREAM_PREFIX) || !isAppealEventType(recorded.type)) return null;
  // Taken as stored: nothing upcasts here (only the command side's AppealRepository converts older
  // schema versions, and every stored version is still the current one). Data that does not match
  // the type is not repaired here: when the projection's code or the database refuses it, that is a
  // data failure and the event is quarantined (runner/projection-batch.ts).
  const event = { type: recorded.type, data: recorded.data } as unknown as AppealEvent;
  return {
    appealId: recorded.streamId.slice(APPEAL_STREAM_PREFIX.length),
    position: recorded.position,
    event,
  };
}

/** Groups typed appeal events by appeal, keeping position order inside each group. */
export function groupByAppeal(events: readonly RecordedEvent[]): Map<string, AppealEnvelope[]> {
  const groups = new Map<string, AppealEnvelope[]>();
  for (const recorded of events) {
    const envelope = toAppealEnvelope(recorded);
    if (!envelope) continue;
    const group = groups.get(envelope.appealId);
    if (group) group.push(envelope);
    else groups.set(envelope.appealId, [envelope]);
  }
  return groups;
}
