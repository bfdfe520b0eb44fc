/**
 * What a service answers: its value, or a refusal — a value too, never an HTTP error. Refusals carry
 * `ok: false` and a `reason`, as the domain's (libs/appeal `Refusal`) do; the HTTP edge turns them
 * into problem+json in one place (http/refusal-problem.ts).
 */
export type Refused = { ok: false; reason: string };

export type Outcome<T, R extends Refused> = { ok: true; value: T } | R;

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}
