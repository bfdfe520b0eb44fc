/** The appeal's state now, or as it was at an instant of business time, for one reader. */
import type { Principal } from '../../auth/principal';

export class GetAppealQuery {
  constructor(
    readonly appealId: string,
    /** epoch ms; undefined for now */
    readonly asOfMs: number | undefined,
    /** who reads: the access policy decides on the appeal's assignment now */
    readonly principal: Principal,
  ) {}
}
