/**
 * The HTTP edge of the services' refusals: the one place a read's, a projection operation's or a
 * retention act's refusal becomes problem+json (a command's refusals: appeals/http/command-endpoint.ts
 * `refusalToProblem`). Services answer values (shared/outcome.ts); controllers and pages `answer()`.
 */
import type { SstuNotConfigured } from '../reports/get-sstu-export/get-sstu-export.service';
import type { ProjectionRefusal } from '../read-models/projections.service';
import type { RetentionActRefusal } from '../retention/retention.service';
import type { Outcome } from '../shared/outcome';
import type { ReadRefusal } from '../shared/read-refusal';
import { Problem } from './problem';

/** Every refusal a service answers with outside the command pipeline. */
export type ServiceRefusal = ReadRefusal | SstuNotConfigured | ProjectionRefusal | RetentionActRefusal;

export function refusalProblem(refusal: ServiceRefusal): Problem {
  switch (refusal.reason) {
    case 'not_found':
      return Problem.notFound(refusal.message);
    case 'forbidden':
      return Problem.forbidden(refusal.message);
    case 'invalid':
      return Problem.validation(refusal.errors);
    case 'sstu_not_configured':
      return Problem.conflict('sstu-not-configured', 'The ССТУ.РФ export is not configured', refusal.message);
    case 'unknown_projection':
      return Problem.notFound(refusal.message);
    case 'rebuild_in_progress':
      return Problem.conflict('rebuild-in-progress', 'A rebuild is in progress', refusal.message);
    case 'unavailable':
      return new Problem(503, 'unavailable', 'The database is unavailable', refusal.message);
    case 'act_after_today':
      return Problem.validation([
        { field: 'date', message: `the act cannot be dated after today (${refusal.today})` },
      ]);
    case 'retention_refused':
      return new Problem(
        422,
        'retention-refused',
        'The act cannot erase these appeals',
        `${refusal.refusals.length} of ${refusal.appeals} appeal(s) cannot be erased by this act: ${refusal.refusals
          .map((r) => `${r.appealId} (${r.reason})`)
          .join(', ')}`,
        { refusals: refusal.refusals },
      );
    default: {
      const never: never = refusal;
      throw new Error(`unknown refusal ${JSON.stringify(never)}`);
    }
  }
}

/** The service's value, or its refusal thrown as problem+json (the filter renders it). */
export function answer<T>(outcome: Outcome<T, ServiceRefusal>): T {
  if (outcome.ok) return outcome.value;
  throw refusalProblem(outcome);
}
