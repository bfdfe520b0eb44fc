/**
 * Related appeals for the API: GET …/related waits for the read models, then asks them
 * (related-appeals.ts); the registration asks at once, with the new appeal's keys computed from the
 * request (registration-candidates.ts).
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import {
  APPEAL_STREAM_PREFIX,
  appealStreamId,
  isIsoDate,
  type CorrespondenceTerminated,
  localDate,
  type RegisteredAppealState,
} from '@appeal-ledger/appeal';
import {
  EVENT_STORE,
  StreamNotFoundError,
  type EventStore,
  type RecordedEvent,
} from '@appeal-ledger/event-store';
import { JOURNAL_PROJECTION } from '@appeal-ledger/projections';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PersonalDataVault } from '../personal-data/personal-data.vault';
import { BlindIndex } from './blind-index';
import {
  factsOfState,
  registrationCandidates,
  RegisteredKeys,
  registrationKeys,
  registrationLookup,
  type NewAppeal,
  type RegistrationLookup,
} from './registration-candidates';
import { mayReadAppeal } from '../access/access-policy';
import type { Principal } from '../auth/principal';
import { PG_POOL } from '../infrastructure/infrastructure.module';
import { ProjectionsService } from '../read-models/projections.service';
import { APPLICANT_INDEX_PROJECTION } from './applicant-index.projection';
import { findRelatedAppeals, type RelatedAppeal } from './related-appeals';
import {
  byLatestDecision,
  findTerminationsForKeys,
  findTerminationsForKeysAt,
  terminationFlag,
  type CorrespondenceTerminatedFlag,
  type TerminationRow,
} from './correspondence-terminations';
import type { IndexKind } from './normalise';

/** An appeal's folded state and the position of its last event. */
type LoadedState = { state: RegisteredAppealState; position: number };

/** How long GET …/related waits for the read models by default. */
const DEFAULT_WAIT_MS = 3000;
/** Termination decisions read from the store's tail per page. */
const DECISIONS_PAGE = 100;

/** What the rule of a termination's reach needs of the appeal it may apply to. */
export type TerminationSubject = Pick<NewAppeal, 'id' | 'registeredOn' | 'questionCodes'>;

@Injectable()
export class RelatedAppealsService {
  /** the index keys of recent registrations, so a registration does not hash its tail again */
  private readonly registered = new RegisteredKeys();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly projections: ProjectionsService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly vault: PersonalDataVault,
    private readonly index: BlindIndex,
  ) {}

  /**
   * What the registration answer tells at once of an appeal just registered, from its plaintext
   * applicants (never stored), whatever the read models' lag: the earlier appeals related to it that
   * `principal` may see, and the terminations of correspondence (59-FZ art. 11 ч.5) applying to it.
   * Both share one lookup: the applicants' index keys, hashed once, and one read of the store's tail
   * after the read models' checkpoints. `load` reads earlier appeals' streams (state and last
   * position of each), for those the journal lags behind.
   */
  async atRegistration(
    appeal: NewAppeal,
    principal: Principal,
    load: (appealIds: readonly string[]) => Promise<Map<string, LoadedState>>,
  ): Promise<{ related: RelatedAppeal[]; terminations: CorrespondenceTerminatedFlag[] }> {
    const timeZone = this.config.timeZone;
    const keys = appeal.applicants.flatMap((a) => this.index.entries(a));
    const lookup = await registrationLookup(this.store, this.pool, appeal, keys, timeZone);
    const [related, terminations] = await Promise.all([
      registrationCandidates(
        {
          vault: this.vault,
          index: this.index,
          lookup,
          registered: this.registered,
          fromStreams: async (ids) => {
            const toLocal = (value: string): string =>
              isIsoDate(value) ? value : localDate(value, timeZone);
            const loaded = ids.length > 0 ? await load(ids) : new Map<string, LoadedState>();
            return new Map(
              [...loaded].map(([id, l]) => [
                id,
                { facts: factsOfState(l.state, toLocal), position: l.position },
              ]),
            );
          },
        },
        appeal,
        (facts) => mayReadAppeal(principal, facts, 'related'),
      ),
      this.terminationsAtRegistration(appeal, lookup),
    ]);
    this.registered.set(appeal.id, keys);
    return { related, terminations };
  }

  /**
   * The terminations applying to an appeal just registered, from its index keys, without waiting: the
   * lookup's (the decisions the index holds) and those of the decisions stored before this
   * registration that the index has not applied (in the tail the lookup read; usually none): each
   * judged here as the index would — the terminating appeal's keys from its registration, the codes,
   * the day. Only when the tail was cut (the index more than MAX_TAIL events behind) is the index waited
   * for (at most 1 s) and asked again.
   */
  private async terminationsAtRegistration(
    appeal: NewAppeal,
    lookup: RegistrationLookup,
  ): Promise<CorrespondenceTerminatedFlag[]> {
    const unapplied = (e: RecordedEvent): boolean =>
      e.type === 'CorrespondenceTerminated' && e.position < appeal.position;
    if (!lookup.complete) {
      const pending = (
        await this.store.readAll({
          after: lookup.indexCheckpoint,
          maxCount: 1,
          filter: { eventTypes: ['CorrespondenceTerminated'], streamPrefixes: [APPEAL_STREAM_PREFIX] },
        })
      ).some(unapplied);
      if (!pending) return lookup.terminations.map(terminationFlag);
      await this.projections.runner.waitForPosition(APPLICANT_INDEX_PROJECTION, appeal.position, 1000);
      return findTerminationsForKeys(this.pool, appeal, lookup.keys, this.config.timeZone);
    }
    const pending = lookup.tail.filter(unapplied);

    if (pending.length === 0) return lookup.terminations.map(terminationFlag);
    const rows = [
      ...lookup.terminations,
      ...(await this.unappliedTerminations(appeal, lookup.keys, pending)),
    ];
    // latest decision first, as the index's query orders them
    return rows.sort(byLatestDecision).map(terminationFlag);
  }

  /**
   * The terminations applying to a registered appeal now, whatever the index's lag: the decisions the
   * index holds, matched against the appeal's own keys (from its registration) rather than its
   * entries in the index, and the decisions stored after the index's checkpoint judged here as the
   * index will judge them. Latest decision first.
   */
  async terminationsOf(appeal: TerminationSubject): Promise<CorrespondenceTerminatedFlag[]> {
    if (appeal.questionCodes.length === 0) return [];
    const keys = await this.keysOf(appeal.id);
    if (keys.length === 0) return [];
    const indexed = await findTerminationsForKeysAt(this.pool, appeal, keys, this.config.timeZone);
    const pending = await this.decisionsAfter(indexed.checkpoint);
    const rows = [...indexed.rows, ...(await this.unappliedTerminations(appeal, keys, pending))];
    return rows.sort(byLatestDecision).map(terminationFlag);
  }

  /** Every termination decision stored after `position` (a few at most: they are rare), page by page. */
  private async decisionsAfter(position: number): Promise<RecordedEvent[]> {
    const filter = { eventTypes: ['CorrespondenceTerminated'], streamPrefixes: [APPEAL_STREAM_PREFIX] };
    const out: RecordedEvent[] = [];
    for (let after = position; ;) {
      const page = await this.store.readAll({ after, maxCount: DECISIONS_PAGE, filter });
      out.push(...page);
      if (page.length < DECISIONS_PAGE) return out;
      after = page[page.length - 1].position;
    }
  }

  /**
   * The rule of `terminationsForKeysSql` applied to decisions the index has not applied: by another
   * appeal sharing one of `keys` (its own keys from its registration; none once erased), on one of the
   * new appeal's codes, taken on or before its registration day.
   */
  private async unappliedTerminations(
    appeal: TerminationSubject,
    keys: readonly { kind: IndexKind; digest: string }[],
    decisions: readonly RecordedEvent[],
  ): Promise<TerminationRow[]> {
    const mine = new Set(keys.map((k) => `${k.kind}:${k.digest}`));
    const codes = new Set(appeal.questionCodes);
    const rows: TerminationRow[] = [];
    for (const decision of decisions) {
      const terminating = decision.streamId.slice(APPEAL_STREAM_PREFIX.length);
      if (terminating === appeal.id) continue;
      const data = decision.data as unknown as CorrespondenceTerminated['data'];
      const terminated = [...new Set(data.questionCodes.filter((c) => codes.has(c)))].sort();
      if (terminated.length === 0 || appeal.registeredOn < localDate(data.decidedAt, this.config.timeZone))
        continue;
      const kinds = [
        ...new Set(
          (await this.keysOf(terminating))
            .filter((k) => mine.has(`${k.kind}:${k.digest}`))
            .map((k) => k.kind),
        ),
      ];
      if (kinds.length > 0)
        rows.push({
          termination_appeal_id: terminating,
          decided_at: data.decidedAt,
          codes: terminated,
          kinds,
        });
    }
    return rows;
  }

  /**
   * Which of `others` share an applicant with `appealId` — a blind-index key of the same kind, as the
   * applicant index would tell once it has applied their registrations — from the registrations
   * themselves (each stream's first event, opened and hashed here), whatever the index's lag. An
   * applicant whose key was destroyed (erasure) shares nothing, as in the index; so does an appeal
   * that does not exist.
   */
  async sharingApplicant(appealId: string, others: readonly string[]): Promise<Set<string>> {
    const ids = [...new Set([appealId, ...others])];
    const keys = new Map(await Promise.all(ids.map(async (id) => [id, await this.keysOf(id)] as const)));
    const mine = new Set((keys.get(appealId) ?? []).map((k) => `${k.kind}:${k.digest}`));
    return new Set(
      others.filter(
        (id) => id !== appealId && (keys.get(id) ?? []).some((k) => mine.has(`${k.kind}:${k.digest}`)),
      ),
    );
  }

  /** An appeal's index keys from its registration (none when it has no stream). */
  private async keysOf(appealId: string): Promise<readonly { kind: IndexKind; digest: string }[]> {
    let first: RecordedEvent[];
    try {
      first = await this.store.readStream(appealStreamId(appealId), { maxCount: 1 });
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    const registration = first[0];
    return registration?.type === 'AppealRegistered'
      ? registrationKeys({ vault: this.vault, index: this.index }, registration)
      : [];
  }

  /**
   * The earlier appeals related to `appealId` that `principal` may see, once both read models have
   * applied `position` (waiting at most `waitMs`); null when they have not got there (or do not know
   * the appeal yet).
   */
  async find(
    appealId: string,
    principal: Principal,
    position?: number,
    waitMs = DEFAULT_WAIT_MS,
  ): Promise<RelatedAppeal[] | null> {
    if (position !== undefined) {
      const reached = await Promise.all(
        [APPLICANT_INDEX_PROJECTION, JOURNAL_PROJECTION].map((name) =>
          this.projections.runner.waitForPosition(name, position, waitMs),
        ),
      );
      if (!reached.every(Boolean)) return null;
    }
    return findRelatedAppeals(this.pool, appealId, (facts) => mayReadAppeal(principal, facts, 'related'));
  }
}
