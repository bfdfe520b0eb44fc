/**
 * Who reads which reminders, and the query parameters GET /reminders and /reminders/stream share.
 * The access policy decides (docs/access.md): supervisors, admins and controllers without a
 * department read every reminder; a department's controller those about its appeals, an executor
 * those about the appeals assigned to them — both by the appeal's assignment now.
 */
import { CONTROL_SCHEMA } from '@appeal-ledger/projections';
import { MAX_FEED_LIMIT, type ReminderFeedFilter } from '@appeal-ledger/reminders';
import { listReaders, listScope } from '../access/access-policy';
import type { Principal, Role } from '../auth/principal';
import { Problem } from '../http/problem';

export const REMINDER_READERS: Role[] = listReaders('reminders');

/** The feed's scope for `principal`: undefined for every reminder; throws 403 when they may read none. */
export function reminderScopeFor(principal: Principal): ReminderFeedFilter['scope'] {
  const scope = listScope(principal, 'reminders');
  if (scope === undefined) throw Problem.forbidden('you may not read reminders');
  if (scope.all) return undefined;
  return {
    ...(scope.department !== undefined ? { department: scope.department } : {}),
    ...(scope.executorId !== undefined ? { executorId: scope.executorId } : {}),
    assignments: `${CONTROL_SCHEMA}.appeals`,
    // a co-executor reads the reminders of their own part (issue 14)
    coExecutors: true,
  };
}

/** Query strings as Express parses them (a repeated parameter becomes a list). */
export interface ReminderQueryParams {
  since?: unknown;
  department?: unknown;
  appealId?: unknown;
  limit?: unknown;
  minPosition?: unknown;
}

function position(field: string, raw: unknown): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw))
    throw Problem.validation([{ field, message: 'must be a whole number ≥ 0, given once' }]);
  return Number(raw);
}

function text(field: string, raw: unknown): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') throw Problem.validation([{ field, message: 'must be given once' }]);
  return raw;
}

export function parseReminderQuery(
  params: ReminderQueryParams,
  principal: Principal,
): { filter: ReminderFeedFilter; minPosition?: number } {
  const limit = position('limit', params.limit);
  if (limit !== undefined && (limit < 1 || limit > MAX_FEED_LIMIT))
    throw Problem.validation([{ field: 'limit', message: `must be from 1 to ${MAX_FEED_LIMIT}` }]);
  const department = text('department', params.department);
  const appealId = text('appealId', params.appealId)?.toLowerCase();
  const filter: ReminderFeedFilter = {
    since: position('since', params.since) ?? 0,
    ...(department !== undefined ? { department } : {}),
    ...(appealId !== undefined ? { appealId } : {}),
    ...(limit !== undefined ? { limit } : {}),
  };
  const scope = reminderScopeFor(principal);
  if (scope !== undefined) filter.scope = scope;
  const minPosition = position('minPosition', params.minPosition);
  return minPosition === undefined ? { filter } : { filter, minPosition };
}
