/**
 * «Отчёты» (/reports): the weekly control report and a summary, on the page and as downloads; the
 * ССТУ.РФ export's download for those who report.
 */
import { Get, Inject, Query, Req } from '@nestjs/common';
import { isoWeekOf, summaryHtml, weeklyHtml } from '@appeal-ledger/projections';
import { listScope } from '../../../api/src/access/access-policy';
import { Roles } from '../../../api/src/auth/auth.decorators';
import { APP_CONFIG, type AppConfig } from '../../../api/src/config/app-config';
import { Problem } from '../../../api/src/http/problem';
import { answer } from '../../../api/src/http/refusal-problem';
import {
  GetSummaryReport,
  summaryRefusalFor,
  type SummaryPeriod,
} from '../../../api/src/reports/get-summary-report/get-summary-report.service';
import { GetWeeklyReport } from '../../../api/src/reports/get-weekly-report/get-weekly-report.service';
import { today } from '../../../api/src/shared/business-time';
import { CLOCK, type Clock } from '../../../api/src/shared/clock';
import type { Html } from '../shell/html';
import { rolesOf } from '../shell/nav';
import { PageController, Shell, type PageRequest } from '../shell/page';
import { pageMinPosition } from './shared/read-your-writes';
import { renderReports, type ReportsQuery } from './reports/reports.page';

const int = (raw: string | undefined, min: number, max: number, fallback: number): number => {
  const value = raw !== undefined && /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  return Number.isInteger(value) && value >= min && value <= max ? value : fallback;
};

@PageController('/reports')
export class ReportsPage {
  constructor(
    private readonly shell: Shell,
    private readonly getWeeklyReport: GetWeeklyReport,
    private readonly getSummaryReport: GetSummaryReport,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Roles(...rolesOf('/reports'))
  async show(@Req() req: PageRequest, @Query() params: Record<string, string | undefined>): Promise<Html> {
    if (!req.principal) throw Problem.unauthorized('sign in');
    const day = today(this.config.timeZone, this.clock.now());
    const year = Number(day.slice(0, 4));
    const month = Number(day.slice(5, 7));
    const query: ReportsQuery = {
      week: params.week && /^\d{4}-W\d{2}$/.test(params.week) ? params.week : isoWeekOf(day),
      period: params.period === 'quarterly' || params.period === 'monthly' ? params.period : 'annual',
      year: int(params.year, 2000, 2100, year),
      quarter: int(params.quarter, 1, 4, Math.ceil(month / 3)),
      month: int(params.month, 1, 12, month),
    };
    const period: SummaryPeriod =
      query.period === 'annual'
        ? { kind: 'annual', year: query.year }
        : query.period === 'quarterly'
          ? { kind: 'quarterly', year: query.year, quarter: query.quarter }
          : { kind: 'monthly', year: query.year, month: query.month };
    const principal = req.principal;
    // A department's account reads its department's weekly report; the summary counts the whole administration.
    const maySummary = summaryRefusalFor(principal) === undefined;
    // Like the journal: a report opened after the user's command already counts it (read-your-writes.ts).
    const minPosition = pageMinPosition(req, params.minPosition);
    const [weekly, summary] = await Promise.all([
      this.getWeeklyReport.read({ week: query.week, principal, minPosition }).then(answer),
      maySummary
        ? this.getSummaryReport.read({ period, principal, minPosition }).then(answer)
        : Promise.resolve(null),
    ]);
    // The month just ended is the one reported to ССТУ.РФ.
    const lastMonth = month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
    const body = renderReports({
      query,
      weeklyDocument: weeklyHtml(weekly),
      summaryDocument: summary === null ? null : summaryHtml(summary),
      sstuMonth: listScope(principal, 'sstu_export') === undefined ? null : lastMonth,
    });
    return this.shell.page(req, { title: 'Отчёты', body, ownHeading: true });
  }
}
