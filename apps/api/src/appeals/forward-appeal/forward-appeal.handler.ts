/** Forwards the appeal by competence (art. 8 59-FZ): it leaves control, every question forwarded. */
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { businessInstant } from '../../shared/business-time';
import { CLOCK, type Clock } from '../../shared/clock';
import { AppealCommandService, type CommandOutcome } from '../appeal-command.service';
import { ForwardAppealCommand } from './forward-appeal.command';

@CommandHandler(ForwardAppealCommand)
export class ForwardAppealHandler implements ICommandHandler<ForwardAppealCommand, CommandOutcome> {
  constructor(
    private readonly commands: AppealCommandService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ appealId, body, request }: ForwardAppealCommand): Promise<CommandOutcome> {
    const at = businessInstant(body.sentAt, this.config.timeZone, this.clock.now());
    return this.commands.execute(appealId, request, () => ({
      occurredAt: at,
      command: { type: 'ForwardByCompetence', data: { to: body.to, sentAt: at, reference: body.reference } },
    }));
  }
}
