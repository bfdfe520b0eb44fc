/**
 * The port's `$all` subscription over EventStoreDB's `subscribeToAll`: catch-up then live, filtered on
 * the server, pulled one event at a time, and resubscribed after a dropped connection (leader loss)
 * from the last position the consumer has seen.
 */
import {
  START,
  eventTypeFilter,
  excludeSystemEvents,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type EventStoreDBClient,
  type Filter,
  type Position,
} from '@eventstore/db-client';
import type { AllSubscription, RecordedEvent, SubscribeToAllOptions } from '../event-store.port';
import { isTransient, mapEsdbError } from './eventstoredb-errors.mapper';
import {
  exactTypesRegex,
  matchesFilter,
  toEsdbPosition,
  toRecorded,
  type StreamScope,
} from './eventstoredb-records.mapper';

export interface ResubscribePolicy {
  /** consecutive failed attempts before the iteration throws EventStoreUnavailableError */
  attempts: number;
  /** first pause before resubscribing; doubles per failed attempt */
  firstDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RESUBSCRIBE: ResubscribePolicy = { attempts: 8, firstDelayMs: 100, maxDelayMs: 5_000 };

/** Events the server may send before the consumer asks: the client stream's buffer (back-pressure beyond it). */
const READ_AHEAD = 16;

interface PendingCheckpoint {
  commit: bigint;
  /** the checkpoint counts once the consumer has taken this many events of the current server call */
  afterTaken: number;
}

export class EventStoreDbAllSubscription implements AllSubscription {
  private stopped = false;
  private started = false;
  private signalStop!: () => void;
  private readonly stopSignal = new Promise<'stop'>((resolve) => {
    this.signalStop = () => resolve('stop');
  });
  private current: AllStreamSubscription | undefined;
  /** exclusive: everything up to here was delivered or filtered out */
  private resumeAfter: bigint | undefined;
  private taken = 0;
  private checkpoints: PendingCheckpoint[] = [];

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly scope: StreamScope,
    private readonly options: SubscribeToAllOptions,
    private readonly policy: ResubscribePolicy,
    private readonly onEnd: (subscription: EventStoreDbAllSubscription) => void,
  ) {
    this.resumeAfter = options.after === undefined ? undefined : BigInt(options.after);
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.started) throw new Error('an AllSubscription is iterated once');
    this.started = true;
    return this.run();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.signalStop();
    await this.closeCurrent();
    this.onEnd(this);
  }

  private async *run(): AsyncGenerator<RecordedEvent, void, undefined> {
    let failures = 0;
    try {
      while (!this.stopped) {
        const subscription = this.open();
        const events = subscription[Symbol.asyncIterator]() as AsyncIterator<AllStreamResolvedEvent>;
        try {
          for (;;) {
            const next = await Promise.race([events.next(), this.stopSignal]);
            if (next === 'stop') return;
            // a subscription never ends by itself: an end is a dropped call
            if (next.done) throw Object.assign(new Error('subscription ended by the server'), { code: 14 });
            const record = this.take(next.value);
            if (record) {
              failures = 0;
              yield record;
            }
          }
        } catch (error) {
          if (this.stopped) return;
          if (!isTransient(error) || ++failures > this.policy.attempts) throw mapEsdbError(error);
          // nothing to await here: only a new attempt tells whether a node is reachable again
          const pause = Math.min(this.policy.firstDelayMs * 2 ** (failures - 1), this.policy.maxDelayMs);
          await this.pause(pause);
        } finally {
          await this.closeCurrent();
        }
      }
    } finally {
      if (!this.stopped) await this.stop();
    }
  }

  /** Moves the resume point past a received event, delivers it if it is the consumer's. */
  private take(resolved: AllStreamResolvedEvent): RecordedEvent | undefined {
    this.taken += 1;
    const commit = resolved.event?.position.commit ?? resolved.commitPosition;
    if (commit !== undefined) this.advance(commit);
    while (this.checkpoints.length > 0 && this.checkpoints[0].afterTaken <= this.taken) {
      this.advance(this.checkpoints.shift()!.commit);
    }
    const record = toRecorded(resolved, this.scope);
    return record && matchesFilter(this.options.filter, record.streamId, record.type) ? record : undefined;
  }

  private advance(commit: bigint): void {
    if (this.resumeAfter === undefined || commit > this.resumeAfter) this.resumeAfter = commit;
  }

  private open(): AllStreamSubscription {
    this.taken = 0;
    this.checkpoints = [];
    const checkpointReached = (subscription: AllStreamSubscription, position: Position): void => {
      // events the client has buffered but the consumer not yet taken precede this checkpoint
      const afterTaken = this.taken + subscription.readableLength;
      if (afterTaken <= this.taken) this.advance(position.commit);
      else this.checkpoints.push({ commit: position.commit, afterTaken });
    };
    const subscription = this.client.subscribeToAll(
      {
        fromPosition: this.resumeAfter === undefined ? START : toEsdbPosition(Number(this.resumeAfter)),
        filter: this.serverFilter(checkpointReached),
      },
      { highWaterMark: READ_AHEAD },
    );
    // errors are read through the iterator; this keeps an error before the first read from going unhandled
    subscription.on('error', () => undefined);
    this.current = subscription;
    return subscription;
  }

  /**
   * The narrowest filter the server can apply (the client takes one: stream prefixes or event types);
   * the rest of the port's filter is applied here. Filtered subscriptions also report checkpoints.
   */
  private serverFilter(checkpointReached: Filter['checkpointReached']): Filter {
    const prefixes = this.scope.serverPrefixes(this.options.filter);
    if (prefixes) return streamNameFilter({ prefixes, checkpointReached });
    const types = this.options.filter?.eventTypes;
    if (types && types.length > 0)
      return eventTypeFilter({ regex: exactTypesRegex(types), checkpointReached });
    return excludeSystemEvents({ checkpointReached });
  }

  private async pause(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ms);
      }),
      this.stopSignal,
    ]);
    clearTimeout(timer);
  }

  private async closeCurrent(): Promise<void> {
    const subscription = this.current;
    this.current = undefined;
    if (!subscription) return;
    await subscription.unsubscribe().catch(() => undefined);
    subscription.destroy();
  }
}
