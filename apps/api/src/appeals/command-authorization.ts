/**
 * Who may run a command on an appeal, beyond the route's roles (the `@Roles` guard): the one
 * authorization step of the command pipeline. It runs before the decider, on the appeal's current
 * state, and answers with a refusal message or undefined (allowed) — a value the HTTP edge turns
 * into 403. Answers and final answers come from the executor the appeal is assigned to, or an
 * admin; document requests and their replies from the assigned executor, a controller or an admin.
 */
import type { AppealCommand, RegisteredAppealState } from '@appeal-ledger/appeal';
import type { Principal } from '../auth/principal';

/** A refusal message when `principal` may not run `command` on the appeal in `state`. */
export function authorize(
  principal: Principal,
  state: RegisteredAppealState,
  command: AppealCommand,
): string | undefined {
  switch (command.type) {
    case 'SendInterimAnswer':
    case 'SendFinalAnswer':
      return assignedExecutorOnly(principal, state);
    case 'RequestDocuments':
    case 'RecordDocumentsReply':
      return principal.roles.includes('controller') ? undefined : assignedExecutorOnly(principal, state);
    // The route's roles are the whole rule for these (exhaustive: a new command must choose here).
    case 'RegisterAppeal':
    case 'AssignExecutor':
    case 'ExtendDeadline':
    case 'ReturnForRework':
    case 'RemoveFromControl':
    case 'ForwardByCompetence':
    case 'WithdrawAppeal':
    case 'IssueDeadlineReminder':
      return undefined;
    default: {
      const unknown: never = command;
      throw new RangeError(`unknown command: ${JSON.stringify(unknown)}`);
    }
  }
}

function assignedExecutorOnly(principal: Principal, state: RegisteredAppealState): string | undefined {
  if (principal.roles.includes('admin')) return undefined;
  const { executor, number } = state.context;
  if (executor?.id === principal.id) return undefined;
  return executor
    ? `appeal ${number} is assigned to ${executor.name}; only the assigned executor may answer it`
    : `appeal ${number} has no executor yet; only the assigned executor may answer it`;
}
