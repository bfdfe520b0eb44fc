/**
 * Who reads which reminders, and the query parameters GET /reminders and /reminders/stream share.
 * Controllers, supervisors and admins read every department's; an executor (with no wider role)
 * reads the reminders about appeals assigned to them.
 */
import { MAX_FEED_LIMIT, type ReminderFeedFilter } from '@appeal-ledger/reminders';
import type { Principal, Role } from '../auth/principal';
import { Problem } from '../http/problem';

export const REMINDER_READERS: Role[] = ['controller', 'supervisor', 'admin', 'executor'];
const SEES_ALL: readonly Role[] = ['controller', 'supervisor', 'admin'];

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
  if (!principal.roles.some((role) => SEES_ALL.includes(role))) filter.executorId = principal.id;
  const minPosition = position('minPosition', params.minPosition);
  return minPosition === undefined ? { filter } : { filter, minPosition };
}
