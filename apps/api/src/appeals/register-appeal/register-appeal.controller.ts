/** POST /appeals: the registrar registers an appeal received by any channel. */
import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply, HttpRequest } from '../../http/http-types';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import { AppealSummaryRenderer, type AppealSummary } from '../appeal-summary';
import type { CommandOutcome } from '../appeal-command.service';
import { commandRequest } from '../http/command-request';
import { respond } from '../http/respond';
import { RegisterAppealCommand } from './register-appeal.command';
import { RegisterAppealDto } from './register-appeal.dto';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('appeals')
export class RegisterAppealController {
  constructor(
    private readonly bus: CommandBus,
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
    const outcome = await this.bus.execute<RegisterAppealCommand, CommandOutcome>(
      new RegisterAppealCommand(body, commandRequest(req, principal, body)),
    );
    return respond(res, this.renderer, principal, outcome, 201);
  }
}
