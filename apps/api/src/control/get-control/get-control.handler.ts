/** Reads the control read model as of today in the administration's time zone. */
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import type { AppealRules } from '@appeal-ledger/appeal';
import {
  CONTROL_PROJECTION,
  findControlRows,
  type ControlPage,
  type ControlRow,
} from '@appeal-ledger/projections';
import { findTerminations } from '../../applicant-matching/correspondence-terminations';
import {
  flagView,
  type CorrespondenceTerminatedView,
} from '../../appeals/correspondence-termination/correspondence-termination.service';
import { APPEAL_RULES } from '../../appeals/appeal-rules.provider';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { PG_POOL } from '../../infrastructure/infrastructure.module';
import { ProjectionsService } from '../../read-models/projections.service';
import { asProblem } from '../../read-models/read-model-query';
import { today } from '../../shared/business-time';
import { CLOCK, type Clock } from '../../shared/clock';
import { GetControlQuery } from './get-control.query';

/** A control row, flagged when correspondence on its question was terminated (59-FZ art. 11 ч.5). */
export type FlaggedControlRow = ControlRow & { correspondenceTerminated?: CorrespondenceTerminatedView };

@QueryHandler(GetControlQuery)
export class GetControlHandler implements IQueryHandler<GetControlQuery, ControlPage> {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APPEAL_RULES) private readonly rules: AppealRules,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly projections: ProjectionsService,
  ) {}

  async execute({ filters, minPosition }: GetControlQuery): Promise<ControlPage> {
    await this.projections.awaitPosition(minPosition, [CONTROL_PROJECTION]);
    const page = await asProblem(() =>
      findControlRows(this.pool, filters, {
        today: today(this.config.timeZone, this.clock.now()),
        calendar: this.rules.calendar,
      }),
    );
    const flags = await findTerminations(
      this.pool,
      page.rows.map((r) => r.id),
      this.config.timeZone,
    );
    if (flags.size === 0) return page;
    const rows: FlaggedControlRow[] = page.rows.map((row) => {
      const flag = flagView(flags.get(row.id));
      return flag ? { ...row, correspondenceTerminated: flag } : row;
    });
    return { ...page, rows };
  }
}
