/** POST /appeals/{id}/assignment — controller assigns or reassigns the executor. */
import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply, HttpRequest } from '../../http/http-types';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import { AppealSummaryRenderer, type AppealSummary } from '../appeal-summary';
import type { CommandOutcome } from '../appeal-command.service';
import { assertAppealId, commandRequest } from '../http/command-request';
import { respond } from '../http/respond';
import { AssignExecutorCommand } from './assign-executor.command';
import { AssignExecutorDto } from './assign-executor.dto';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('appeals')
export class AssignExecutorController {
  constructor(
    private readonly bus: CommandBus,
    private readonly renderer: AppealSummaryRenderer,
  ) {}

  @Post(':id/assignment')
  @HttpCode(200)
  @Roles('controller', 'admin')
  @ApiOperation({ summary: 'Assign (or reassign) the executor' })
  async assign(
    @Param('id') id: string,
    @Body() body: AssignExecutorDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<AppealSummary> {
    const command = new AssignExecutorCommand(assertAppealId(id), body, commandRequest(req, principal, body));
    const outcome = await this.bus.execute<AssignExecutorCommand, CommandOutcome>(command);
    return respond(res, this.renderer, principal, outcome);
  }
}
