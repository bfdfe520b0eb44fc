/**
 * The annual / quarterly / monthly summary (справка) with the comparison period, from the statistics
 * read model. It counts the whole administration's appeals, so only its whole-administration readers
 * get it (docs/access.md).
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import {
  loadReportCategories,
  STATISTICS_PROJECTION,
  SummaryReports,
  type SummaryReport,
} from '@appeal-ledger/projections';
import { listScope } from '../../access/access-policy';
import type { Principal } from '../../auth/principal';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { PG_POOL } from '../../infrastructure/infrastructure.module';
import { ProjectionsService } from '../../read-models/projections.service';
import { forbidden, readModelQuery, type Read, type ReadRefusal } from '../../shared/read-refusal';
import { today } from '../../shared/business-time';
import { CLOCK, type Clock } from '../../shared/clock';

export const SUMMARY_REFUSAL =
  "the summary counts the whole administration's appeals; a department's account reads its department's weekly report (docs/access.md)";

export type SummaryPeriod =
  | { kind: 'annual'; year: number; compareTo?: number }
  | { kind: 'quarterly'; year: number; quarter: number; compareTo?: number }
  | { kind: 'monthly'; year: number; month: number; compareTo?: number };

export interface GetSummaryReportInput {
  period: SummaryPeriod;
  /** who reads: the summary covers the whole administration, so only its whole-administration readers */
  principal: Principal;
  /** report date (answered late is judged as of it); default today */
  asOf?: string;
  minPosition?: number;
}

/** Why `principal` may not read the summary, or undefined when they may (asked before anything else). */
export function summaryRefusalFor(principal: Principal): ReadRefusal | undefined {
  return listScope(principal, 'summary_report') === undefined ? forbidden(SUMMARY_REFUSAL) : undefined;
}

@Injectable()
export class GetSummaryReport {
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

  async read({ period, principal, asOf, minPosition }: GetSummaryReportInput): Promise<Read<SummaryReport>> {
    const refusal = summaryRefusalFor(principal);
    if (refusal) return refusal;
    await this.projections.awaitPosition(minPosition, [STATISTICS_PROJECTION]);
    const options = { asOf: asOf ?? today(this.config.timeZone, this.clock.now()) };
    return readModelQuery(() => {
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
