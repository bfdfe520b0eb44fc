/** Computes a summary report from the statistics read model. */
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import {
  loadReportCategories,
  STATISTICS_PROJECTION,
  SummaryReports,
  type SummaryReport,
} from '@appeal-ledger/projections';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { listScope } from '../../access/access-policy';
import { Problem } from '../../http/problem';
import { PG_POOL } from '../../infrastructure/infrastructure.module';
import { ProjectionsService } from '../../read-models/projections.service';
import { asProblem } from '../../read-models/read-model-query';
import { today } from '../../shared/business-time';
import { CLOCK, type Clock } from '../../shared/clock';
import { GetSummaryReportQuery } from './get-summary-report.query';

export const SUMMARY_REFUSAL =
  "the summary counts the whole administration's appeals; a department's account reads its department's weekly report (docs/access.md)";

@QueryHandler(GetSummaryReportQuery)
export class GetSummaryReportHandler implements IQueryHandler<GetSummaryReportQuery, SummaryReport> {
  private readonly reports: SummaryReports;

  constructor(
    @Inject(PG_POOL) pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly projections: ProjectionsService,
  ) {
    this.reports = new SummaryReports(pool, {
      categories: loadReportCategories(config.reportCategoriesFile),
    });
  }

  async execute({ period, principal, asOf, minPosition }: GetSummaryReportQuery): Promise<SummaryReport> {
    if (listScope(principal, 'summary_report') === undefined) throw Problem.forbidden(SUMMARY_REFUSAL);
    await this.projections.awaitPosition(minPosition, [STATISTICS_PROJECTION]);
    const options = { asOf: asOf ?? today(this.config.timeZone, this.clock.now()) };
    return asProblem(() => {
      switch (period.kind) {
        case 'annual':
          return this.reports.annual(period.year, { ...options, compareTo: period.compareTo });
        case 'quarterly':
          return this.reports.quarterly(period.year, period.quarter, {
            ...options,
            compareToYear: period.compareTo,
          });
        case 'monthly':
          return this.reports.monthly(period.year, period.month, {
            ...options,
            compareToYear: period.compareTo,
          });
        default: {
          const never: never = period;
          throw new Error(`unknown period ${JSON.stringify(never)}`);
        }
      }
    });
  }
}
