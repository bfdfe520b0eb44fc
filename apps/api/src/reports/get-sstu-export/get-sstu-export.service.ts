/**
 * The ССТУ.РФ export of one month (docs/sstu.md), built from the ССТУ read model, opening the first
 * applicant of each appeal in it (the portal asks for the name, address and e-mail) — each reading on
 * record in the personal-data access log before the file is answered.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import {
  buildSstuExport,
  findSstuMonth,
  SSTU_PROJECTION,
  sstuMonth,
  type SstuApplicant,
  type SstuExport,
} from '@appeal-ledger/projections';
import { listScope } from '../../access/access-policy';
import { AppealRepository } from '../../appeals/appeal.repository';
import type { Principal } from '../../auth/principal';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { PG_POOL } from '../../infrastructure/infrastructure.module';
import { PersonalDataAccessLog } from '../../personal-data/personal-data-access-log';
import { PersonalDataVault, type SealedApplicant } from '../../personal-data/personal-data.vault';
import { ProjectionsService } from '../../read-models/projections.service';
import { CLOCK, type Clock } from '../../shared/clock';
import { ok } from '../../shared/outcome';
import { forbidden, readModelQuery, type Read, type ReadRefusal } from '../../shared/read-refusal';
import { sstuBodyKey } from './sstu-config';

export const SSTU_REFUSAL =
  "the ССТУ.РФ export reports the whole administration's appeals: it is sent by an admin or a controller without a department (docs/access.md)";

/** The export is not configured: SSTU_DEPARTMENT_ID is not set (409 sstu-not-configured). */
export interface SstuNotConfigured {
  ok: false;
  reason: 'sstu_not_configured';
  message: string;
}

export interface GetSstuExportInput {
  /** `YYYY-MM` */
  month: string;
  /** who downloads: the reporting roles, for the whole administration (docs/access.md) */
  principal: Principal;
  minPosition?: number;
}

/** Why `principal` may not send the export, or undefined when they may (asked before anything else). */
export function sstuRefusalFor(principal: Principal): ReadRefusal | undefined {
  return listScope(principal, 'sstu_export') === undefined ? forbidden(SSTU_REFUSAL) : undefined;
}

@Injectable()
export class GetSstuExport {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly projections: ProjectionsService,
    private readonly repository: AppealRepository,
    private readonly vault: PersonalDataVault,
    private readonly accessLog: PersonalDataAccessLog,
  ) {}

  async read({
    month,
    principal,
    minPosition,
  }: GetSstuExportInput): Promise<Read<SstuExport, ReadRefusal | SstuNotConfigured>> {
    const refusal = sstuRefusalFor(principal);
    if (refusal) return refusal;
    const { departmentId, departments } = this.config.sstu;
    if (departmentId === undefined)
      return {
        ok: false,
        reason: 'sstu_not_configured',
        message: "set SSTU_DEPARTMENT_ID to the body's ССТУ identifier (README, Configuration)",
      };
    const checked = await readModelQuery(() => sstuMonth(month));
    if (!checked.ok) return checked;
    const period = checked.value;
    await this.projections.awaitPosition(minPosition, [SSTU_PROJECTION]);
    // the month's appeals, with the originals its joined duplicates are reported with (docs/sstu.md)
    const { rows, originals } = await findSstuMonth(this.pool, period);
    const applicants = await this.firstApplicants(
      rows.map((r) => r.appeal_id),
      principal,
    );
    return ok(
      buildSstuExport(
        period,
        rows,
        applicants,
        { departmentId, departmentIdOf: (name) => departments.get(sstuBodyKey(name)) },
        this.clock.now().toISOString(),
        (id) => originals.get(id),
      ),
    );
  }

  /**
   * The first applicant of each appeal (the portal's `name`, `address`, `email`), opened only once
   * the readings are recorded; the others are not opened at all.
   */
  private async firstApplicants(ids: string[], principal: Principal): Promise<Map<string, SstuApplicant>> {
    const firsts = new Map<string, SealedApplicant>();
    await this.repository.warm(ids);
    for (const id of ids) {
      const appeal = this.repository.cached(id) ?? (await this.repository.load(id));
      const first = appeal?.sealedApplicants[0];
      if (first) firsts.set(id, first);
    }
    await this.accessLog.record(
      principal,
      'sstu_export',
      [...firsts]
        .filter(([, a]) => a.sealed !== undefined)
        .map(([appealId]) => ({ appealId, applicants: 1 })),
    );
    const ordered = [...firsts];
    const opened = await this.vault.open(ordered.map(([, a]) => a));
    const out = new Map<string, SstuApplicant>();
    ordered.forEach(([id], i) => {
      const a = opened[i];
      out.set(
        id,
        a.erased
          ? { erased: true }
          : {
              ...(a.name !== undefined && { name: a.name }),
              ...(a.address !== undefined && { address: a.address }),
              ...(a.email !== undefined && { email: a.email }),
            },
      );
    });
    return out;
  }
}
