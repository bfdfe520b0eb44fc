/** ExtendDeadline on the CommandBus. */
import type { CommandRequest } from '../appeal-command.service';
import type { ExtendDeadlineDto } from './extend-deadline.dto';

export class ExtendDeadlineCommand {
  constructor(
    readonly appealId: string,
    readonly body: ExtendDeadlineDto,
    readonly request: CommandRequest,
  ) {}
}
