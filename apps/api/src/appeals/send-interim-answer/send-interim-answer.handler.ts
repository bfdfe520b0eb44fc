/** Records an interim answer from the assigned executor; the appeal stays under control. */
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { businessInstant } from '../../shared/business-time';
import { CLOCK, type Clock } from '../../shared/clock';
import { AppealCommandService, type CommandOutcome } from '../appeal-command.service';
import { SendInterimAnswerCommand } from './send-interim-answer.command';

@CommandHandler(SendInterimAnswerCommand)
export class SendInterimAnswerHandler implements ICommandHandler<SendInterimAnswerCommand, CommandOutcome> {
  constructor(
    private readonly commands: AppealCommandService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ appealId, body, request }: SendInterimAnswerCommand): Promise<CommandOutcome> {
    const at = businessInstant(body.sentAt, this.config.timeZone, this.clock.now());
    return this.commands.execute(appealId, request, () => ({
      occurredAt: at,
      command: {
        type: 'SendInterimAnswer',
        data: { sentAt: at, summary: body.summary, finalAnswerBy: body.finalAnswerBy },
      },
    }));
  }
}
