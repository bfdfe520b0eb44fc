/**
 * What is on control: the control read model as of today in the administration's time zone, the
 * reader's rows only (docs/access.md), rows flagged when correspondence on their question was
 * terminated (59-FZ art. 11 ч.5).
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { AppealRules } from '@appeal-ledger/appeal';
import {
  CONTROL_PROJECTION,
  findControlRows,
  type ControlFilters,
  type ControlPage,
  type ControlRow,
} from '@appeal-ledger/projections';
import { listScope } from '../../access/access-policy';
import { findTerminations } from '../../applicant-matching/correspondence-terminations';
import {
  flagView,
  type CorrespondenceTerminatedView,
} from '../../appeals/correspondence-termination/correspondence-termination.service';
import { APPEAL_RULES } from '../../appeals/appeal-rules.provider';
import type { Principal } from '../../auth/principal';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { PG_POOL } from '../../infrastructure/infrastructure.module';
import { ProjectionsService } from '../../read-models/projections.service';
import { ok } from '../../shared/outcome';
import { forbidden, readModelQuery, type Read } from '../../shared/read-refusal';
import { today } from '../../shared/business-time';
import { CLOCK, type Clock } from '../../shared/clock';

/** A control row, flagged when correspondence on its question was terminated (59-FZ art. 11 ч.5). */
export type FlaggedControlRow = ControlRow & { correspondenceTerminated?: CorrespondenceTerminatedView };

export interface GetControlInput {
  /** who reads: the rows are narrowed to theirs */
  principal: Principal;
  filters: Omit<ControlFilters, 'scope'>;
  /** wait (≤ 5 s) until the control read model has applied this position */
  minPosition?: number;
}

@Injectable()
export class GetControl {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APPEAL_RULES) private readonly rules: AppealRules,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly projections: ProjectionsService,
  ) {}

  async read({ principal, filters, minPosition }: GetControlInput): Promise<Read<ControlPage>> {
    // The reader's rows only (docs/access.md): an executor's own, a department's, or every row.
    const scope = listScope(principal, 'control');
    if (scope === undefined) return forbidden('you may not read the control list');
    await this.projections.awaitPosition(minPosition, [CONTROL_PROJECTION]);
    const found = await readModelQuery(() =>
      findControlRows(
        this.pool,
        { ...filters, ...(scope.all ? {} : { scope }) },
        { today: today(this.config.timeZone, this.clock.now()), calendar: this.rules.calendar },
      ),
    );
    if (!found.ok) return found;
    const page = found.value;
    const flags = await findTerminations(
      this.pool,
      page.rows.map((r) => r.id),
      this.config.timeZone,
    );
    if (flags.size === 0) return ok(page);
    const rows: FlaggedControlRow[] = page.rows.map((row) => {
      const flag = flagView(flags.get(row.id));
      return flag ? { ...row, correspondenceTerminated: flag } : row;
    });
    return ok({ ...page, rows });
  }
}
