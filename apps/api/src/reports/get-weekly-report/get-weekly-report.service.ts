/**
 * The weekly control report for the head's control meeting, as of the end of an ISO week, from
 * business dates in the control read model; a department's controller or registrar gets their
 * department's report (docs/access.md).
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { CONTROL_PROJECTION, weeklyControlReport, type WeeklyReport } from '@appeal-ledger/projections';
import { listScope } from '../../access/access-policy';
import type { Principal } from '../../auth/principal';
import { PG_POOL } from '../../infrastructure/infrastructure.module';
import { ProjectionsService } from '../../read-models/projections.service';
import { forbidden, readModelQuery, type Read } from '../../shared/read-refusal';

/** A department no appeal has (a scope without one shows nothing). */
const NO_DEPARTMENT = '\u0000';

export interface GetWeeklyReportInput {
  /** ISO week, `YYYY-Www` */
  week: string;
  /** who reads: a department's controller or registrar gets their department's report */
  principal: Principal;
  minPosition?: number;
}

@Injectable()
export class GetWeeklyReport {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly projections: ProjectionsService,
  ) {}

  async read({ week, principal, minPosition }: GetWeeklyReportInput): Promise<Read<WeeklyReport>> {
    const scope = listScope(principal, 'weekly_report');
    if (scope === undefined) return forbidden('you may not read the weekly report');
    // Only a department reach narrows this report (its readers have no "assigned" reach).
    const department = scope.all ? undefined : (scope.department ?? NO_DEPARTMENT);
    await this.projections.awaitPosition(minPosition, [CONTROL_PROJECTION]);
    return readModelQuery(() =>
      weeklyControlReport(this.pool, week, department === undefined ? {} : { department }),
    );
  }
}
