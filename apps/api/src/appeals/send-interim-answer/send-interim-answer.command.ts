/** SendInterimAnswer on the CommandBus. */
import type { CommandRequest } from '../appeal-command.service';
import type { SendInterimAnswerDto } from './send-interim-answer.dto';

export class SendInterimAnswerCommand {
  constructor(
    readonly appealId: string,
    readonly body: SendInterimAnswerDto,
    readonly request: CommandRequest,
  ) {}
}
