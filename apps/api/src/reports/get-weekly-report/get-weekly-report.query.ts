/** The weekly control report for the head's control meeting, as of the end of an ISO week. */
export class GetWeeklyReportQuery {
  constructor(
    readonly week: string,
    readonly minPosition?: number,
  ) {}
}
