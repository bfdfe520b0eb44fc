/** ForwardAppeal on the CommandBus. */
import type { CommandRequest } from '../appeal-command.service';
import type { ForwardAppealDto } from './forward-appeal.dto';

export class ForwardAppealCommand {
  constructor(
    readonly appealId: string,
    readonly body: ForwardAppealDto,
    readonly request: CommandRequest,
  ) {}
}
