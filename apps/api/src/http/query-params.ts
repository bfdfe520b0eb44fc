/** Query-string rules shared by the read endpoints (GET /control, /reports/*, the pages): a bad value is a 400. */
import { Problem } from './problem';

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
