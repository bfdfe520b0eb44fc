/** POST /appeals/{id}/closure: remove the appeal from control (closes it). */
import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply, HttpRequest } from '../../http/http-types';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import type { AppealSummary } from '../appeal-summary';
import { AppealCommandEndpoint } from '../http/command-endpoint';
import { RemoveFromControlDto } from './remove-from-control.dto';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('appeals')
export class RemoveFromControlController {
  constructor(private readonly endpoint: AppealCommandEndpoint) {}

  @Post(':id/closure')
  @HttpCode(200)
  @Roles('controller', 'admin')
  @ApiOperation({ summary: 'Remove the appeal from control (closes it)' })
  removeFromControl(
    @Param('id') id: string,
    @Body() body: RemoveFromControlDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<AppealSummary> {
    const at = this.endpoint.at(body.closedAt);
    return this.endpoint.run(
      req,
      res,
      principal,
      id,
      body,
      { type: 'RemoveFromControl', data: { closedAt: at } },
      at,
    );
  }
}
