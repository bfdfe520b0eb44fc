/** POST /appeals/{id}/final-answer: send the final answer with a result for every question. */
import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply, HttpRequest } from '../../http/http-types';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import type { AppealSummary } from '../appeal-summary';
import { AppealCommandEndpoint } from '../http/command-endpoint';
import { answerDocumentFields } from '../answer-document/answer-document.dto';
import { SendFinalAnswerDto } from './send-final-answer.dto';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('appeals')
export class SendFinalAnswerController {
  constructor(private readonly endpoint: AppealCommandEndpoint) {}

  @Post(':id/final-answer')
  @HttpCode(200)
  @Roles('executor', 'admin')
  @ApiOperation({ summary: 'Send the final answer with a result for every question' })
  sendFinalAnswer(
    @Param('id') id: string,
    @Body() body: SendFinalAnswerDto,
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
        type: 'SendFinalAnswer',
        data: {
          sentAt: at,
          summary: body.summary,
          results: body.results.map((r) => ({
            questionCode: r.questionCode,
            result: r.result,
            measuresTaken: r.measuresTaken,
          })),
          onSiteVisit: body.onSiteVisit,
          ...answerDocumentFields(body),
        },
      },
      at,
    );
  }
}
