/** Sends a final answer back to the executor; the appeal returns to work. */
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { businessInstant } from '../../shared/business-time';
import { CLOCK, type Clock } from '../../shared/clock';
import { AppealCommandService, type CommandOutcome } from '../appeal-command.service';
import { ReturnForReworkCommand } from './return-for-rework.command';

@CommandHandler(ReturnForReworkCommand)
export class ReturnForReworkHandler implements ICommandHandler<ReturnForReworkCommand, CommandOutcome> {
  constructor(
    private readonly commands: AppealCommandService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ appealId, body, request }: ReturnForReworkCommand): Promise<CommandOutcome> {
    const at = businessInstant(body.returnedAt, this.config.timeZone, this.clock.now());
    return this.commands.execute(appealId, request, () => ({
      occurredAt: at,
      command: { type: 'ReturnForRework', data: { reason: body.reason, returnedAt: at } },
    }));
  }
}
