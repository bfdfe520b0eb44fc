/**
 * Reads the appeal card: the summary from the appeal's stream (now, or as of the end of a chosen
 * day), what the state and the person's roles allow, the history in words for the roles that may
 * read it, the classifier's names of the question codes, and the executors to choose from.
 */
import { Inject, Injectable } from '@nestjs/common';
import { allowedActions, isIsoDate, workingDaysBetween, type AppealRules } from '@appeal-ledger/appeal';
import { factsOf, mayReadAppeal } from '../../../../api/src/access/access-policy';
import { APPEAL_RULES } from '../../../../api/src/appeals/appeal-rules.provider';
import { AppealReferenceFilter } from '../../../../api/src/appeals/appeal-references.service';
import { AppealSummaryRenderer } from '../../../../api/src/appeals/appeal-summary';
import { GetAppealHistory } from '../../../../api/src/appeals/get-appeal-history/get-appeal-history.service';
import { GetAppeal } from '../../../../api/src/appeals/get-appeal/get-appeal.service';
import { assertAppealId } from '../../../../api/src/appeals/http/command-request';
import type { Principal } from '../../../../api/src/auth/principal';
import { APP_CONFIG, type AppConfig } from '../../../../api/src/config/app-config';
import { Problem } from '../../../../api/src/http/problem';
import { answer } from '../../../../api/src/http/refusal-problem';
import { parseAsOf, today } from '../../../../api/src/shared/business-time';
import { CLOCK, type Clock } from '../../../../api/src/shared/clock';
import { RelatedAppealsService } from '../../../../api/src/applicant-matching/related-appeals.service';
import { CorrespondenceTerminations } from '../../../../api/src/appeals/correspondence-termination/correspondence-termination.service';
import { ExecutorDirectory } from '../shared/executor-directory';
import { cardActions } from './card-actions';
import { mayDecideRelated } from './forms/related-decision';
import type { CardView } from './card.page';
import { describeHistoryEntry } from './history-wording';

@Injectable()
export class CardPageQuery {
  constructor(
    private readonly getAppeal: GetAppeal,
    private readonly getHistory: GetAppealHistory,
    private readonly renderer: AppealSummaryRenderer,
    private readonly executors: ExecutorDirectory,
    private readonly relatedAppeals: RelatedAppealsService,
    private readonly terminations: CorrespondenceTerminations,
    private readonly references: AppealReferenceFilter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APPEAL_RULES) private readonly rules: AppealRules,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async read(rawId: string, principal: Principal, asOfRaw?: string): Promise<CardView> {
    const id = assertAppealId(rawId);
    const timeZone = this.config.timeZone;
    const day = today(timeZone, this.clock.now());
    let asOf: string | null = null;
    let asOfMs: number | undefined;
    if (asOfRaw !== undefined && asOfRaw !== '' && asOfRaw !== day) {
      asOfMs = isIsoDate(asOfRaw) ? parseAsOf(asOfRaw, timeZone) : undefined;
      if (asOfMs === undefined)
        throw Problem.validation([{ field: 'asOf', message: 'дата в формате дд.мм.гггг' }]);
      asOf = asOfRaw;
    }
    const loaded = answer(await this.getAppeal.read({ appealId: id, asOfMs, principal }));
    const summary = await this.renderer.render(loaded, principal);
    const mayReadHistory = mayReadAppeal(principal, loaded.current ?? factsOf(loaded.state), 'history');
    const entries = mayReadHistory ? answer(await this.getHistory.read({ appealId: id, principal })) : null;
    // On a chosen date the history ends with it, as the state does (the fact's business time).
    const cutoff = asOfMs;
    const shown =
      entries === null || cutoff === undefined
        ? entries
        : entries.filter((entry) => Date.parse(entry.occurredAt) <= cutoff);
    const history = shown?.map((entry) => describeHistoryEntry(entry, timeZone)) ?? null;
    const laterHistoryEntries = entries !== null && shown !== null ? entries.length - shown.length : 0;
    // Earlier appeals of the same applicant on the same question, for those who may read them (now only).
    // null: the read models had not got to the appeal within the wait (the card says the list may
    // be incomplete); undefined: the person may not read them, or a past date is shown.
    const found =
      asOf === null && mayReadAppeal(principal, loaded.current ?? factsOf(loaded.state), 'related')
        ? await this.relatedAppeals.find(id, principal, loaded.position, 2000)
        : undefined;
    const related = found === null ? [] : found;
    // The arrival flag of art. 11 ч.5 (now only; whatever the read models' lag).
    // It names the appeal the decision was taken on only when the person may read it.
    const terminated =
      asOf === null
        ? await this.references.flag(principal, await this.terminations.flagOf(id, loaded))
        : null;
    const allowed = allowedActions(loaded.state);
    const actions = cardActions(allowed, principal, summary.executor?.id ?? null, {
      pendingDocumentRequests: summary.pendingDocumentRequests.length,
      coExecutorIds: (summary.coExecutors ?? []).map((c) => c.id),
    });
    const relatedDecisions =
      asOf === null && related !== undefined && mayDecideRelated(principal.roles, allowed)
        ? { appealId: summary.id, revision: summary.revision }
        : undefined;
    const unresolved = summary.onControl && summary.finalAnswerSentAt === null;
    return {
      appeal: summary,
      daysLeft: unresolved ? workingDaysBetween(asOf ?? day, summary.dueDate, this.rules.calendar) : null,
      questionTitles: new Map(
        summary.questions.flatMap((q) => {
          const name = this.rules.classifier.nameOf(q.code);
          return name ? [[q.code, name] as const] : [];
        }),
      ),
      actions: asOf === null ? actions : [],
      executors:
        actions.includes('assign') || actions.includes('record_resolution')
          ? await this.executors.list()
          : [],
      history,
      ...(asOf !== null && history !== null && { laterHistoryEntries }),
      ...(related !== undefined && { related }),
      ...(found === null && { relatedIncomplete: true }),
      correspondenceTerminated: terminated,
      ...(relatedDecisions !== undefined && { relatedDecisions }),
      asOf,
      today: day,
      timeZone,
    };
  }
}
