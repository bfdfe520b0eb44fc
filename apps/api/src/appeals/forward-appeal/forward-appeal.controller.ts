/** POST /appeals/{id}/forwarding: forward the appeal by competence; every question gets forwarded. */
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
import { ForwardAppealCommand } from './forward-appeal.command';
import { ForwardAppealDto } from './forward-appeal.dto';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('appeals')
export class ForwardAppealController {
  constructor(
    private readonly bus: CommandBus,
    private readonly renderer: AppealSummaryRenderer,
  ) {}

  @Post(':id/forwarding')
  @HttpCode(200)
  @Roles('registrar', 'controller', 'admin')
  @ApiOperation({ summary: 'Forward the appeal by competence; every question gets forwarded' })
  async forwardAppeal(
    @Param('id') id: string,
    @Body() body: ForwardAppealDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<AppealSummary> {
    const command = new ForwardAppealCommand(assertAppealId(id), body, commandRequest(req, principal, body));
    const outcome = await this.bus.execute<ForwardAppealCommand, CommandOutcome>(command);
    return respond(res, this.renderer, principal, outcome);
  }
}
