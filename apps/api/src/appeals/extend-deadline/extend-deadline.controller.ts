/** POST /appeals/{id}/deadline-extensions: extend the consideration term (by up to 30 days in total). */
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
import { ExtendDeadlineCommand } from './extend-deadline.command';
import { ExtendDeadlineDto } from './extend-deadline.dto';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('appeals')
export class ExtendDeadlineController {
  constructor(
    private readonly bus: CommandBus,
    private readonly renderer: AppealSummaryRenderer,
  ) {}

  @Post(':id/deadline-extensions')
  @HttpCode(200)
  @Roles('controller', 'admin')
  @ApiOperation({ summary: 'Extend the consideration term (by up to 30 days in total)' })
  async extendDeadline(
    @Param('id') id: string,
    @Body() body: ExtendDeadlineDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<AppealSummary> {
    const command = new ExtendDeadlineCommand(assertAppealId(id), body, commandRequest(req, principal, body));
    const outcome = await this.bus.execute<ExtendDeadlineCommand, CommandOutcome>(command);
    return respond(res, this.renderer, principal, outcome);
  }
}
