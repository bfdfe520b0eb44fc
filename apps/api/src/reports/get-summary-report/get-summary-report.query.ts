/** The annual / quarterly / monthly summary (справка) with the comparison period. */
export type SummaryPeriod =
  | { kind: 'annual'; year: number; compareTo?: number }
  | { kind: 'quarterly'; year: number; quarter: number; compareTo?: number }
  | { kind: 'monthly'; year: number; month: number; compareTo?: number };

export class GetSummaryReportQuery {
  constructor(
    readonly period: SummaryPeriod,
    /** report date (answered late is judged as of it); default today */
    readonly asOf?: string,
    readonly minPosition?: number,
  ) {}
}
