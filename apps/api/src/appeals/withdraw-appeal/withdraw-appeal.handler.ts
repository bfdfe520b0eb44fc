/** Records the withdrawal by the applicant: consideration ends. */
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { businessInstant } from '../../shared/business-time';
import { CLOCK, type Clock } from '../../shared/clock';
import { AppealCommandService, type CommandOutcome } from '../appeal-command.service';
import { WithdrawAppealCommand } from './withdraw-appeal.command';

@CommandHandler(WithdrawAppealCommand)
export class WithdrawAppealHandler implements ICommandHandler<WithdrawAppealCommand, CommandOutcome> {
  constructor(
    private readonly commands: AppealCommandService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ appealId, body, request }: WithdrawAppealCommand): Promise<CommandOutcome> {
    const at = businessInstant(body.withdrawnAt, this.config.timeZone, this.clock.now());
    return this.commands.execute(appealId, request, () => ({
      occurredAt: at,
      command: { type: 'WithdrawAppeal', data: { withdrawnAt: at, reason: body.reason } },
    }));
  }
}
