/** Computes the weekly control report from business dates in the control read model. */
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { CONTROL_PROJECTION, weeklyControlReport, type WeeklyReport } from '@appeal-ledger/projections';
import { PG_POOL } from '../../infrastructure/infrastructure.module';
import { ProjectionsService } from '../../read-models/projections.service';
import { asProblem } from '../../read-models/read-model-query';
import { GetWeeklyReportQuery } from './get-weekly-report.query';

@QueryHandler(GetWeeklyReportQuery)
export class GetWeeklyReportHandler implements IQueryHandler<GetWeeklyReportQuery, WeeklyReport> {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly projections: ProjectionsService,
  ) {}

  async execute({ week, minPosition }: GetWeeklyReportQuery): Promise<WeeklyReport> {
    await this.projections.awaitPosition(minPosition, [CONTROL_PROJECTION]);
    return asProblem(() => weeklyControlReport(this.pool, week));
  }
}
