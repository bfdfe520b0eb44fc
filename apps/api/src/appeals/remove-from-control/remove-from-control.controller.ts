/** POST /appeals/{id}/closure: remove the appeal from control (closes it). */
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
import { RemoveFromControlCommand } from './remove-from-control.command';
import { RemoveFromControlDto } from './remove-from-control.dto';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('appeals')
export class RemoveFromControlController {
  constructor(
    private readonly bus: CommandBus,
    private readonly renderer: AppealSummaryRenderer,
  ) {}

  @Post(':id/closure')
  @HttpCode(200)
  @Roles('controller', 'admin')
  @ApiOperation({ summary: 'Remove the appeal from control (closes it)' })
  async removeFromControl(
    @Param('id') id: string,
    @Body() body: RemoveFromControlDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<AppealSummary> {
    const command = new RemoveFromControlCommand(
      assertAppealId(id),
      body,
      commandRequest(req, principal, body),
    );
    const outcome = await this.bus.execute<RemoveFromControlCommand, CommandOutcome>(command);
    return respond(res, this.renderer, principal, outcome);
  }
}
