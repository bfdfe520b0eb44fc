/**
 * Conversions between the port's records and `@eventstore/db-client`'s: positions, visibility of
 * streams (namespace, system streams) and the port's `$all` filter.
 */
import type { AllStreamResolvedEvent, Position, ResolvedEvent } from '@eventstore/db-client';
import type { AllFilter, EventMetadata, JsonObject, RecordedEvent } from '../event-store.port';

/**
 * The port's global position is the event's commit position in the transaction log. Every event
 * EventStoreDB writes through gRPC is its own implicit transaction, so commit == prepare and the pair
 * can be rebuilt from the one number to resume a read or a subscription.
 */
export function toPortPosition(position: Position): number {
  if (position.commit > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`commit position ${position.commit} exceeds 2^53: it cannot be a JS number`);
  }
  return Number(position.commit);
}

export function toEsdbPosition(position: number): Position {
  const p = BigInt(position);
  return { commit: p, prepare: p };
}

/**
 * Streams recording which stream first used an event id (EventStoreDB has no index by event id);
 * never the engine's. Their events' `$` type keeps them out of subscriptions filtered on the server.
 */
export const CLAIM_STREAM_PREFIX = 'event-id-claim-';
export const CLAIM_EVENT_TYPE = '$event-id-claimed';

export function claimStreamOf(eventId: string): string {
  return CLAIM_STREAM_PREFIX + eventId.toLowerCase();
}

/** Which `$all` events belong to this store: its namespace, never system streams (`$…`) nor id claims. */
export class StreamScope {
  constructor(readonly namespace: string) {}

  toEsdb(streamId: string): string {
    return this.namespace + streamId;
  }

  /** The port's stream id, or undefined when the event is not this store's. */
  fromEsdb(esdbStreamId: string): string | undefined {
    if (esdbStreamId.startsWith('$') || !esdbStreamId.startsWith(this.namespace)) return undefined;
    const streamId = esdbStreamId.slice(this.namespace.length);
    return streamId.startsWith(CLAIM_STREAM_PREFIX) ? undefined : streamId;
  }

  /** Server-side stream prefixes for a filter, or undefined to take every non-system stream. */
  serverPrefixes(filter: AllFilter | undefined): string[] | undefined {
    if (filter?.streamPrefixes?.length) return filter.streamPrefixes.map((p) => this.namespace + p);
    return this.namespace ? [this.namespace] : undefined;
  }
}

/** The port's filter, applied client-side to a stream id already inside the scope. */
export function matchesFilter(filter: AllFilter | undefined, streamId: string, type: string): boolean {
  // empty lists filter nothing, as in the PostgreSQL adapter
  if (filter?.streamPrefixes?.length && !filter.streamPrefixes.some((p) => streamId.startsWith(p)))
    return false;
  if (filter?.eventTypes?.length && !filter.eventTypes.includes(type)) return false;
  return true;
}

/** An anchored regex for exactly these event types (the server filters with .NET regexes). */
export function exactTypesRegex(types: readonly string[]): string {
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return `^(?:${types.map(escape).join('|')})$`;
}

function isJsonObject(value: unknown): value is JsonObject {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

/**
 * The port's record for a client event, or undefined when it is not this store's (outside the scope,
 * or not a JSON event with a JSON object as data: a foreign writer's).
 */
export function toRecorded(
  resolved: ResolvedEvent | AllStreamResolvedEvent,
  scope: StreamScope,
): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event) return undefined;
  const streamId = scope.fromEsdb(event.streamId);
  if (streamId === undefined || !event.isJson || !isJsonObject(event.data)) return undefined;
  const position =
    event.position ??
    (resolved.commitPosition !== undefined
      ? { commit: resolved.commitPosition, prepare: resolved.commitPosition }
      : undefined);
  if (!position) throw new Error(`event ${event.id} in ${event.streamId} came without a position`);
  return {
    id: event.id,
    streamId,
    type: event.type,
    revision: Number(event.revision),
    position: toPortPosition(position),
    data: event.data,
    // stored unchanged as JSON; the engine always writes it, so its shape is the writer's contract
    metadata: (isJsonObject(event.metadata) ? event.metadata : {}) as EventMetadata,
    recordedAt: event.created,
  };
}
