/** RegisterAppeal as it travels the CommandBus: the validated body plus who sent it and how. */
import type { CommandRequest } from '../appeal-command.service';
import type { RegisterAppealDto } from './register-appeal.dto';

export class RegisterAppealCommand {
  constructor(
    readonly body: RegisterAppealDto,
    readonly request: CommandRequest,
  ) {}
}
