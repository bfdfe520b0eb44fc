/**
 * POST /appeals/{id}/without-answer: leave the appeal without an answer on the merits, on a ground of
 * 59-FZ art. 11; its questions become `left_without_answer` and it leaves control.
 */
import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply, HttpRequest } from '../../http/http-types';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import type { AppealSummary } from '../appeal-summary';
import { AppealCommandEndpoint } from '../http/command-endpoint';
import { LeaveWithoutAnswerDto } from './leave-without-answer.dto';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('appeals')
export class LeaveWithoutAnswerController {
  constructor(private readonly endpoint: AppealCommandEndpoint) {}

  @Post(':id/without-answer')
  @HttpCode(200)
  @Roles('registrar', 'controller', 'admin')
  @ApiOperation({ summary: 'Leave the appeal without an answer on the merits (59-FZ art. 11)' })
  leaveWithoutAnswer(
    @Param('id') id: string,
    @Body() body: LeaveWithoutAnswerDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<AppealSummary> {
    const at = this.endpoint.at(body.decidedAt);
    return this.endpoint.run(
      req,
      res,
      principal,
      id,
      body,
      {
        type: 'LeaveWithoutAnswer',
        data: {
          ground: body.ground,
          decidedAt: at,
          ...(body.notice !== undefined && {
            notice: { sentAt: this.endpoint.at(body.notice.sentAt), text: body.notice.text },
          }),
          ...(body.link !== undefined && { link: body.link }),
        },
      },
      at,
    );
  }
}
