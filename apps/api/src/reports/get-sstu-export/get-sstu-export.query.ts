import type { Principal } from '../../auth/principal';

/** The ССТУ.РФ export of one month (docs/sstu.md). */
export class GetSstuExportQuery {
  constructor(
    /** `YYYY-MM`, already checked */
    readonly month: string,
    /** who downloads: the reporting roles, for the whole administration (docs/access.md) */
    readonly principal: Principal,
    readonly minPosition?: number,
  ) {}
}
