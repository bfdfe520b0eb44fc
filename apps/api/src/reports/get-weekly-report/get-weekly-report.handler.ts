/** Computes the weekly control report from business dates in the control read model. */
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { CONTROL_PROJECTION, weeklyControlReport, type WeeklyReport } from '@appeal-ledger/projections';
import { listScope } from '../../access/access-policy';
import { Problem } from '../../http/problem';
import { PG_POOL } from '../../infrastructure/infrastructure.module';
import { ProjectionsService } from '../../read-models/projections.service';
import { asProblem } from '../../read-models/read-model-query';
import { GetWeeklyReportQuery } from './get-weekly-report.query';

/** A department no appeal has (a scope without one shows nothing). */
const NO_DEPARTMENT = '\u0000';

@QueryHandler(GetWeeklyReportQuery)
export class GetWeeklyReportHandler implements IQueryHandler<GetWeeklyReportQuery, WeeklyReport> {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly projections: ProjectionsService,
  ) {}

  async execute({ week, principal, minPosition }: GetWeeklyReportQuery): Promise<WeeklyReport> {
    const scope = listScope(principal, 'weekly_report');
    if (scope === undefined) throw Problem.forbidden('you may not read the weekly report');
    // Only a department reach narrows this report (its readers have no "assigned" reach).
    const department = scope.all ? undefined : (scope.department ?? NO_DEPARTMENT);
    await this.projections.awaitPosition(minPosition, [CONTROL_PROJECTION]);
    return asProblem(() =>
      weeklyControlReport(this.pool, week, department === undefined ? {} : { department }),
    );
  }
}
