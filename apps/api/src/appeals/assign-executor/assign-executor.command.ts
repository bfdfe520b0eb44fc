/** AssignExecutor on the CommandBus: assigns the first executor, or reassigns. */
import type { CommandRequest } from '../appeal-command.service';
import type { AssignExecutorDto } from './assign-executor.dto';

export class AssignExecutorCommand {
  constructor(
    readonly appealId: string,
    readonly body: AssignExecutorDto,
    readonly request: CommandRequest,
  ) {}
}
