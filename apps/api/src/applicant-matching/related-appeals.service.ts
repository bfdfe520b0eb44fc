/** Related appeals for the API: waits for the read models, then asks them (related-appeals.ts). */
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { JOURNAL_PROJECTION } from '@appeal-ledger/projections';
import { mayReadAppeal } from '../access/access-policy';
import type { Principal } from '../auth/principal';
import { PG_POOL } from '../infrastructure/infrastructure.module';
import { ProjectionsService } from '../read-models/projections.service';
import { APPLICANT_INDEX_PROJECTION } from './applicant-index.projection';
import { findRelatedAppeals, type RelatedAppeal } from './related-appeals';

/** How long the registration's answer waits for the read models before it goes without `related`. */
const REGISTRATION_WAIT_MS = 3000;

@Injectable()
export class RelatedAppealsService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly projections: ProjectionsService,
  ) {}

  /**
   * The earlier appeals related to `appealId` that `principal` may see, once both read models have
   * applied `position` (waiting at most `waitMs`); null when they have not got there (or do not know
   * the appeal yet).
   */
  async find(
    appealId: string,
    principal: Principal,
    position?: number,
    waitMs = REGISTRATION_WAIT_MS,
  ): Promise<RelatedAppeal[] | null> {
    if (position !== undefined) {
      const reached = await Promise.all(
        [APPLICANT_INDEX_PROJECTION, JOURNAL_PROJECTION].map((name) =>
          this.projections.runner.waitForPosition(name, position, waitMs),
        ),
      );
      if (!reached.every(Boolean)) return null;
    }
    return findRelatedAppeals(this.pool, appealId, (facts) => mayReadAppeal(principal, facts, 'related'));
  }
}
