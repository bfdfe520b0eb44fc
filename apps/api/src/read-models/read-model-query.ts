/** Query-string rules shared by the read-model endpoints (GET /control, /reports/*). */
import { InvalidReportQueryError } from '@appeal-ledger/projections';
import { Problem } from '../http/problem';

/** `minPosition=<n>`: a consistency token from a command response. */
export function parseMinPosition(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw))
    throw Problem.validation([{ field: 'minPosition', message: 'must be a non-negative integer' }]);
  return Number(raw);
}

export function parseIntParam(
  raw: string | undefined,
  field: string,
  min: number,
  max: number,
): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw) || value < min || value > max) {
    throw Problem.validation([{ field, message: `must be an integer from ${min} to ${max}` }]);
  }
  return value;
}

export function parseBoolParam(raw: string | undefined, field: string): boolean | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw Problem.validation([{ field, message: 'must be true or false' }]);
}

/** Maps the projections library's query errors to 400 problems; passes anything else on. */
export async function asProblem<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InvalidReportQueryError)
      throw Problem.validation([{ field: error.field, message: error.message }]);
    throw error;
  }
}
