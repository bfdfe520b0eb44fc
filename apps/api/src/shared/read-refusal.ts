/**
 * Why a read is refused: the appeal or thing does not exist, the reader may not see it, or the query
 * asks for something the read model cannot answer. Values, framework-free; http/refusal-problem.ts
 * maps them to 404, 403 and 400.
 */
import type { FieldError } from '@appeal-ledger/appeal';
import { InvalidReportQueryError } from '@appeal-ledger/projections';
import { ok, type Outcome } from './outcome';

export type ReadRefusal =
  | { ok: false; reason: 'not_found'; message: string }
  | { ok: false; reason: 'forbidden'; message: string }
  | { ok: false; reason: 'invalid'; errors: FieldError[] };

/** A read's answer: the value, or a ReadRefusal (or the narrower refusals a read adds). */
export type Read<T, R extends { ok: false; reason: string } = ReadRefusal> = Outcome<T, R>;

export const notFound = (message: string): ReadRefusal => ({ ok: false, reason: 'not_found', message });

export const forbidden = (message: string): ReadRefusal => ({ ok: false, reason: 'forbidden', message });

export const invalid = (field: string, message: string): ReadRefusal => ({
  ok: false,
  reason: 'invalid',
  errors: [{ field, message }],
});

/**
 * Runs a read-model query; the projections library's query errors (`InvalidReportQueryError`: a
 * cursor or filter it cannot use) become an `invalid` refusal naming the field, anything else is
 * thrown on.
 */
export async function readModelQuery<T>(work: () => T | Promise<T>): Promise<Read<T>> {
  try {
    return ok(await work());
  } catch (error) {
    if (error instanceof InvalidReportQueryError) return invalid(error.field, error.message);
    throw error;
  }
}
