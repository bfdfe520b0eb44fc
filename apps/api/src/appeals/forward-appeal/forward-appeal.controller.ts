/** POST /appeals/{id}/forwarding: forward the appeal by competence; every question gets forwarded. */
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
  @ApiOperation({ summary: 'Forward the appeal by competence; every question gets forwarded' })
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
      { type: 'ForwardByCompetence', data: { to: body.to, sentAt: at, reference: body.reference } },
      at,
    );
  }
}
