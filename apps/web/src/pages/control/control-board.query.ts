/**
 * Reads «Контроль»: the appeals on control from the control read model in four groups (overdue, due
 * today, due within the reminder window, the rest; the first 50 of each with the group's total) and
 * the counts per department and executor — of the rows the access policy lets the reader see.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { addDays, type AppealRules, type WorkingDayCalendar } from '@appeal-ledger/appeal';
import {
  CONTROL_PROJECTION,
  CONTROL_SCHEMA,
  CONTROL_STATES,
  flagFilterSql,
  rowScopeSql,
  type AppealFlagFilters,
  toControlRow,
  type ControlAppealRow,
  type RowScope,
  type SqlExecutor,
} from '@appeal-ledger/projections';
import { listScope } from '../../../../api/src/access/access-policy';
import { flagWithReadableReference } from '../../../../api/src/access/appeal-references';
import { AppealReferenceFilter } from '../../../../api/src/appeals/appeal-references.service';
import { APPEAL_RULES } from '../../../../api/src/appeals/appeal-rules.provider';
import type { Principal } from '../../../../api/src/auth/principal';
import { APP_CONFIG, type AppConfig } from '../../../../api/src/config/app-config';
import { Problem } from '../../../../api/src/http/problem';
import { PG_POOL } from '../../../../api/src/infrastructure/infrastructure.module';
import { ProjectionsService } from '../../../../api/src/read-models/projections.service';
import { findTerminations } from '../../../../api/src/applicant-matching/correspondence-terminations';
import { flagView } from '../../../../api/src/appeals/correspondence-termination/correspondence-termination.service';
import { today } from '../../../../api/src/shared/business-time';
import { CLOCK, type Clock } from '../../../../api/src/shared/clock';
import { parseBoolParam } from '../../../../api/src/http/query-params';
import {
  CONTROL_FLAG_FILTERS,
  type ControlBoardQuery,
  type ControlCount,
  type ControlGroup,
  type ControlView,
} from './control.page';

export const GROUP_LIMIT = 50;

/** The last date whose working days from `from` are at most `days` (the reminder window's end). */
export function windowEnd(from: string, days: number, calendar: WorkingDayCalendar): string {
  let date = from;
  let counted = 0;
  for (let guard = 0; guard < 400; guard++) {
    const next = addDays(date, 1);
    if (calendar.isWorkingDay(next)) {
      if (counted === days) return date;
      counted += 1;
    }
    date = next;
  }
  return date;
}

/** The board's flag filters from the query string ('true' / 'false'; anything else: a 400). */
export function boardFlags(query: ControlBoardQuery): AppealFlagFilters {
  const flags: AppealFlagFilters = {};
  for (const flag of CONTROL_FLAG_FILTERS) {
    const value = parseBoolParam(query[flag]?.trim(), flag);
    if (value !== undefined) flags[flag] = value;
  }
  return flags;
}

export type ControlBoardData = Pick<ControlView, 'groups' | 'counts' | 'windowDays' | 'ownOnly'>;

export interface ControlBoardContext {
  today: string;
  /** REMINDER_DAYS_BEFORE */
  windowDays: number;
  calendar: WorkingDayCalendar;
}

/** The board's SQL: four groups (first GROUP_LIMIT rows and the total of each) and the counts. */
export async function findControlBoard(
  db: SqlExecutor,
  query: ControlBoardQuery & { scope?: RowScope },
  context: ControlBoardContext,
): Promise<Omit<ControlBoardData, 'ownOnly'>> {
  const until = windowEnd(context.today, context.windowDays, context.calendar);
  const values: unknown[] = [context.today, until];
  // every statement gets the same parameters, so each names $1 and $2 (constants to the planner)
  const where = ['a.on_control', '$1::date IS NOT NULL', '$2::date IS NOT NULL'];
  const param = (value: unknown): string => {
    values.push(value);
    return `$${values.length}`;
  };
  if (query.scope !== undefined)
    where.push(rowScopeSql(query.scope, { department: 'a.department', executorId: 'a.executor_id' }, param));
  const department = query.department?.trim();
  if (department) where.push(`a.department = ${param(department)}`);
  const executorId = query.executorId?.trim();
  if (executorId) where.push(`a.executor_id = ${param(executorId)}`);
  if (query.state && (CONTROL_STATES as readonly string[]).includes(query.state))
    where.push(`a.state = ${param(query.state)}`);
  where.push(...flagFilterSql(boardFlags(query), param));
  const filter = where.join(' AND ');
  const conditions: Record<ControlGroup, string> = {
    overdue: 'a.resolved_on IS NULL AND a.due_date < $1::date',
    today: 'a.resolved_on IS NULL AND a.due_date = $1::date',
    soon: 'a.resolved_on IS NULL AND a.due_date > $1::date AND a.due_date <= $2::date',
    rest: '(a.resolved_on IS NOT NULL OR a.due_date > $2::date)',
  };
  const table = `${CONTROL_SCHEMA}.appeals`;
  const groupNames = Object.keys(conditions) as ControlGroup[];
  const [totals, counts, ...lists] = await Promise.all([
    db.query<Record<ControlGroup, string>>(
      `SELECT ${groupNames.map((g) => `count(*) FILTER (WHERE ${conditions[g]}) AS ${g}`).join(', ')}
         FROM ${table} a WHERE ${filter}`,
      values,
    ),
    db.query<{ department: string | null; executor: string | null; on_control: string; overdue: string }>(
      `SELECT a.department, a.executor_name AS executor, count(*) AS on_control,
              count(*) FILTER (WHERE ${conditions.overdue}) AS overdue
         FROM ${table} a WHERE ${filter}
        GROUP BY a.department, a.executor_name
        ORDER BY a.department NULLS FIRST, a.executor_name NULLS FIRST`,
      values,
    ),
    ...groupNames.map((g) =>
      db.query<{ row: ControlAppealRow }>(
        `SELECT row_to_json(a) AS row FROM ${table} a WHERE ${filter} AND ${conditions[g]}
          ORDER BY a.due_date, a.appeal_id LIMIT ${GROUP_LIMIT}`,
        values,
      ),
    ),
  ]);
  const rowContext = { today: context.today, calendar: context.calendar };
  const total = totals.rows[0];
  const groups = Object.fromEntries(
    groupNames.map((g, i) => [
      g,
      { rows: lists[i].rows.map((r) => toControlRow(r.row, rowContext)), total: Number(total?.[g] ?? 0) },
    ]),
  ) as ControlView['groups'];
  const perExecutor: ControlCount[] = counts.rows.map((r) => ({
    department: r.department,
    executor: r.executor,
    onControl: Number(r.on_control),
    overdue: Number(r.overdue),
  }));
  return { groups, counts: perExecutor, windowDays: context.windowDays };
}

@Injectable()
export class ControlBoardQueryService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APPEAL_RULES) private readonly rules: AppealRules,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly projections: ProjectionsService,
    private readonly references: AppealReferenceFilter,
  ) {}

  async read(
    query: ControlBoardQuery,
    principal: Principal,
    minPosition?: number,
  ): Promise<ControlBoardData> {
    boardFlags(query); // a malformed filter is a 400 before anything is read
    await this.projections.awaitPosition(minPosition, [CONTROL_PROJECTION]);
    const scope = listScope(principal, 'control');
    if (scope === undefined)
      throw Problem.forbidden('the control board is not among the pages your roles may use');
    // The reader's rows only (docs/access.md): an executor's own, a department's, or every row.
    const ownOnly = !scope.all && scope.department === undefined;
    const board = await findControlBoard(
      this.pool,
      { ...query, ...(scope.all ? {} : { scope }) },
      {
        today: today(this.config.timeZone, this.clock.now()),
        windowDays: this.config.reminderDaysBefore,
        calendar: this.rules.calendar,
      },
    );
    // 59-FZ art. 11 ч.5: rows whose applicant's correspondence on the question was terminated
    const ids = Object.values(board.groups).flatMap((g) => g.rows.map((r) => r.id));
    const flags = await findTerminations(this.pool, ids, this.config.timeZone);
    if (flags.size === 0) return { ...board, ownOnly };
    // a flag names the appeal correspondence was terminated on only when the reader may read it
    const readable = await this.references.readable(
      principal,
      [...flags.values()].flatMap((f) => f.map((one) => one.terminationAppealId)),
    );
    const groups = Object.fromEntries(
      Object.entries(board.groups).map(([g, data]) => [
        g,
        {
          ...data,
          rows: data.rows.map((r) => {
            const flag = flagView(flags.get(r.id));
            return flag ? { ...r, correspondenceTerminated: flagWithReadableReference(flag, readable) } : r;
          }),
        },
      ]),
    ) as ControlView['groups'];
    return { ...board, groups, ownOnly };
  }
}
