/** WithdrawAppeal on the CommandBus. */
import type { CommandRequest } from '../appeal-command.service';
import type { WithdrawAppealDto } from './withdraw-appeal.dto';

export class WithdrawAppealCommand {
  constructor(
    readonly appealId: string,
    readonly body: WithdrawAppealDto,
    readonly request: CommandRequest,
  ) {}
}
