/**
 * POST /appeals/{id}/related/confirm and /related/reject: the registrar confirms or rejects what the
 * engine proposed — that this appeal repeats an earlier one of the same applicant on the same
 * question, or duplicates one still under consideration (docs/applicant-matching.md).
 */
import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply, HttpRequest } from '../../http/http-types';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import { Problem } from '../../http/problem';
import type { AppealSummary } from '../appeal-summary';
import { AppealRepository } from '../appeal.repository';
import { AppealCommandEndpoint } from '../http/command-endpoint';
import { DecideRelationDto } from './decide-relation.dto';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('appeals')
export class DecideRelationController {
  constructor(
    private readonly endpoint: AppealCommandEndpoint,
    private readonly repository: AppealRepository,
  ) {}

  @Post(':id/related/confirm')
  @HttpCode(200)
  @Roles('registrar', 'controller', 'admin')
  @ApiOperation({ summary: 'Confirm that the appeal is a repeat of, or a duplicate of, an earlier one' })
  confirm(
    @Param('id') id: string,
    @Body() body: DecideRelationDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<AppealSummary> {
    return this.decide('ConfirmRelatedAppeal', id, body, principal, req, res);
  }

  @Post(':id/related/reject')
  @HttpCode(200)
  @Roles('registrar', 'controller', 'admin')
  @ApiOperation({ summary: 'Reject a proposed (or undo a confirmed) repeat or duplicate' })
  reject(
    @Param('id') id: string,
    @Body() body: DecideRelationDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<AppealSummary> {
    return this.decide('RejectRelatedAppeal', id, body, principal, req, res);
  }

  private async decide(
    type: 'ConfirmRelatedAppeal' | 'RejectRelatedAppeal',
    id: string,
    body: DecideRelationDto,
    principal: Principal,
    req: HttpRequest,
    res: HttpReply,
  ): Promise<AppealSummary> {
    // The domain sees one appeal: that the other one exists is checked here.
    if (type === 'ConfirmRelatedAppeal' && !(await this.repository.load(body.relatedAppealId.toLowerCase())))
      throw Problem.validation([{ field: 'relatedAppealId', message: `no appeal ${body.relatedAppealId}` }]);
    const at = this.endpoint.at(body.decidedAt);
    return this.endpoint.run(
      req,
      res,
      principal,
      id,
      body,
      {
        type,
        data: { relatedAppealId: body.relatedAppealId.toLowerCase(), kind: body.kind, decidedAt: at },
      },
      at,
    );
  }
}
