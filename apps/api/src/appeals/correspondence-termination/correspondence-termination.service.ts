/**
 * Termination of correspondence (59-FZ art. 11 ч.5) for the API: the facts about other appeals the
 * two commands need (the domain sees one appeal) and the arrival flag shown with an appeal. The read
 * models (applicant index, journal) are asked once they have the appeal itself, waiting a little.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import {
  answeredOnMerits,
  compareDates,
  type EarlierAppealFacts,
  type TerminationFact,
} from '@appeal-ledger/appeal';
import { JOURNAL_PROJECTION } from '@appeal-ledger/projections';
import { factsOf, mayReadAppeal } from '../../access/access-policy';
import type { Principal } from '../../auth/principal';
import { APPLICANT_INDEX_PROJECTION } from '../../applicant-matching/applicant-index.projection';
import {
  findTerminations,
  sharingApplicant,
  type CorrespondenceTerminatedFlag,
} from '../../applicant-matching/correspondence-terminations';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { PG_POOL } from '../../infrastructure/infrastructure.module';
import { ProjectionsService } from '../../read-models/projections.service';
import { AppealRepository } from '../appeal.repository';

/** How long a command or a read waits for the read models to have the appeal. */
const WAIT_MS = 5000;

/** The flag as the API shows it (docs/api.md): the latest decision that applies. */
export interface CorrespondenceTerminatedView {
  /** absent when the reader may not read that appeal now (docs/access.md, references to other appeals) */
  terminationAppealId?: string;
  decidedAt: string;
  questionCodes: string[];
  matchedBy: CorrespondenceTerminatedFlag['matchedBy'];
}

export const flagView = (
  flags: readonly CorrespondenceTerminatedFlag[] | undefined,
): CorrespondenceTerminatedView | null => (flags && flags.length > 0 ? { ...flags[0] } : null);

@Injectable()
export class CorrespondenceTerminations {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly projections: ProjectionsService,
    private readonly repository: AppealRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Whether both read models have applied `position` (within `waitMs`). */
  private async caughtUp(position: number, waitMs: number): Promise<boolean> {
    const reached = await Promise.all(
      [APPLICANT_INDEX_PROJECTION, JOURNAL_PROJECTION].map((name) =>
        this.projections.runner.waitForPosition(name, position, waitMs),
      ),
    );
    return reached.every(Boolean);
  }

  /** The terminations applying to many appeals at once (lists: no waiting). */
  async flagsOf(appealIds: readonly string[]): Promise<Map<string, CorrespondenceTerminatedFlag[]>> {
    return findTerminations(this.pool, appealIds, this.config.timeZone);
  }

  /**
   * The arrival flag of one appeal once the read models have it (at `position`, waiting at most
   * `waitMs`; 0: from what they have now); null when none applies.
   */
  async flagOf(
    appealId: string,
    position: number,
    waitMs = WAIT_MS,
  ): Promise<CorrespondenceTerminatedView | null> {
    if (waitMs > 0) await this.caughtUp(position, waitMs);
    return flagView((await this.flagsOf([appealId])).get(appealId));
  }

  /** For LeaveWithoutAnswer on ground `correspondence_terminated`: the terminations that apply. */
  async terminationsFor(appealId: string): Promise<TerminationFact[]> {
    const loaded = await this.repository.load(appealId);
    if (!loaded) return [];
    await this.caughtUp(loaded.position, WAIT_MS);
    return ((await this.flagsOf([appealId])).get(appealId) ?? []).map(
      ({ terminationAppealId, decidedAt, questionCodes }) => ({
        terminationAppealId,
        decidedAt,
        questionCodes,
      }),
    );
  }

  /**
   * For TerminateCorrespondence: what each earlier appeal named is — found (and readable by
   * `principal`), of the same applicant (applicant index), registered before this one, and which
   * questions its final answer in force answered on the merits (from its own stream).
   */
  async earlierAppeals(
    appealId: string,
    ids: readonly string[],
    principal: Principal,
  ): Promise<EarlierAppealFacts[]> {
    const me = await this.repository.load(appealId);
    if (!me) return [];
    await this.caughtUp(me.position, WAIT_MS);
    const same = await sharingApplicant(this.pool, appealId, ids);
    return Promise.all(
      ids.map(async (id): Promise<EarlierAppealFacts> => {
        const other = id === appealId ? undefined : await this.repository.load(id);
        if (!other || !mayReadAppeal(principal, factsOf(other.state), 'summary'))
          return { appealId: id, found: false, sameApplicant: false, earlier: false, answeredOnMerits: [] };
        return {
          appealId: id,
          found: true,
          sameApplicant: same.has(id),
          earlier: compareDates(other.state.context.registeredAt, me.state.context.registeredAt) <= 0,
          answeredOnMerits: answeredOnMerits(other.state.context),
        };
      }),
    );
  }
}
