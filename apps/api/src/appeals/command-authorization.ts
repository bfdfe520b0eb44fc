/**
 * Who may run a command on an appeal, beyond the route's roles (the `@Roles` guard): the one
 * authorization step of the command pipeline. It runs before If-Match and the decider, on the
 * appeal's current state, and asks the access policy (access/access-policy.ts, docs/access.md):
 * executors act only on the appeals assigned to them now, department-bound controllers and
 * registrars only within their department, supervisors never. The answer is a refusal message or
 * undefined (allowed) — a value the HTTP edge turns into 403; the message names neither the
 * appeal's state nor its people.
 */
import type { AppealCommand, RegisteredAppealState } from '@appeal-ledger/appeal';
import { authorizeCommand } from '../access/access-policy';
import type { Principal } from '../auth/principal';

/** A refusal message when `principal` may not run `command` on the appeal in `state`. */
export function authorize(
  principal: Principal,
  state: RegisteredAppealState,
  command: AppealCommand,
): string | undefined {
  const access = authorizeCommand(principal, state, command);
  return access.allowed ? undefined : access.reason;
}
