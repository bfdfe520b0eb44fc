/** Extends the consideration term (art. 12 59-FZ): days are added to the nominal end. */
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { businessInstant } from '../../shared/business-time';
import { CLOCK, type Clock } from '../../shared/clock';
import { AppealCommandService, type CommandOutcome } from '../appeal-command.service';
import { ExtendDeadlineCommand } from './extend-deadline.command';

@CommandHandler(ExtendDeadlineCommand)
export class ExtendDeadlineHandler implements ICommandHandler<ExtendDeadlineCommand, CommandOutcome> {
  constructor(
    private readonly commands: AppealCommandService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ appealId, body, request }: ExtendDeadlineCommand): Promise<CommandOutcome> {
    const at = businessInstant(body.extendedAt, this.config.timeZone, this.clock.now());
    return this.commands.execute(appealId, request, () => ({
      occurredAt: at,
      command: { type: 'ExtendDeadline', data: { days: body.days, reason: body.reason, extendedAt: at } },
    }));
  }
}
