/** POST /appeals/{id}/rework: send a final answer back to the executor for rework. */
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
import { ReturnForReworkCommand } from './return-for-rework.command';
import { ReturnForReworkDto } from './return-for-rework.dto';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('appeals')
export class ReturnForReworkController {
  constructor(
    private readonly bus: CommandBus,
    private readonly renderer: AppealSummaryRenderer,
  ) {}

  @Post(':id/rework')
  @HttpCode(200)
  @Roles('controller', 'admin')
  @ApiOperation({ summary: 'Send a final answer back to the executor for rework' })
  async returnForRework(
    @Param('id') id: string,
    @Body() body: ReturnForReworkDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<AppealSummary> {
    const command = new ReturnForReworkCommand(
      assertAppealId(id),
      body,
      commandRequest(req, principal, body),
    );
    const outcome = await this.bus.execute<ReturnForReworkCommand, CommandOutcome>(command);
    return respond(res, this.renderer, principal, outcome);
  }
}
