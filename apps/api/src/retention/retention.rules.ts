/**
 * When an appeal's file is due for the expert commission (ЭПК): the retention term (RETENTION_YEARS,
 * 5 by default) counts, as archival terms do, from 1 January of the year after the file was closed.
 * Closed in 2018 → due on 1 January 2024.
 */
export function retentionDueOn(closedOn: string, retentionYears: number): string {
  const year = Number(closedOn.slice(0, 4));
  return `${String(year + 1 + retentionYears).padStart(4, '0')}-01-01`;
}

/** The last closure year whose files are due on `today`. */
export function lastDueClosureYear(today: string, retentionYears: number): number {
  return Number(today.slice(0, 4)) - 1 - retentionYears;
}

/** The mark the archive list shows for a file awaiting the commission's decision. */
export const EXPERT_REVIEW_MARK = 'ЭПК';
