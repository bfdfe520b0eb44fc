/** POST /appeals/{id}/final-answer: send the final answer with a result for every question. */
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
import { SendFinalAnswerCommand } from './send-final-answer.command';
import { SendFinalAnswerDto } from './send-final-answer.dto';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('appeals')
export class SendFinalAnswerController {
  constructor(
    private readonly bus: CommandBus,
    private readonly renderer: AppealSummaryRenderer,
  ) {}

  @Post(':id/final-answer')
  @HttpCode(200)
  @Roles('executor', 'admin')
  @ApiOperation({ summary: 'Send the final answer with a result for every question' })
  async sendFinalAnswer(
    @Param('id') id: string,
    @Body() body: SendFinalAnswerDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<AppealSummary> {
    const command = new SendFinalAnswerCommand(
      assertAppealId(id),
      body,
      commandRequest(req, principal, body),
    );
    const outcome = await this.bus.execute<SendFinalAnswerCommand, CommandOutcome>(command);
    return respond(res, this.renderer, principal, outcome);
  }
}
