/**
 * Who reads which reminders (GET /reminders, /reminders/stream, the «Напоминания» page). The access
 * policy decides (docs/access.md): supervisors, admins and controllers without a department read
 * every reminder; a department's controller those about its appeals, an executor those about the
 * appeals assigned to them — both by the appeal's assignment now.
 */
import { CONTROL_SCHEMA } from '@appeal-ledger/projections';
import type { ReminderFeedFilter } from '@appeal-ledger/reminders';
import { listReaders, listScope } from '../access/access-policy';
import type { Principal, Role } from '../auth/principal';
import { ok } from '../shared/outcome';
import { forbidden, type Read } from '../shared/read-refusal';

export const REMINDER_READERS: Role[] = listReaders('reminders');

/** The feed's scope for `principal`: undefined for every reminder; a refusal when they may read none. */
export function reminderScopeFor(principal: Principal): Read<ReminderFeedFilter['scope']> {
  const scope = listScope(principal, 'reminders');
  if (scope === undefined) return forbidden('you may not read reminders');
  if (scope.all) return ok(undefined);
  return ok({
    ...(scope.department !== undefined ? { department: scope.department } : {}),
    ...(scope.executorId !== undefined ? { executorId: scope.executorId } : {}),
    assignments: `${CONTROL_SCHEMA}.appeals`,
    // a co-executor reads the reminders of their own part (issue 14)
    coExecutors: true,
  });
}
