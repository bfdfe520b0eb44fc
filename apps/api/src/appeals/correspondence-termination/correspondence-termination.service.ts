/**
 * Termination of correspondence (59-FZ art. 11 ч.5) for the API: the facts about other appeals the
 * two commands need (the domain sees one appeal) and the arrival flag shown with an appeal.
 *
 * - TerminateCorrespondence: whether each earlier appeal named is of the same applicant is told from
 *   the appeals' registrations themselves (RelatedAppealsService.sharingApplicant), not the applicant
 *   index — an appeal registered a moment ago counts whatever the index's lag.
 * - LeaveWithoutAnswer on `correspondence_terminated`, and the arrival flag shown with an appeal: the
 *   decisions on other appeals that apply, worked out from the appeal's registration, the decisions
 *   the applicant index holds and those in the store's tail it has not applied yet
 *   (RelatedAppealsService.terminationsOf) — whatever the read models' lag.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import {
  answeredOnMerits,
  compareDates,
  isIsoDate,
  localDate,
  needsOtherTerminations,
  type EarlierAppealFacts,
  type TerminationFact,
} from '@appeal-ledger/appeal';
import { factsOf, mayReadAppeal } from '../../access/access-policy';
import type { Principal } from '../../auth/principal';
import {
  findTerminations,
  type CorrespondenceTerminatedFlag,
} from '../../applicant-matching/correspondence-terminations';
import { RelatedAppealsService } from '../../applicant-matching/related-appeals.service';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { PG_POOL } from '../../infrastructure/infrastructure.module';
import { AppealRepository, type LoadedAppeal } from '../appeal.repository';

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
    private readonly repository: AppealRepository,
    private readonly related: RelatedAppealsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The terminations applying to many appeals at once (lists: no waiting). */
  async flagsOf(appealIds: readonly string[]): Promise<Map<string, CorrespondenceTerminatedFlag[]>> {
    return findTerminations(this.pool, appealIds, this.config.timeZone);
  }

  /**
   * The arrival flag of one appeal now; null when none applies. Worked out from the appeal's
   * registration and the decisions the applicant index holds or has still to apply
   * (RelatedAppealsService.terminationsOf): never left out for the read models' lag.
   */
  async flagOf(appealId: string, appeal: LoadedAppeal): Promise<CorrespondenceTerminatedView | null> {
    return flagView(await this.terminationsOf(appealId, appeal));
  }

  /** The decisions on other appeals that apply to this one now, latest first. */
  private terminationsOf(appealId: string, appeal: LoadedAppeal): Promise<CorrespondenceTerminatedFlag[]> {
    const c = appeal.state.context;
    return this.related.terminationsOf({
      id: appealId,
      registeredOn: isIsoDate(c.registeredAt)
        ? c.registeredAt
        : localDate(c.registeredAt, this.config.timeZone),
      questionCodes: c.questions.map((q) => q.code),
    });
  }

  /**
   * For LeaveWithoutAnswer on ground `correspondence_terminated`: the terminations recorded on other
   * appeals that apply, from the appeal's registration and the decisions the applicant index holds or
   * has still to apply — never judged on the index's lag. None are asked for when the appeal's own
   * decision covers its questions.
   */
  async terminationsFor(appealId: string): Promise<TerminationFact[]> {
    const loaded = await this.repository.load(appealId);
    // its own decision covering every question in work is enough
    if (!loaded || !needsOtherTerminations(loaded.state.context)) return [];
    return (await this.terminationsOf(appealId, loaded)).map(
      ({ terminationAppealId, decidedAt, questionCodes }) => ({
        terminationAppealId,
        decidedAt,
        questionCodes,
      }),
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
