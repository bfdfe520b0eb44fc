/**
 * Related appeals for the API: GET …/related waits for the read models, then asks them
 * (related-appeals.ts); the registration asks at once, with the new appeal's keys computed from the
 * request (registration-candidates.ts).
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import {
  APPEAL_STREAM_PREFIX,
  isIsoDate,
  localDate,
  type RegisteredAppealState,
} from '@appeal-ledger/appeal';
import { EVENT_STORE, type EventStore } from '@appeal-ledger/event-store';
import { JOURNAL_PROJECTION } from '@appeal-ledger/projections';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PersonalDataVault } from '../personal-data/personal-data.vault';
import { BlindIndex } from './blind-index';
import { factsOfState, registrationCandidates, type NewAppeal } from './registration-candidates';
import { mayReadAppeal } from '../access/access-policy';
import type { Principal } from '../auth/principal';
import { PG_POOL } from '../infrastructure/infrastructure.module';
import { ProjectionsService } from '../read-models/projections.service';
import { APPLICANT_INDEX_PROJECTION } from './applicant-index.projection';
import { findRelatedAppeals, type RelatedAppeal } from './related-appeals';
import { findTerminationsForKeys, type CorrespondenceTerminatedFlag } from './correspondence-terminations';

/** How long GET …/related waits for the read models by default. */
const DEFAULT_WAIT_MS = 3000;

@Injectable()
export class RelatedAppealsService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly projections: ProjectionsService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly vault: PersonalDataVault,
    private readonly index: BlindIndex,
  ) {}

  /**
   * The earlier appeals related to an appeal just registered, that `principal` may see — at once,
   * from its plaintext applicants (never stored), whatever the read models' lag. `load` reads an
   * earlier appeal's stream (its state and last position), for when the journal lags behind it.
   */
  atRegistration(
    appeal: NewAppeal,
    principal: Principal,
    load: (appealId: string) => Promise<{ state: RegisteredAppealState; position: number } | undefined>,
  ): Promise<RelatedAppeal[]> {
    const timeZone = this.config.timeZone;
    return registrationCandidates(
      {
        db: this.pool,
        store: this.store,
        vault: this.vault,
        index: this.index,
        indexCheckpoint: () => this.projections.runner.checkpoint(APPLICANT_INDEX_PROJECTION),
        fromStream: async (id) => {
          const loaded = await load(id);
          if (!loaded) return undefined;
          const toLocal = (value: string): string => (isIsoDate(value) ? value : localDate(value, timeZone));
          return { facts: factsOfState(loaded.state, toLocal), position: loaded.position };
        },
      },
      appeal,
      (facts) => mayReadAppeal(principal, facts, 'related'),
    );
  }

  /**
   * The terminations of correspondence (59-FZ art. 11 ч.5) applying to an appeal just registered — at
   * once, from its plaintext applicants' index keys, without waiting for the index to apply it.
   */
  async terminationsAtRegistration(appeal: NewAppeal): Promise<CorrespondenceTerminatedFlag[]> {
    // A decision stored before this registration that the index has not applied yet (rare: it was
    // taken a moment ago) — then wait for the index to apply it (at most 1 s), as before.
    const checkpoint = await this.projections.runner.checkpoint(APPLICANT_INDEX_PROJECTION);
    if (checkpoint < appeal.position - 1) {
      const pending = await this.store.readAll({
        after: checkpoint,
        maxCount: 1,
        filter: { eventTypes: ['CorrespondenceTerminated'], streamPrefixes: [APPEAL_STREAM_PREFIX] },
      });
      if (pending.some((e) => e.position < appeal.position))
        await this.projections.runner.waitForPosition(APPLICANT_INDEX_PROJECTION, appeal.position, 1000);
    }
    return findTerminationsForKeys(
      this.pool,
      appeal,
      appeal.applicants.flatMap((a) => this.index.entries(a)),
      this.config.timeZone,
    );
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
