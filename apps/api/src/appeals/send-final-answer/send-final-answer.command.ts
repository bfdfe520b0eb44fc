/** SendFinalAnswer on the CommandBus. */
import type { CommandRequest } from '../appeal-command.service';
import type { SendFinalAnswerDto } from './send-final-answer.dto';

export class SendFinalAnswerCommand {
  constructor(
    readonly appealId: string,
    readonly body: SendFinalAnswerDto,
    readonly request: CommandRequest,
  ) {}
}
