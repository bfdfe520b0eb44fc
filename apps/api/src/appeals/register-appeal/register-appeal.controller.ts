/** POST /appeals: the registrar registers an appeal received by any channel. */
import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply, HttpRequest } from '../../http/http-types';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import { AppealSummaryRenderer, type AppealSummary } from '../appeal-summary';
import { commandOptions } from '../http/command-request';
import { outcomeOrProblem } from '../http/command-endpoint';
import { respond } from '../http/respond';
import { AppealRegistration } from './appeal-registration';
import { RegisterAppealDto } from './register-appeal.dto';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('appeals')
export class RegisterAppealController {
  constructor(
    private readonly registration: AppealRegistration,
    private readonly renderer: AppealSummaryRenderer,
  ) {}

  @Post()
  @Roles('registrar', 'admin')
  @ApiOperation({ summary: 'Register an appeal' })
  @ApiCreatedResponse({ description: 'the appeal summary; ETag carries its revision' })
  async register(
    @Body() body: RegisterAppealDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<AppealSummary> {
    const outcome = await this.registration.register(body, commandOptions(req, principal, body));
    return respond(res, this.renderer, principal, outcomeOrProblem('(new)', outcome), 201);
  }
}
