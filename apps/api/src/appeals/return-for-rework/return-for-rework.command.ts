/** ReturnForRework on the CommandBus. */
import type { CommandRequest } from '../appeal-command.service';
import type { ReturnForReworkDto } from './return-for-rework.dto';

export class ReturnForReworkCommand {
  constructor(
    readonly appealId: string,
    readonly body: ReturnForReworkDto,
    readonly request: CommandRequest,
  ) {}
}
