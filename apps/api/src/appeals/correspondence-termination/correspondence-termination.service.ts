/**
 * Termination of correspondence (59-FZ art. 11 ч.5) for the API: the facts about other appeals the
 * two commands need (the domain sees one appeal) and the arrival flag shown with an appeal.
 *
 * - TerminateCorrespondence: whether each earlier appeal named is of the same applicant is told from
 *   the appeals' registrations themselves (RelatedAppealsService.sharingApplicant), not the applicant
 *   index — an appeal registered a moment ago counts whatever the index's lag.
 * - LeaveWithoutAnswer on `correspondence_terminated`: the decisions that apply are the applicant
 *   index's; it is waited for (WAIT_MS) to have the appeal, and when it has not, the command is
 *   refused as retryable (503, `read-models-behind`) rather than judged on what the index lacks.
 * - The flag shown with an appeal: what the read models hold after a short wait (a read).
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import {
  answeredOnMerits,
  compareDates,
  needsOtherTerminations,
  type EarlierAppealFacts,
  type TerminationFact,
} from '@appeal-ledger/appeal';
import { JOURNAL_PROJECTION } from '@appeal-ledger/projections';
import { factsOf, mayReadAppeal } from '../../access/access-policy';
import type { Principal } from '../../auth/principal';
import { APPLICANT_INDEX_PROJECTION } from '../../applicant-matching/applicant-index.projection';
import {
  findTerminations,
  type CorrespondenceTerminatedFlag,
} from '../../applicant-matching/correspondence-terminations';
import { RelatedAppealsService } from '../../applicant-matching/related-appeals.service';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { PG_POOL } from '../../infrastructure/infrastructure.module';
import { ProjectionsService } from '../../read-models/projections.service';
import { ok, type Outcome } from '../../shared/outcome';
import type { ReadModelsBehind } from '../../shared/read-refusal';
import { AppealRepository } from '../appeal.repository';

/** How long a command or a read waits for the read models to have the appeal. */
const WAIT_MS = 5000;
/** What a command refused for the read models' lag asks the client to wait before trying again. */
const RETRY_AFTER_S = 5;

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
    private readonly related: RelatedAppealsService,
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

  /**
   * For LeaveWithoutAnswer on ground `correspondence_terminated`: the terminations recorded on other
   * appeals that apply, once the read models have the appeal; refused as retryable when they have not
   * got there in WAIT_MS. None are asked for when the appeal's own decision covers its questions.
   */
  async terminationsFor(appealId: string): Promise<Outcome<TerminationFact[], ReadModelsBehind>> {
    const loaded = await this.repository.load(appealId);
    // its own decision covering every question in work is enough: no read model is asked
    if (!loaded || !needsOtherTerminations(loaded.state.context)) return ok([]);
    if (!(await this.caughtUp(loaded.position, WAIT_MS)))
      return {
        ok: false,
        reason: 'read_models_behind',
        message: `the applicant index has not applied appeal ${appealId}'s events within ${WAIT_MS / 1000} s, so the terminations of correspondence that apply to it are not known yet; nothing was recorded — try again`,
        retryAfterSeconds: RETRY_AFTER_S,
      };
    return ok(
      ((await this.flagsOf([appealId])).get(appealId) ?? []).map(
        ({ terminationAppealId, decidedAt, questionCodes }) => ({
          terminationAppealId,
          decidedAt,
          questionCodes,
        }),
      ),
    );
  }

  /**
   * For TerminateCorrespondence: what each earlier appeal named is — found (and readable by
   * `principal`), of the same applicant (from the registrations, whatever the index's lag), registered
   * before this one, and which questions its final answer in force answered on the merits (from its
   * own stream).
   */
  async earlierAppeals(
    appealId: string,
    ids: readonly string[],
    principal: Principal,
  ): Promise<EarlierAppealFacts[]> {
    const me = await this.repository.load(appealId);
    if (!me) return [];
    const others = new Map(
      await Promise.all(
        ids.map(async (id) => [id, id === appealId ? undefined : await this.repository.load(id)] as const),
      ),
    );
    const readable = ids.filter((id) => {
      const other = others.get(id);
      return other !== undefined && mayReadAppeal(principal, factsOf(other.state), 'summary');
    });
    const same = await this.related.sharingApplicant(appealId, readable);
    return ids.map((id): EarlierAppealFacts => {
      const other = others.get(id);
      if (!other || !readable.includes(id))
        return { appealId: id, found: false, sameApplicant: false, earlier: false, answeredOnMerits: [] };
      return {
        appealId: id,
        found: true,
        sameApplicant: same.has(id),
        earlier: compareDates(other.state.context.registeredAt, me.state.context.registeredAt) <= 0,
        answeredOnMerits: answeredOnMerits(other.state.context),
      };
    });
  }
}
