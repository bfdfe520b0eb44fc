/** POST /appeals/{id}/interim-answers: send an interim answer; the appeal stays under control. */
import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply, HttpRequest } from '../../http/http-types';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import type { AppealSummary } from '../appeal-summary';
import { AppealCommandEndpoint } from '../http/command-endpoint';
import { answerDocumentFields } from '../answer-document/answer-document.dto';
import { SendInterimAnswerDto } from './send-interim-answer.dto';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('appeals')
export class SendInterimAnswerController {
  constructor(private readonly endpoint: AppealCommandEndpoint) {}

  @Post(':id/interim-answers')
  @HttpCode(200)
  @Roles('executor', 'admin')
  @ApiOperation({ summary: 'Send an interim answer; the appeal stays under control' })
  sendInterimAnswer(
    @Param('id') id: string,
    @Body() body: SendInterimAnswerDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<AppealSummary> {
    const at = this.endpoint.at(body.sentAt);
    return this.endpoint.run(
      req,
      res,
      principal,
      id,
      body,
      {
        type: 'SendInterimAnswer',
        data: {
          sentAt: at,
          summary: body.summary,
          finalAnswerBy: body.finalAnswerBy,
          ...answerDocumentFields(body),
        },
      },
      at,
    );
  }
}
