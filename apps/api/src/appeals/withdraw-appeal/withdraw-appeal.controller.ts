/** POST /appeals/{id}/withdrawal: record the withdrawal of the appeal by its applicant. */
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
import { WithdrawAppealCommand } from './withdraw-appeal.command';
import { WithdrawAppealDto } from './withdraw-appeal.dto';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('appeals')
export class WithdrawAppealController {
  constructor(
    private readonly bus: CommandBus,
    private readonly renderer: AppealSummaryRenderer,
  ) {}

  @Post(':id/withdrawal')
  @HttpCode(200)
  @Roles('registrar', 'admin')
  @ApiOperation({ summary: 'Record the withdrawal of the appeal by its applicant' })
  async withdrawAppeal(
    @Param('id') id: string,
    @Body() body: WithdrawAppealDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<AppealSummary> {
    const command = new WithdrawAppealCommand(assertAppealId(id), body, commandRequest(req, principal, body));
    const outcome = await this.bus.execute<WithdrawAppealCommand, CommandOutcome>(command);
    return respond(res, this.renderer, principal, outcome);
  }
}
