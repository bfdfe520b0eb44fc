/** Reads the control read model as of today in the administration's time zone. */
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import type { AppealRules } from '@appeal-ledger/appeal';
import { CONTROL_PROJECTION, findControlRows, type ControlPage } from '@appeal-ledger/projections';
import { APPEAL_RULES } from '../../appeals/appeal-rules.provider';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { PG_POOL } from '../../infrastructure/infrastructure.module';
import { ProjectionsService } from '../../read-models/projections.service';
import { asProblem } from '../../read-models/read-model-query';
import { today } from '../../shared/business-time';
import { CLOCK, type Clock } from '../../shared/clock';
import { GetControlQuery } from './get-control.query';

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
    return asProblem(() =>
      findControlRows(this.pool, filters, {
        today: today(this.config.timeZone, this.clock.now()),
        calendar: this.rules.calendar,
      }),
    );
  }
}
