/** Removes an answered appeal from control (снятие с контроля): the appeal is closed. */
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { businessInstant } from '../../shared/business-time';
import { CLOCK, type Clock } from '../../shared/clock';
import { AppealCommandService, type CommandOutcome } from '../appeal-command.service';
import { RemoveFromControlCommand } from './remove-from-control.command';

@CommandHandler(RemoveFromControlCommand)
export class RemoveFromControlHandler implements ICommandHandler<RemoveFromControlCommand, CommandOutcome> {
  constructor(
    private readonly commands: AppealCommandService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ appealId, body, request }: RemoveFromControlCommand): Promise<CommandOutcome> {
    const at = businessInstant(body.closedAt, this.config.timeZone, this.clock.now());
    return this.commands.execute(appealId, request, () => ({
      occurredAt: at,
      command: { type: 'RemoveFromControl', data: { closedAt: at } },
    }));
  }
}
