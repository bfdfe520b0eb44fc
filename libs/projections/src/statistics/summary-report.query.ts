/**
 * The annual / quarterly / monthly summary (справка): counts by registration date in the
 * administration's time zone, this period against the previous one, as docs/api.md (“Summary report shape”) shapes them.
 */
import type { SqlExecutor } from '../projection.port';
import { addDays, isIsoDate, monthRange, monthStart, quarterRange, yearRange } from '../shared/business-date';
import type { DateRange } from '../shared/business-date';
import type { Comparison } from '../shared/comparison';
import { compare } from '../shared/comparison';
import { InvalidReportQueryError } from '../shared/errors';
import type {
  AppealKind,
  Channel,
  ElectronicRoute,
  Form,
  IsoDate,
  OfficialRole,
  QuestionResult,
  SourceType,
  WithoutAnswerGround,
} from '../shared/event-store';
import {
  APPEAL_KINDS,
  CHANNELS,
  ELECTRONIC_ROUTES,
  FINAL_QUESTION_RESULTS,
  FORMS,
  OFFICIAL_ROLES,
  SOURCE_TYPES,
  WITHOUT_ANSWER_GROUNDS,
} from '../shared/event-store';
import { everyMemberOf } from '../shared/every-member';
import type { ReportCategory } from './report-categories';
import { categoryMatches, DEFAULT_REPORT_CATEGORIES } from './report-categories';
import type { AppealFactsRow } from './statistics.evolve';
import { contributions, counterKey } from './statistics.evolve';
import { STATISTICS_SCHEMA } from './statistics.projection';

// The report's lines are the domain's vocabularies (libs/appeal: FORMS, CHANNELS, SOURCE_TYPES,
// APPEAL_KINDS, OFFICIAL_ROLES), so a value added there is counted and printed here.
/** Every question result, in work last (the report's order); a result missing here fails to compile. */
export const REPORTED_RESULTS = everyMemberOf<QuestionResult>()([...FINAL_QUESTION_RESULTS, 'in_work']);
/** the classifier's sections, always listed (others appear when codes carry them) */
export const SECTIONS: readonly string[] = ['0001', '0002', '0003', '0004', '0005'];

export interface SummaryReport {
  period: DateRange;
  comparedTo: DateRange;
  /** the date "still without a final answer after the due date" is judged at */
  asOf: IsoDate;
  appeals: {
    total: Comparison;
    byForm: Record<Form, Comparison>;
    byChannel: Record<Channel, Comparison>;
    bySource: Record<SourceType, Comparison>;
    byKind: Record<AppealKind, Comparison>;
    repeat: Comparison;
    collective: Comparison;
    anonymous: Comparison;
    answeredLate: Comparison;
    /** with questions forwarded by competence (59-FZ art. 8 ч.3); `late`: after the 7-day term */
    forwarded: { total: Comparison; late: Comparison };
    /** left without an answer on the merits (art. 11), in total and by ground */
    leftWithoutAnswer: { total: Comparison; byGround: Record<WithoutAnswerGround, Comparison> };
    /** registered after the three days of 59-FZ art. 8 ч.2 */
    registeredLate: Comparison;
    /** electronic appeals by route, where recorded (59-FZ art. 4 п.1; e-mail only until 2025-03-29) */
    byElectronicRoute: Record<ElectronicRoute, Comparison>;
    /** put on further control after the final answer ("до принятия мер"), by registration date */
    onFurtherControl: Comparison;
    /**
     * Sent by another body that asked for the result (`source.reportBackBy`, issue 14): reported to it,
     * `late` those reported after the date asked for.
     */
    reportedToSource: { total: Comparison; late: Comparison };
    /** the result still owed at `asOf` after the date asked for (on control: not closed otherwise, not a duplicate) */
    reportBackOverdue: Comparison;
    /** with at least one co-executor named in a resolution (issue 14), by registration date */
    coExecuted: Comparison;
  };
  questions: {
    total: Comparison;
    bySection: Record<string, Comparison>;
    byCategory: Record<string, Comparison>;
    byResult: Record<QuestionResult, Comparison>;
    /** supported questions on which measures were taken (в т.ч. меры приняты) */
    measuresTaken: Comparison;
  };
  /**
   * Confirmed duplicates (дубликаты) registered in the period: other copies of appeals still under
   * consideration, answered with their originals and counted in no other figure (issue 15).
   */
  duplicates: Comparison;
  personalReception: {
    byOfficialRole: Record<OfficialRole, { questions: Comparison; onSite: Comparison }>;
  };
}

export interface SummaryOptions {
  /** report date, administration-local (usually today) */
  asOf: IsoDate;
}

type Counts = Map<string, number>;

const nextMonth = (month: IsoDate): IsoDate =>
  addDays(monthRange(Number(month.slice(0, 4)), Number(month.slice(5, 7))).to, 1);

/** Splits a range into whole months (read from counters) and edge days (read from facts). */
function splitByMonths(range: DateRange): { months: DateRange | null; edges: DateRange[] } {
  const firstWhole = range.from === monthStart(range.from) ? range.from : nextMonth(range.from);
  const afterLastWhole = monthStart(addDays(range.to, 1)); // first day of the month after the last whole month
  if (firstWhole >= afterLastWhole) return { months: null, edges: [range] };
  const edges: DateRange[] = [];
  if (range.from < firstWhole) edges.push({ from: range.from, to: addDays(firstWhole, -1) });
  if (afterLastWhole <= range.to) edges.push({ from: afterLastWhole, to: range.to });
  return { months: { from: firstWhole, to: addDays(afterLastWhole, -1) }, edges };
}

export class SummaryReports {
  private readonly categories: readonly ReportCategory[];

  constructor(
    private readonly db: SqlExecutor,
    options: { categories?: readonly ReportCategory[] } = {},
  ) {
    this.categories = options.categories ?? DEFAULT_REPORT_CATEGORIES;
  }

  /** `compareTo`: the year to compare with, default the year before. */
  async annual(year: number, options: SummaryOptions & { compareTo?: number }): Promise<SummaryReport> {
    checkYear(year, 'year');
    const compareTo = options.compareTo ?? year - 1;
    checkYear(compareTo, 'compareTo');
    return this.summary(yearRange(year), yearRange(compareTo), options);
  }

  async quarterly(
    year: number,
    quarter: number,
    options: SummaryOptions & { compareToYear?: number },
  ): Promise<SummaryReport> {
    checkYear(year, 'year');
    if (!Number.isInteger(quarter) || quarter < 1 || quarter > 4)
      throw new InvalidReportQueryError('quarter must be 1, 2, 3 or 4', 'quarter');
    const compareToYear = options.compareToYear ?? year - 1;
    checkYear(compareToYear, 'compareTo');
    return this.summary(quarterRange(year, quarter), quarterRange(compareToYear, quarter), options);
  }

  async monthly(
    year: number,
    month: number,
    options: SummaryOptions & { compareToYear?: number },
  ): Promise<SummaryReport> {
    checkYear(year, 'year');
    if (!Number.isInteger(month) || month < 1 || month > 12)
      throw new InvalidReportQueryError('month must be an integer from 1 to 12', 'month');
    const compareToYear = options.compareToYear ?? year - 1;
    checkYear(compareToYear, 'compareTo');
    return this.summary(monthRange(year, month), monthRange(compareToYear, month), options);
  }

  /** Any two periods; whole months are read from counters, other days from the per-appeal facts. */
  async summary(period: DateRange, comparedTo: DateRange, options: SummaryOptions): Promise<SummaryReport> {
    for (const [range, field] of [
      [period, 'period'],
      [comparedTo, 'compareTo'],
    ] as const) {
      if (!isIsoDate(range.from) || !isIsoDate(range.to) || range.from > range.to) {
        throw new InvalidReportQueryError(`${field} must be a range of dates from ≤ to`, field);
      }
    }
    if (!isIsoDate(options.asOf)) throw new InvalidReportQueryError('asOf must be a date YYYY-MM-DD', 'asOf');
    const [current, previous] = await Promise.all([
      this.counts(period, options.asOf),
      this.counts(comparedTo, options.asOf),
    ]);
    return summaryFromCounts(
      { period, comparedTo, asOf: options.asOf, categories: this.categories },
      current,
      previous,
    );
  }

  private async counts(range: DateRange, asOf: IsoDate): Promise<Counts> {
    const { months, edges } = splitByMonths(range);
    const counts: Counts = new Map();
    const add = (key: string, n: number): void => {
      counts.set(key, (counts.get(key) ?? 0) + n);
    };
    const queries: Promise<void>[] = [];
    if (months) {
      queries.push(
        this.db
          .query<{ key: string; n: number }>(
            `SELECT key, sum(n)::float8 AS n FROM ${STATISTICS_SCHEMA}.monthly_counters
             WHERE month BETWEEN $1::date AND $2::date GROUP BY key`,
            [months.from, months.to],
          )
          .then((r) => r.rows.forEach((row) => add(row.key, row.n))),
      );
    }
    for (const edge of edges) {
      queries.push(
        this.db
          .query<{ row: AppealFactsRow }>(
            `SELECT row_to_json(f) AS row FROM ${STATISTICS_SCHEMA}.appeal_facts f WHERE registered_on BETWEEN $1::date AND $2::date`,
            [edge.from, edge.to],
          )
          .then((r) => r.rows.forEach(({ row }) => contributions(row).forEach((n, key) => add(key, n)))),
      );
    }
    queries.push(
      this.db
        .query<{ n: number }>(
          `SELECT count(*)::float8 AS n FROM ${STATISTICS_SCHEMA}.appeal_facts
           WHERE disposition IS NULL AND answer_due AND duplicate_of IS NULL AND registered_on BETWEEN $1::date AND $2::date AND due_date < $3::date`,
          [range.from, range.to, asOf],
        )
        .then((r) => add(OPEN_PAST_DUE, r.rows[0]?.n ?? 0)),
    );
    queries.push(
      this.db
        .query<{ n: number }>(
          `SELECT count(*)::float8 AS n FROM ${STATISTICS_SCHEMA}.appeal_facts
           WHERE report_back_by IS NOT NULL AND reported_to_source_on IS NULL AND report_back_by < $3::date
             AND answer_due AND duplicate_of IS NULL AND (disposition IS NULL OR disposition = 'final')
             AND registered_on BETWEEN $1::date AND $2::date`,
          [range.from, range.to, asOf],
        )
        .then((r) => add(REPORT_BACK_OVERDUE, r.rows[0]?.n ?? 0)),
    );
    await Promise.all(queries);
    return counts;
  }
}

const CODE_PREFIX = counterKey.questionCode('');
/** not a stored counter: open appeals past their due date at the report date */
export const OPEN_PAST_DUE = 'open_past_due';
/** not a stored counter: reports to the sending body still owed after the date asked for, at the report date */
export const REPORT_BACK_OVERDUE = 'report_back_overdue';

/**
 * Shapes counter sums (key → count, as stored in `monthly_counters`, plus the open-past-due count)
 * into the report. Pure: sections and categories are summed from the per-code counts here.
 */
export function summaryFromCounts(
  context: { period: DateRange; comparedTo: DateRange; asOf: IsoDate; categories: readonly ReportCategory[] },
  current: ReadonlyMap<string, number>,
  previous: ReadonlyMap<string, number>,
): SummaryReport {
  const { period, comparedTo, asOf, categories } = context;
  const fig = (key: string): Comparison => compare(current.get(key) ?? 0, previous.get(key) ?? 0);
  const record = <K extends string>(keys: readonly K[], keyOf: (k: K) => string): Record<K, Comparison> =>
    Object.fromEntries(keys.map((k) => [k, fig(keyOf(k))])) as Record<K, Comparison>;

  // question codes → sections and categories
  const codeCounts = (counts: ReadonlyMap<string, number>): [string, number][] =>
    [...counts]
      .filter(([key]) => key.startsWith(CODE_PREFIX))
      .map(([key, n]) => [key.slice(CODE_PREFIX.length), n]);
  const currentCodes = codeCounts(current);
  const previousCodes = codeCounts(previous);
  const sum = (codes: [string, number][], match: (code: string) => boolean): number =>
    codes.reduce((total, [code, n]) => (match(code) ? total + n : total), 0);
  const sectionOf = (code: string): string => code.split('.')[0] ?? code;
  const sections = [
    ...new Set([...SECTIONS, ...[...currentCodes, ...previousCodes].map(([code]) => sectionOf(code))]),
  ].sort();
  const bySection = Object.fromEntries(
    sections.map((s) => [
      s,
      compare(
        sum(currentCodes, (c) => sectionOf(c) === s),
        sum(previousCodes, (c) => sectionOf(c) === s),
      ),
    ]),
  );
  const byCategory = Object.fromEntries(
    categories.map((cat) => [
      cat.name,
      compare(
        sum(currentCodes, (c) => categoryMatches(cat, c)),
        sum(previousCodes, (c) => categoryMatches(cat, c)),
      ),
    ]),
  );
  const withoutAnswer = (counts: ReadonlyMap<string, number>): number =>
    WITHOUT_ANSWER_GROUNDS.reduce((total, g) => total + (counts.get(counterKey.withoutAnswer(g)) ?? 0), 0);
  const late = (counts: ReadonlyMap<string, number>): number =>
    (counts.get(counterKey.endedLate) ?? 0) + (counts.get(OPEN_PAST_DUE) ?? 0);

  return {
    period,
    comparedTo,
    asOf,
    appeals: {
      total: fig(counterKey.appeals),
      byForm: record(FORMS, counterKey.form),
      byChannel: record(CHANNELS, counterKey.channel),
      bySource: record(SOURCE_TYPES, counterKey.source),
      byKind: record(APPEAL_KINDS, counterKey.kind),
      repeat: fig(counterKey.repeat),
      collective: fig(counterKey.collective),
      anonymous: fig(counterKey.anonymous),
      answeredLate: compare(late(current), late(previous)),
      forwarded: { total: fig(counterKey.forwarded), late: fig(counterKey.forwardedLate) },
      leftWithoutAnswer: {
        total: compare(withoutAnswer(current), withoutAnswer(previous)),
        byGround: record(WITHOUT_ANSWER_GROUNDS, counterKey.withoutAnswer),
      },
      registeredLate: fig(counterKey.registeredLate),
      byElectronicRoute: record(ELECTRONIC_ROUTES, counterKey.electronicRoute),
      onFurtherControl: fig(counterKey.furtherControl),
      reportedToSource: {
        total: fig(counterKey.reportedToSource),
        late: fig(counterKey.reportedToSourceLate),
      },
      reportBackOverdue: fig(REPORT_BACK_OVERDUE),
      coExecuted: fig(counterKey.coExecuted),
    },
    questions: {
      total: fig(counterKey.questions),
      bySection,
      byCategory,
      byResult: record(REPORTED_RESULTS, counterKey.questionResult),
      measuresTaken: fig(counterKey.measuresTaken),
    },
    duplicates: fig(counterKey.duplicates),
    personalReception: {
      byOfficialRole: Object.fromEntries(
        OFFICIAL_ROLES.map((role) => [
          role,
          {
            questions: fig(counterKey.receptionQuestions(role)),
            onSite: fig(counterKey.receptionOnSite(role)),
          },
        ]),
      ) as Record<OfficialRole, { questions: Comparison; onSite: Comparison }>,
    },
  };
}

function checkYear(year: number, field: string): void {
  if (!Number.isInteger(year) || year < 1900 || year > 9999)
    throw new InvalidReportQueryError(`${field} must be a year like 2018`, field);
}
