/** Every event of one appeal, in order, for the audit. */
export class GetAppealHistoryQuery {
  constructor(readonly appealId: string) {}
}
