/** The appeal's state now, or as it was at an instant of business time. */
export class GetAppealQuery {
  constructor(
    readonly appealId: string,
    /** epoch ms; undefined for now */
    readonly asOfMs?: number,
  ) {}
}
