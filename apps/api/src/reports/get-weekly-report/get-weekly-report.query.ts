/** The weekly control report for the head's control meeting, as of the end of an ISO week. */
import type { Principal } from '../../auth/principal';

export class GetWeeklyReportQuery {
  constructor(
    readonly week: string,
    /** who reads: a department's controller or registrar gets their department's report */
    readonly principal: Principal,
    readonly minPosition?: number,
  ) {}
}
