/** POST /appeals/{id}/withdrawal: record the withdrawal of the appeal by its applicant. */
import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply, HttpRequest } from '../../http/http-types';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import type { AppealSummary } from '../appeal-summary';
import { AppealCommandEndpoint } from '../http/command-endpoint';
import { WithdrawAppealDto } from './withdraw-appeal.dto';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('appeals')
export class WithdrawAppealController {
  constructor(private readonly endpoint: AppealCommandEndpoint) {}

  @Post(':id/withdrawal')
  @HttpCode(200)
  @Roles('registrar', 'admin')
  @ApiOperation({ summary: 'Record the withdrawal of the appeal by its applicant' })
  withdrawAppeal(
    @Param('id') id: string,
    @Body() body: WithdrawAppealDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<AppealSummary> {
    const at = this.endpoint.at(body.withdrawnAt);
    return this.endpoint.run(
      req,
      res,
      principal,
      id,
      body,
      { type: 'WithdrawAppeal', data: { withdrawnAt: at, reason: body.reason } },
      at,
    );
  }
}
