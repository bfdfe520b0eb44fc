/** POST /appeals/{id}/deadline-extensions: extend the consideration term (by up to 30 days in total). */
import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply, HttpRequest } from '../../http/http-types';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import type { AppealSummary } from '../appeal-summary';
import { AppealCommandEndpoint } from '../http/command-endpoint';
import { ExtendDeadlineDto } from './extend-deadline.dto';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('appeals')
export class ExtendDeadlineController {
  constructor(private readonly endpoint: AppealCommandEndpoint) {}

  @Post(':id/deadline-extensions')
  @HttpCode(200)
  @Roles('controller', 'admin')
  @ApiOperation({ summary: 'Extend the consideration term (by up to 30 days in total)' })
  extendDeadline(
    @Param('id') id: string,
    @Body() body: ExtendDeadlineDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<AppealSummary> {
    const at = this.endpoint.at(body.extendedAt);
    const notified =
      body.applicantNotifiedAt === undefined ? undefined : this.endpoint.at(body.applicantNotifiedAt);
    return this.endpoint.run(
      req,
      res,
      principal,
      id,
      body,
      {
        type: 'ExtendDeadline',
        data: {
          days: body.days,
          reason: body.reason,
          extendedAt: at,
          decidedBy: { name: body.decidedBy.name, position: body.decidedBy.position },
          ...(notified !== undefined && { applicantNotifiedAt: notified }),
        },
      },
      at,
    );
  }
}
