import type { Principal } from '../../auth/principal';

/** The annual / quarterly / monthly summary (справка) with the comparison period. */
export type SummaryPeriod =
  | { kind: 'annual'; year: number; compareTo?: number }
  | { kind: 'quarterly'; year: number; quarter: number; compareTo?: number }
  | { kind: 'monthly'; year: number; month: number; compareTo?: number };

export class GetSummaryReportQuery {
  constructor(
    readonly period: SummaryPeriod,
    /** who reads: the summary covers the whole administration, so only its whole-administration readers */
    readonly principal: Principal,
    /** report date (answered late is judged as of it); default today */
    readonly asOf?: string,
    readonly minPosition?: number,
  ) {}
}
