/** Records the final answer from the assigned executor, with a result per question. */
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { businessInstant } from '../../shared/business-time';
import { CLOCK, type Clock } from '../../shared/clock';
import { AppealCommandService, type CommandOutcome } from '../appeal-command.service';
import { SendFinalAnswerCommand } from './send-final-answer.command';

@CommandHandler(SendFinalAnswerCommand)
export class SendFinalAnswerHandler implements ICommandHandler<SendFinalAnswerCommand, CommandOutcome> {
  constructor(
    private readonly commands: AppealCommandService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ appealId, body, request }: SendFinalAnswerCommand): Promise<CommandOutcome> {
    const at = businessInstant(body.sentAt, this.config.timeZone, this.clock.now());
    return this.commands.execute(appealId, request, () => ({
      occurredAt: at,
      command: {
        type: 'SendFinalAnswer',
        data: {
          sentAt: at,
          summary: body.summary,
          results: body.results.map((r) => ({
            questionCode: r.questionCode,
            result: r.result,
            measuresTaken: r.measuresTaken,
          })),
          onSiteVisit: body.onSiteVisit,
        },
      },
    }));
  }
}
