/** Errors a caller can map to a 400: the request named something malformed or impossible. */
export class InvalidReportQueryError extends Error {
  override readonly name = 'InvalidReportQueryError';
  constructor(
    message: string,
    /** the query parameter at fault */
    readonly field: string,
  ) {
    super(message);
  }
}
