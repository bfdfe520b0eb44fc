/**
 * POST /appeals/{id}/forwarding: forward the appeal, or some of its questions, by competence (59-FZ
 * art. 8 ч.3); a forwarding after the 7-day term is recorded and flagged `forwardedLate`.
 */
import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply, HttpRequest } from '../../http/http-types';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import type { AppealSummary } from '../appeal-summary';
import { AppealCommandEndpoint } from '../http/command-endpoint';
import { ForwardAppealDto } from './forward-appeal.dto';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('appeals')
export class ForwardAppealController {
  constructor(private readonly endpoint: AppealCommandEndpoint) {}

  @Post(':id/forwarding')
  @HttpCode(200)
  @Roles('registrar', 'controller', 'admin')
  @ApiOperation({
    summary: 'Forward the appeal (or the listed questions) by competence; the kept questions stay on control',
  })
  forwardAppeal(
    @Param('id') id: string,
    @Body() body: ForwardAppealDto,
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
        type: 'ForwardByCompetence',
        data: {
          to: body.to,
          sentAt: at,
          reference: body.reference,
          ...(body.questionCodes !== undefined && { questionCodes: body.questionCodes }),
          ...(body.applicantNotifiedAt !== undefined && {
            applicantNotifiedAt: this.endpoint.at(body.applicantNotifiedAt),
          }),
        },
      },
      at,
    );
  }
}
