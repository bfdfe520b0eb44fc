/**
 * The filters by the appeal's law flags, one definition for every list that reads a control row
 * (`GET /control`, the web journal and its CSV, the control board): registered late (59-FZ art. 8
 * ч.2), forwarded late (art. 8 ч.3), extended (art. 12 ч.2), on further control until the measures
 * are taken, the result owed to the body that sent the appeal (`source.reportBackBy`), left without
 * an answer on the merits (art. 11), by ground. The columns are the control row's (`rm_control` and
 * `rm_journal` both carry them since their version 2): no read-model change.
 */
import { InvalidReportQueryError } from '../shared/errors';
import { WITHOUT_ANSWER_GROUNDS, type WithoutAnswerGround } from '../shared/event-store';

export interface AppealFlagFilters {
  /** true: only appeals registered after the three days of art. 8 ч.2; false: only those on time */
  registeredLate?: boolean;
  /** true: only appeals with a forwarding after the 7-day term of art. 8 ч.3; false: the others */
  forwardedLate?: boolean;
  /** true: only appeals whose term was extended; false: the others */
  extended?: boolean;
  /** true: only rows on further control whose measures are not completed; false: the others */
  onFurtherControl?: boolean;
  /** true: only rows owing the result to the sending body (on control, asked for, not reported); false: the others */
  reportToSourcePending?: boolean;
  /** true: only appeals left without an answer on the merits (art. 11); false: the others */
  leftWithoutAnswer?: boolean;
  /** only appeals left without an answer on this ground */
  withoutAnswerGround?: WithoutAnswerGround;
}

/** The filter names, in the order the pages and the API document them. */
export const APPEAL_FLAG_FILTERS = [
  'registeredLate',
  'forwardedLate',
  'extended',
  'onFurtherControl',
  'reportToSourcePending',
  'leftWithoutAnswer',
] as const satisfies readonly (keyof AppealFlagFilters)[];

export type AppealFlag = (typeof APPEAL_FLAG_FILTERS)[number];

/** The SQL condition of each flag on the control row aliased `a`. */
export const FLAG_SQL: Record<AppealFlag, string> = {
  registeredLate: 'a.registered_late',
  forwardedLate: 'a.forwarded_late',
  extended: 'a.extended',
  onFurtherControl:
    '(a.on_control AND a.further_control_until IS NOT NULL AND a.measures_completed_on IS NULL)',
  reportToSourcePending:
    '(a.on_control AND a.report_back_by IS NOT NULL AND a.reported_to_source_on IS NULL)',
  leftWithoutAnswer: '(a.without_answer_ground IS NOT NULL)',
};

/** Throws the 400 of a ground the law does not know. */
export function validateFlagFilters(filters: AppealFlagFilters): void {
  const ground = filters.withoutAnswerGround;
  if (ground !== undefined && !(WITHOUT_ANSWER_GROUNDS as readonly string[]).includes(ground)) {
    throw new InvalidReportQueryError(
      `withoutAnswerGround must be one of ${WITHOUT_ANSWER_GROUNDS.join(', ')}`,
      'withoutAnswerGround',
    );
  }
}

/** The WHERE conditions of the flags set in `filters` (the ground as a parameter). */
export function flagFilterSql(filters: AppealFlagFilters, param: (value: unknown) => string): string[] {
  validateFlagFilters(filters);
  const where: string[] = [];
  for (const flag of APPEAL_FLAG_FILTERS) {
    const value = filters[flag];
    if (value !== undefined) where.push(value ? FLAG_SQL[flag] : `NOT ${FLAG_SQL[flag]}`);
  }
  if (filters.withoutAnswerGround !== undefined)
    where.push(`a.without_answer_ground = ${param(filters.withoutAnswerGround)}`);
  return where;
}
