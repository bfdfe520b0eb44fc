/** The query string GET /reminders and /reminders/stream share (HTTP edge: a bad value is a 400). */
import { MAX_FEED_LIMIT, type ReminderFeedFilter } from '@appeal-ledger/reminders';
import { Problem } from '../../http/problem';

/** Query strings as the framework parses them (a repeated parameter becomes a list). */
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

/** The filter the query names, before the reader's scope narrows it (GetReminders, the stream). */
export function parseReminderQuery(params: ReminderQueryParams): {
  filter: Omit<ReminderFeedFilter, 'scope'>;
  minPosition?: number;
} {
  const limit = position('limit', params.limit);
  if (limit !== undefined && (limit < 1 || limit > MAX_FEED_LIMIT))
    throw Problem.validation([{ field: 'limit', message: `must be from 1 to ${MAX_FEED_LIMIT}` }]);
  const department = text('department', params.department);
  const appealId = text('appealId', params.appealId)?.toLowerCase();
  const filter = {
    since: position('since', params.since) ?? 0,
    ...(department !== undefined ? { department } : {}),
    ...(appealId !== undefined ? { appealId } : {}),
    ...(limit !== undefined ? { limit } : {}),
  };
  const minPosition = position('minPosition', params.minPosition);
  return minPosition === undefined ? { filter } : { filter, minPosition };
}
