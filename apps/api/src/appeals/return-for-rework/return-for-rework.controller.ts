/** POST /appeals/{id}/rework: send a final answer back to the executor for rework. */
import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply, HttpRequest } from '../../http/http-types';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import type { AppealSummary } from '../appeal-summary';
import { AppealCommandEndpoint } from '../http/command-endpoint';
import { ReturnForReworkDto } from './return-for-rework.dto';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('appeals')
export class ReturnForReworkController {
  constructor(private readonly endpoint: AppealCommandEndpoint) {}

  @Post(':id/rework')
  @HttpCode(200)
  @Roles('controller', 'admin')
  @ApiOperation({ summary: 'Send a final answer back to the executor for rework' })
  returnForRework(
    @Param('id') id: string,
    @Body() body: ReturnForReworkDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<AppealSummary> {
    const at = this.endpoint.at(body.returnedAt);
    return this.endpoint.run(
      req,
      res,
      principal,
      id,
      body,
      { type: 'ReturnForRework', data: { reason: body.reason, returnedAt: at } },
      at,
    );
  }
}
