/**
 * Reads a page of «Журнал»: the journal read model (after `minPosition`), and the applicants of the
 * page's rows (≤ 50 appeals, one store round trip and one key lookup) for the roles that may see
 * personal data — the read model itself holds none, so erasure needs no read-model rewrite.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { AppealRules } from '@appeal-ledger/appeal';
import type { WithoutAnswerGround } from '@appeal-ledger/appeal';
import {
  APPEAL_FLAG_FILTERS,
  type AppealFlagFilters,
  findJournalRows,
  JOURNAL_CHANNELS,
  JOURNAL_PROJECTION,
  type ControlAppealState,
  type JournalPage,
} from '@appeal-ledger/projections';
import { listScope } from '../../../../api/src/access/access-policy';
import { APPEAL_RULES } from '../../../../api/src/appeals/appeal-rules.provider';
import { AppealRepository } from '../../../../api/src/appeals/appeal.repository';
import type { Principal } from '../../../../api/src/auth/principal';
import { APP_CONFIG, type AppConfig } from '../../../../api/src/config/app-config';
import { Problem } from '../../../../api/src/http/problem';
import { PG_POOL } from '../../../../api/src/infrastructure/infrastructure.module';
import {
  PersonalDataVault,
  type SealedApplicant,
} from '../../../../api/src/personal-data/personal-data.vault';
import { PersonalDataAccessLog } from '../../../../api/src/personal-data/personal-data-access-log';
import { answer } from '../../../../api/src/http/refusal-problem';
import { ProjectionsService } from '../../../../api/src/read-models/projections.service';
import { readModelQuery } from '../../../../api/src/shared/read-refusal';
import { today } from '../../../../api/src/shared/business-time';
import { CLOCK, type Clock } from '../../../../api/src/shared/clock';
import type { JournalQuery } from './journal.page';

export interface JournalData extends JournalPage {
  applicants: ReadonlyMap<string, string> | null;
}

const text = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
};

/** 'true' / 'false' of a filter; anything else is a 400 shown on the page */
const booleanFilter = (value: string | undefined, field: string): boolean | undefined => {
  const given = text(value);
  if (given === undefined) return undefined;
  if (given === 'true' || given === 'false') return given === 'true';
  throw Problem.validation([{ field, message: 'must be true or false' }]);
};

/** The law flags of the query string (./journal.page.ts JOURNAL_FLAG_FILTERS), parsed; a bad one: 400. */
function flagFilters(query: JournalQuery): AppealFlagFilters {
  const flags: AppealFlagFilters = {};
  for (const flag of APPEAL_FLAG_FILTERS) {
    const value = booleanFilter(query[flag], flag);
    if (value !== undefined) flags[flag] = value;
  }
  const ground = text(query.withoutAnswerGround);
  if (ground !== undefined) flags.withoutAnswerGround = ground as WithoutAnswerGround;
  return flags;
}

@Injectable()
export class JournalPageQuery {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APPEAL_RULES) private readonly rules: AppealRules,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly projections: ProjectionsService,
    private readonly repository: AppealRepository,
    private readonly vault: PersonalDataVault,
    private readonly accessLog: PersonalDataAccessLog,
  ) {}

  async read(
    query: JournalQuery,
    principal: Principal,
    options: { minPosition?: number; limit?: number; forExport?: boolean } = {},
  ): Promise<JournalData> {
    await this.projections.awaitPosition(options.minPosition, [JOURNAL_PROJECTION]);
    const channel = text(query.channel);
    const scope = listScope(principal, 'journal');
    if (scope === undefined) throw Problem.forbidden('the journal is not among the pages your roles may use');
    const read = await readModelQuery(() =>
      findJournalRows(
        this.pool,
        {
          state: text(query.state) as ControlAppealState | undefined,
          department: text(query.department),
          executorId: text(query.executorId),
          channel: channel as (typeof JOURNAL_CHANNELS)[number] | undefined,
          questionCode: text(query.questionCode),
          territory: text(query.territory),
          from: text(query.from),
          to: text(query.to),
          number: text(query.number),
          ...flagFilters(query),
          cursor: text(query.cursor),
          limit: options.limit,
          ...(options.forExport === true && { forExport: true }),
          ...(scope.all ? {} : { scope }),
        },
        { today: today(this.config.timeZone, this.clock.now()), calendar: this.rules.calendar },
      ),
    );
    const page = answer(read);
    // Every row shown is within the reader's reach, and every journal reader may see personal data there.
    return {
      ...page,
      applicants: await this.applicantsOf(
        page.rows.map((r) => r.id),
        principal,
      ),
    };
  }

  /** «Петров П.П., Сидорова А.В.» per appeal; «аноним» without a name, «данные удалены» after erasure */
  private async applicantsOf(ids: string[], principal: Principal): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    if (ids.length === 0) return names;
    await this.repository.warm(ids);
    const sealed: SealedApplicant[] = [];
    const counts: [string, number][] = [];
    for (const id of ids) {
      const appeal = this.repository.cached(id) ?? (await this.repository.load(id));
      if (!appeal) continue;
      sealed.push(...appeal.sealedApplicants);
      counts.push([id, appeal.sealedApplicants.length]);
    }
    // Shown only once the reading is on record (152-FZ accountability).
    await this.accessLog.record(
      principal,
      'journal',
      counts.filter(([, n]) => n > 0).map(([appealId, applicants]) => ({ appealId, applicants })),
    );
    const opened = await this.vault.open(sealed);
    let at = 0;
    for (const [id, count] of counts) {
      const people = opened.slice(at, at + count);
      at += count;
      names.set(
        id,
        people.map((p) => (p.erased ? 'данные удалены' : (p.name ?? 'аноним'))).join(', ') || 'аноним',
      );
    }
    return names;
  }
}
