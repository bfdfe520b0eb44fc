/**
 * The one command pipeline (in the spirit of Emmett's `CommandHandler`), framework-free: load the
 * stream's state (a cached fold or the store), check the caller's expected revision (If-Match),
 * authorise, run the command's asynchronous checks, decide, append with the expected revision, retry a lost race by policy, and remember
 * the idempotent outcome. Every writer of an aggregate's stream goes through `handle`; domain
 * refusals come back as values (`status: 'refused'`), never as exceptions, and nothing here knows
 * HTTP — mapping outcomes to responses is the caller's edge.
 */
import { randomUUID } from 'node:crypto';
import { deterministicEventId } from './deterministic-event-id.util';
import { DuplicateEventIdError, WrongExpectedRevisionError } from './event-store.errors';
import type { AppendResult, EventMetadata, ExpectedRevision, JsonObject, NewEvent } from './event-store.port';

/** A domain event as deciders produce them: a type and plain data. */
export interface DomainEvent {
  type: string;
  data: object;
}

/** A stream's folded state with the revision and global position of its last event. */
export interface LoadedStream<S> {
  state: S;
  revision: number;
  position: number;
}

/** The decider's answer: events to record (possibly none: an idempotent repeat) or a refusal value. */
export type HandlerDecision<E, R> = { ok: true; events: readonly E[] } | R;

/** A stored domain event: the one `toNewEvent`. */
export function toNewEvent(id: string, event: DomainEvent, metadata: EventMetadata): NewEvent {
  return { id, type: event.type, data: event.data as JsonObject, metadata };
}

/** Where the pipeline reads and writes one kind of stream (an app's repository with its cache). */
export interface StreamAccess<L> {
  /** a fold kept in memory, possibly behind the store; without it every attempt calls `load` */
  cached?(id: string): L | undefined;
  /** the current state (cache plus the stream's tail); undefined when the stream does not exist */
  load(id: string): Promise<L | undefined>;
  append(id: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /** drop a cached fold another writer has overtaken */
  forget(id: string): void;
  /** keep the fold computed after our own append */
  remember(id: string, loaded: L): void;
}

/** An Idempotency-Key's record: which request it came with and where the first outcome ended. */
export interface IdempotencyRecordRef {
  fingerprint: string;
  id: string;
  revision: number;
}

export interface IdempotencyPort<L> {
  find(key: string): Promise<IdempotencyRecordRef | undefined>;
  /** the state right after `revision`, to answer a repeat with the first outcome */
  loadAtRevision(id: string, revision: number): Promise<L | undefined>;
  record(key: string, fingerprint: string, id: string, loaded: L, created: boolean): Promise<void>;
  /**
   * A repeat's first outcome (`then`) as the caller is shown it now (`now`: the stream's latest
   * state) — e.g. carrying today's access facts, so what it reveals is judged on the present
   * (default: `then` unchanged).
   */
  asSeenNow?(then: L, now: L): L;
}

export type HandlerOutcome<L, R> =
  /** `written`: events were appended by this call (false for a repeat or an idempotent no-op) */
  | { status: 'done'; loaded: L; written: boolean; replayed: boolean }
  | { status: 'not_found' }
  | { status: 'refused'; refusal: R }
  | { status: 'forbidden'; message: string }
  | { status: 'precondition_failed'; expected: number; actual: number; raced: boolean }
  | { status: 'idempotency_key_reused' }
  | { status: 'contention'; attempts: number };

export interface CommandHandlerConfig<S, L extends LoadedStream<S>, E extends DomainEvent> {
  access: StreamAccess<L>;
  /** the next loaded state after our own append of `events` */
  evolve(loaded: L, events: readonly E[], result: AppendResult): L;
  /** how many lost races a command may retry */
  maxAttempts: number;
  /** namespace of the deterministic event ids (one command key → the same ids on every retry) */
  eventIdNamespace: string;
  idempotency?: IdempotencyPort<L>;
  /** If-Match: whether the caller's revision still holds on `loaded` (default: equal revisions) */
  revisionHolds?(expected: number, loaded: L): boolean;
  /** runs `work` after earlier work on the same stream in this process (an in-process mutex) */
  serialize?<T>(id: string, work: () => Promise<T>): Promise<T>;
  /** a lost race (metrics) */
  onConflict?(): void;
}

/** One command's options: everything that is not the command itself. */
export interface HandleOptions<L, C, R, E extends DomainEvent = DomainEvent> {
  /** If-Match: the revision the caller last saw */
  expectedRevision?: number;
  idempotency?: { key: string; fingerprint: string };
  /** who may do this: a refusal message, or undefined when allowed (asked before deciding) */
  authorize?(loaded: L, command: C): string | undefined;
  /**
   * Asynchronous checks before deciding: facts outside the stream the decider cannot see (e.g. that
   * another stream a command names exists). Asked after authorization and If-Match, on the state
   * about to be decided, on every attempt; a refusal value refuses the command as the decider would
   * (`status: 'refused'`), and nothing is appended.
   */
  check?(loaded: L | undefined, command: C): Promise<R | undefined>;
  /** a refusal that may come from a stale cached fold: re-read the stream and decide again */
  refusalMayBeStale?(refusal: R): boolean;
  /** metadata of the events this command records */
  metadata(commandId: string, command: C): EventMetadata;
  /** event ids (default: derived from the command key, the stream and the index) */
  eventIds?(commandId: string, count: number, command: C): string[];
  /** the command id: what event ids and metadata derive from (default: the Idempotency-Key, or a random UUID) */
  commandId?: string;
  /** the command creates the stream: decided on no state (`undefined`) when it does not exist yet */
  creates?: boolean;
  /** with `creates`: the id was just made up, so the stream cannot exist yet (no read) */
  newStream?: boolean;
  /** with `creates`: an existing stream is this very command's earlier outcome (a keyed retry) */
  existingIsRepeat?: boolean;
  /** record events here instead of `access.append` (registration: number and keys in one transaction) */
  append?(
    id: string,
    events: readonly E[],
    ids: string[],
    metadata: EventMetadata,
    expected: ExpectedRevision,
  ): Promise<AppendResult & { written: boolean; loaded?: L }>;
}

/**
 * `handle`'s decider: the command for this state, and the decision on it. `loaded` is undefined only
 * for a command that `creates` its stream, when the stream does not exist yet.
 */
export interface CommandSpec<L, C, E, R> {
  command(loaded: L | undefined): C;
  decide(command: C, loaded: L | undefined): HandlerDecision<E, R>;
}

export class CommandHandler<S, L extends LoadedStream<S>, C, E extends DomainEvent, R extends { ok: false }> {
  constructor(private readonly config: CommandHandlerConfig<S, L, E>) {}

  handle(
    id: string,
    spec: CommandSpec<L, C, E, R>,
    options: HandleOptions<L, C, R, E>,
  ): Promise<HandlerOutcome<L, R>> {
    const run = (): Promise<HandlerOutcome<L, R>> => this.run(id, spec, options);
    return this.config.serialize ? this.config.serialize(id, run) : run();
  }

  /** An Idempotency-Key seen before: its first outcome, or `idempotency_key_reused` for another request. */
  async replayed(
    options: Pick<HandleOptions<L, C, R, E>, 'idempotency'>,
  ): Promise<{ outcome: HandlerOutcome<L, R>; streamId: string } | undefined> {
    const port = this.config.idempotency;
    if (!options.idempotency || !port) return undefined;
    const record = await port.find(options.idempotency.key);
    if (!record) return undefined;
    if (record.fingerprint !== options.idempotency.fingerprint)
      return { outcome: { status: 'idempotency_key_reused' }, streamId: record.id };
    const loaded = await port.loadAtRevision(record.id, record.revision);
    if (!loaded) return { outcome: { status: 'not_found' }, streamId: record.id };
    return { outcome: { status: 'done', loaded, written: false, replayed: true }, streamId: record.id };
  }

  private async run(
    id: string,
    spec: CommandSpec<L, C, E, R>,
    options: HandleOptions<L, C, R, E>,
  ): Promise<HandlerOutcome<L, R>> {
    const { access, maxAttempts } = this.config;
    const replay = await this.replayed(options);
    // the stream the key's first outcome was written to (a registration's new stream: not `id`, which
    // a renewed key derives afresh)
    if (replay)
      return replay.outcome.status === 'done'
        ? this.authorizedReplay(replay.streamId, spec, options, replay.outcome.loaded)
        : replay.outcome;
    const expected = options.expectedRevision;
    const holds = (loaded: L): boolean =>
      expected === undefined ||
      (this.config.revisionHolds
        ? this.config.revisionHolds(expected, loaded)
        : loaded.revision === expected);
    const commandId = options.commandId ?? options.idempotency?.key ?? randomUUID();
    /** true once the state in hand was read from the store (not only the cache) */
    let fresh = false;
    /** state already read from the store for the next attempt */
    let reread: L | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      let loaded: L | undefined = reread;
      if (!loaded && options.newStream && attempt === 1) fresh = true;
      else if (!loaded) {
        const cached = fresh ? undefined : access.cached?.(id);
        loaded = cached ?? (await access.load(id));
        fresh = cached === undefined;
      }
      reread = undefined;
      // A cached fold may lag behind another instance's writes: check with the store before refusing.
      if (loaded && !holds(loaded) && !fresh) {
        loaded = await access.load(id);
        fresh = true;
      }
      const creating = !loaded && options.creates === true;
      if (loaded && options.creates && options.existingIsRepeat) {
        return this.remember(id, options, loaded, false, true);
      }
      if (!loaded && !creating) return { status: 'not_found' };
      const command = spec.command(loaded);
      // Authorization first: a refusal must not reveal the stream's revision or state to a caller
      // who may not act on it.
      const forbidden = loaded ? options.authorize?.(loaded, command) : undefined;
      if (forbidden !== undefined) {
        if (!fresh) {
          fresh = true; // refuse only on the store's latest state, never on a possibly stale cache
          continue;
        }
        return { status: 'forbidden', message: forbidden };
      }
      if (loaded && expected !== undefined && !holds(loaded)) {
        return { status: 'precondition_failed', expected, actual: loaded.revision, raced: false };
      }
      const checked = options.check ? await options.check(loaded, command) : undefined;
      if (checked !== undefined) return { status: 'refused', refusal: checked };
      const decision = spec.decide(command, loaded);
      if (!decision.ok) {
        const refusal = decision;
        if (!fresh && options.refusalMayBeStale?.(refusal)) {
          fresh = true;
          continue;
        }
        return { status: 'refused', refusal };
      }
      const events = decision.events;
      if (events.length === 0) {
        if (!loaded) throw new Error(`a command creating stream ${id} decided no events`);
        return this.remember(id, options, loaded, false);
      }
      const metadata = options.metadata(commandId, command);
      const ids =
        options.eventIds?.(commandId, events.length, command) ??
        Array.from({ length: events.length }, (_, i) =>
          deterministicEventId(this.config.eventIdNamespace, commandId, id, String(i)),
        );
      const revision: ExpectedRevision = loaded ? loaded.revision : 'no_stream';
      try {
        const result: AppendResult & { written: boolean; loaded?: L } = options.append
          ? await options.append(id, events, ids, metadata, revision)
          : {
              ...(await access.append(
                id,
                events.map((e, i) => toNewEvent(ids[i], e, metadata)),
                revision,
              )),
              written: true,
            };
        const written = result.written;
        const foldable =
          written && result.nextExpectedRevision === (loaded ? loaded.revision : -1) + events.length;
        // A keyed command another process may have stored first, a different revision, or a new stream
        // with no fold to start from: read the truth.
        if (options.idempotency || !foldable || (!loaded && !result.loaded)) {
          access.forget(id);
          const current = await access.load(id);
          if (!current) throw new Error(`stream ${id} not readable after an append`);
          return this.remember(id, options, current, written && foldable, !written);
        }
        const next = result.loaded ?? (loaded && this.config.evolve(loaded, events, result));
        if (!next) throw new Error(`stream ${id}: no state to remember after the append`);
        access.remember(id, next);
        return this.remember(id, options, next, true);
      } catch (error) {
        if (error instanceof DuplicateEventIdError) {
          // These very ids are stored already: an earlier attempt of this command went through.
          access.forget(id);
          const current = await access.load(id);
          if (!current) throw error;
          return this.remember(id, options, current, false);
        }
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        this.config.onConflict?.();
        access.forget(id);
        fresh = true;
        if (expected !== undefined) {
          // Lost to a writer the precondition tolerates (a reminder): go again on fresh state.
          const current = await access.load(id);
          if (!(current && holds(current))) {
            return { status: 'precondition_failed', expected, actual: error.actual, raced: true };
          }
          reread = current;
        }
      }
    }
    return { status: 'contention', attempts: maxAttempts };
  }

  /**
   * A keyed repeat is answered with its first outcome only if the caller may still send the command:
   * authorised on the stream's latest state as a fresh request would be (the first outcome was
   * authorised on the state of its time, and the caller may have lost the stream since). A command
   * that creates its stream is not authorised again (a fresh repeat of it is not either: `existingIsRepeat`).
   */
  private async authorizedReplay(
    id: string,
    spec: CommandSpec<L, C, E, R>,
    options: HandleOptions<L, C, R, E>,
    then: L,
  ): Promise<HandlerOutcome<L, R>> {
    const now = await this.config.access.load(id);
    if (!now) return { status: 'not_found' };
    if (!options.creates) {
      const forbidden = options.authorize?.(now, spec.command(now));
      if (forbidden !== undefined) return { status: 'forbidden', message: forbidden };
    }
    const loaded = this.config.idempotency?.asSeenNow ? this.config.idempotency.asSeenNow(then, now) : then;
    return { status: 'done', loaded, written: false, replayed: true };
  }

  private async remember(
    id: string,
    options: HandleOptions<L, C, R, E>,
    loaded: L,
    written: boolean,
    replayed = false,
  ): Promise<HandlerOutcome<L, R>> {
    if (options.idempotency && this.config.idempotency) {
      const { key, fingerprint } = options.idempotency;
      await this.config.idempotency.record(key, fingerprint, id, loaded, options.creates === true);
    }
    return { status: 'done', loaded, written, replayed };
  }
}
