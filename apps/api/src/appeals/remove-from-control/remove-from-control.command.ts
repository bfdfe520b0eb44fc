/** RemoveFromControl on the CommandBus. */
import type { CommandRequest } from '../appeal-command.service';
import type { RemoveFromControlDto } from './remove-from-control.dto';

export class RemoveFromControlCommand {
  constructor(
    readonly appealId: string,
    readonly body: RemoveFromControlDto,
    readonly request: CommandRequest,
  ) {}
}
