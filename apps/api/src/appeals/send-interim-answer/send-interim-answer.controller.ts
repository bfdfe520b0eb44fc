/** POST /appeals/{id}/interim-answers: send an interim answer; the appeal stays under control. */
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
import { SendInterimAnswerCommand } from './send-interim-answer.command';
import { SendInterimAnswerDto } from './send-interim-answer.dto';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('appeals')
export class SendInterimAnswerController {
  constructor(
    private readonly bus: CommandBus,
    private readonly renderer: AppealSummaryRenderer,
  ) {}

  @Post(':id/interim-answers')
  @HttpCode(200)
  @Roles('executor', 'admin')
  @ApiOperation({ summary: 'Send an interim answer; the appeal stays under control' })
  async sendInterimAnswer(
    @Param('id') id: string,
    @Body() body: SendInterimAnswerDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<AppealSummary> {
    const command = new SendInterimAnswerCommand(
      assertAppealId(id),
      body,
      commandRequest(req, principal, body),
    );
    const outcome = await this.bus.execute<SendInterimAnswerCommand, CommandOutcome>(command);
    return respond(res, this.renderer, principal, outcome);
  }
}
