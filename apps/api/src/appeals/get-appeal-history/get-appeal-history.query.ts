/** Every event of one appeal, in order, for the audit — for one reader. */
import type { Principal } from '../../auth/principal';

export class GetAppealHistoryQuery {
  constructor(
    readonly appealId: string,
    /** who reads: the access policy decides on the appeal's assignment now */
    readonly principal: Principal,
  ) {}
}
