/** POST /appeals/{id}/assignment — controller assigns or reassigns the executor. */
import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply, HttpRequest } from '../../http/http-types';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import type { AppealSummary } from '../appeal-summary';
import { AppealCommandEndpoint } from '../http/command-endpoint';
import { AssignExecutorDto } from './assign-executor.dto';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('appeals')
export class AssignExecutorController {
  constructor(private readonly endpoint: AppealCommandEndpoint) {}

  @Post(':id/assignment')
  @HttpCode(200)
  @Roles('controller', 'admin')
  @ApiOperation({ summary: 'Assign (or reassign) the executor' })
  assign(
    @Param('id') id: string,
    @Body() body: AssignExecutorDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<AppealSummary> {
    const at = this.endpoint.at(body.assignedAt);
    return this.endpoint.run(
      req,
      res,
      principal,
      id,
      body,
      {
        type: 'AssignExecutor',
        data: {
          executor: { id: body.executor.id, name: body.executor.name },
          department: body.department,
          instructions: body.instructions,
          assignedAt: at,
        },
      },
      at,
    );
  }
}
