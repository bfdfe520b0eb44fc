/**
 * Loads and saves appeals as event streams. Keeps a bounded cache of folded states keyed by stream
 * revision, so a command reads only the events it has not folded yet (rehydrating through XState
 * costs tens of microseconds per event) — and with a warm cache, no read at all: the append's
 * expected revision catches any writer we did not see.
 */
import { Inject, Injectable } from '@nestjs/common';
import {
  appealStreamId,
  evolve,
  initialState,
  isRegistered,
  type AppealEvent,
  type AppealState,
  type RegisteredAppealState,
} from '@appeal-ledger/appeal';
import {
  EVENT_STORE,
  StreamNotFoundError,
  type AppendResult,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '@appeal-ledger/event-store';
import type { AppealAccessFacts } from '../access/access-policy';
import { hasFreeText, mapFreeText, SEALED_TEXT_SCHEMA_VERSION } from '../personal-data/free-text';
import { PersonalDataVault, type SealedApplicant } from '../personal-data/personal-data.vault';
import { LruCache } from '../shared/lru-cache';

export const EVENT_SCHEMA_VERSION = 1;

export interface LoadedAppeal {
  state: RegisteredAppealState;
  revision: number;
  /** revision of the last event that is not a deadline reminder (what If-Match is compared with) */
  lastUserRevision: number;
  /** global position of the stream's last event */
  position: number;
  /** the applicants as stored (sealed): opened only for callers allowed to see them */
  sealedApplicants: SealedApplicant[];
  /** for a past state (?asOf=): the assignment now, which decides who may read it (docs/access.md) */
  current?: AppealAccessFacts;
}

/** A stored event turned back into a domain event: applicants reach the domain without personal data. */
export function toDomainEvent(recorded: RecordedEvent): AppealEvent {
  const event = upcast(recorded);
  if (event.type === 'AppealRegistered') {
    const sealed = event.data.applicants as unknown as SealedApplicant[];
    return {
      ...event,
      data: { ...event.data, applicants: sealed.map((a) => ({ applicantId: a.applicantId })) },
    };
  }
  return event;
}

/**
 * Stored events are never edited; a schema change adds a version here and converts on read. Version
 * 2 has the same shape with its free-text fields sealed (personal-data/free-text.ts): the domain
 * carries them unopened, as it carries applicants by id.
 */
function upcast(recorded: RecordedEvent): AppealEvent {
  const version = recorded.metadata.schemaVersion;
  if (version !== EVENT_SCHEMA_VERSION && version !== SEALED_TEXT_SCHEMA_VERSION) {
    throw new Error(`event ${recorded.id} (${recorded.type}) has unknown schema version ${String(version)}`);
  }
  return { type: recorded.type, data: recorded.data } as unknown as AppealEvent;
}

export function sealedApplicantsOf(recorded: RecordedEvent): SealedApplicant[] {
  return recorded.type === 'AppealRegistered'
    ? (recorded.data.applicants as unknown as SealedApplicant[])
    : [];
}

export const APPEAL_CACHE_SIZE = Symbol('APPEAL_CACHE_SIZE');

@Injectable()
export class AppealRepository {
  private readonly cache: LruCache<LoadedAppeal>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APPEAL_CACHE_SIZE) cacheSize: number,
    private readonly vault: PersonalDataVault,
  ) {
    this.cache = new LruCache(cacheSize);
  }

  /** The cached state, without asking the store (commands rely on the append's revision check). */
  cached(appealId: string): LoadedAppeal | undefined {
    return this.cache.get(appealId);
  }

  forget(appealId: string): void {
    this.cache.delete(appealId);
  }

  /** The current state: the cached fold plus whatever the stream holds after it. */
  async load(appealId: string): Promise<LoadedAppeal | undefined> {
    const cached = this.cache.get(appealId);
    let events: RecordedEvent[];
    try {
      events = await this.store.readStream(appealStreamId(appealId), {
        fromRevision: cached ? cached.revision + 1 : 0,
      });
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw error;
    }
    if (events.length === 0) return cached;
    const loaded = this.fold(cached, events);
    if (loaded) this.cache.set(appealId, loaded);
    return loaded;
  }

  /**
   * The current states of several appeals in one round trip (when the store can): each cached fold
   * plus whatever its stream holds after it. Appeals not stored are absent.
   */
  async loadMany(appealIds: readonly string[]): Promise<Map<string, LoadedAppeal>> {
    const out = new Map<string, LoadedAppeal>();
    if (!this.store.readStreams) {
      for (const [id, loaded] of await Promise.all(
        appealIds.map(async (id) => [id, await this.load(id)] as const),
      ))
        if (loaded) out.set(id, loaded);
      return out;
    }
    const cached = appealIds.map((id) => this.cache.get(id));
    const streams = await this.store.readStreams(
      appealIds.map(appealStreamId),
      cached.map((c) => (c ? c.revision + 1 : 0)),
    );
    appealIds.forEach((appealId, i) => {
      const events = streams.get(appealStreamId(appealId)) ?? [];
      const loaded = events.length > 0 ? this.fold(cached[i], events) : cached[i];
      if (!loaded) return;
      if (events.length > 0) this.cache.set(appealId, loaded);
      out.set(appealId, loaded);
    });
    return out;
  }

  /**
   * Reads many appeals in one round trip (when the store can) and caches their current folds; returns
   * the ids now fresh in the cache. Used before a batch of work on many appeals (a reminder pass).
   */
  async warm(appealIds: string[]): Promise<Set<string>> {
    const fresh = new Set<string>();
    if (!this.store.readStreams || appealIds.length === 0) return fresh;
    const streams = await this.store.readStreams(appealIds.map(appealStreamId));
    for (const appealId of appealIds) {
      const events = streams.get(appealStreamId(appealId));
      const loaded = events ? this.fold(undefined, events) : undefined;
      if (!loaded) continue;
      this.cache.set(appealId, loaded);
      fresh.add(appealId);
    }
    return fresh;
  }

  /** The state as it was at `asOfMs` in business time: events whose occurredAt is not later. */
  async loadAsOf(appealId: string, asOfMs: number): Promise<LoadedAppeal | undefined> {
    const events = await this.readAll(appealId);
    if (!events) return undefined;
    return this.fold(
      undefined,
      events.filter((e) => Date.parse(e.metadata.occurredAt) <= asOfMs),
    );
  }

  /** The state right after `revision` (to re-render an idempotent command's first response). */
  async loadAtRevision(appealId: string, revision: number): Promise<LoadedAppeal | undefined> {
    const events = await this.readAll(appealId);
    return events
      ? this.fold(
          undefined,
          events.filter((e) => e.revision <= revision),
        )
      : undefined;
  }

  async history(appealId: string): Promise<RecordedEvent[] | undefined> {
    return this.readAll(appealId);
  }

  /** Appends, with every free-text field sealed under the appeal's key (schema version 2). */
  async append(appealId: string, events: NewEvent[], expected: number | 'no_stream'): Promise<AppendResult> {
    return this.store.append(appealStreamId(appealId), await this.sealFreeText(appealId, events), expected);
  }

  private async sealFreeText(appealId: string, events: NewEvent[]): Promise<NewEvent[]> {
    if (!events.some((e) => hasFreeText(e.type))) return events;
    return Promise.all(
      events.map(async (e) => {
        if (!hasFreeText(e.type)) return e;
        const data = await mapFreeText(e.type, e.data, (texts) => this.vault.sealTexts(appealId, texts));
        return { ...e, data, metadata: { ...e.metadata, schemaVersion: SEALED_TEXT_SCHEMA_VERSION } };
      }),
    );
  }

  /** Records a fold we computed ourselves after a successful append. */
  remember(appealId: string, loaded: LoadedAppeal): void {
    this.cache.set(appealId, loaded);
  }

  /** When the appeal's stream recorded the event with this id, or undefined when it holds none. */
  async recordedAtOf(appealId: string, eventId: string): Promise<Date | undefined> {
    return (await this.store.readEvent(appealStreamId(appealId), eventId))?.recordedAt;
  }

  private async readAll(appealId: string): Promise<RecordedEvent[] | undefined> {
    try {
      return await this.store.readStream(appealStreamId(appealId));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw error;
    }
  }

  private fold(from: LoadedAppeal | undefined, events: RecordedEvent[]): LoadedAppeal | undefined {
    let state: AppealState = from?.state ?? initialState();
    let sealed = from?.sealedApplicants ?? [];
    let revision = from?.revision ?? -1;
    let lastUserRevision = from?.lastUserRevision ?? -1;
    let position = from?.position ?? 0;
    for (const recorded of events) {
      state = evolve(state, toDomainEvent(recorded));
      if (recorded.type === 'AppealRegistered') sealed = sealedApplicantsOf(recorded);
      if (recorded.type !== 'DeadlineReminderIssued') lastUserRevision = recorded.revision;
      revision = recorded.revision;
      position = recorded.position;
    }
    return isRegistered(state)
      ? { state, revision, lastUserRevision, position, sealedApplicants: sealed }
      : undefined;
  }
}
