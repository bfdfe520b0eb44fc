/** Assigns (or reassigns) the executor per the head's resolution. */
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { businessInstant } from '../../shared/business-time';
import { CLOCK, type Clock } from '../../shared/clock';
import { AppealCommandService, type CommandOutcome } from '../appeal-command.service';
import { AssignExecutorCommand } from './assign-executor.command';

@CommandHandler(AssignExecutorCommand)
export class AssignExecutorHandler implements ICommandHandler<AssignExecutorCommand, CommandOutcome> {
  constructor(
    private readonly commands: AppealCommandService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ appealId, body, request }: AssignExecutorCommand): Promise<CommandOutcome> {
    const assignedAt = businessInstant(body.assignedAt, this.config.timeZone, this.clock.now());
    return this.commands.execute(appealId, request, () => ({
      occurredAt: assignedAt,
      command: {
        type: 'AssignExecutor',
        data: {
          executor: { id: body.executor.id, name: body.executor.name },
          department: body.department,
          instructions: body.instructions,
          assignedAt,
        },
      },
    }));
  }
}
