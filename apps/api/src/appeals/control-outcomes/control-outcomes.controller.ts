/**
 * Control outcomes (issue 14): the report of the result to the body that sent the appeal
 * (`source.reportBackBy`), and further control of an answered appeal until the measures are taken.
 */
import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply, HttpRequest } from '../../http/http-types';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import type { AppealSummary } from '../appeal-summary';
import { AppealCommandEndpoint } from '../http/command-endpoint';
import { FurtherControlDto, MeasuresCompletedDto, ReportToSourceDto } from './control-outcomes.dto';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('appeals')
export class ControlOutcomesController {
  constructor(private readonly endpoint: AppealCommandEndpoint) {}

  @Post(':id/report-to-source')
  @HttpCode(200)
  @Roles('controller', 'registrar', 'admin')
  @ApiOperation({ summary: 'Record the report of the result to the body that sent the appeal' })
  reportToSource(
    @Param('id') id: string,
    @Body() body: ReportToSourceDto,
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
      { type: 'ReportToSource', data: { sentAt: at, reference: body.reference } },
      at,
    );
  }

  @Post(':id/further-control')
  @HttpCode(200)
  @Roles('controller', 'admin')
  @ApiOperation({ summary: 'Keep an answered appeal on control until the measures are taken' })
  setFurtherControl(
    @Param('id') id: string,
    @Body() body: FurtherControlDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<AppealSummary> {
    const at = this.endpoint.at(body.setAt);
    return this.endpoint.run(
      req,
      res,
      principal,
      id,
      body,
      { type: 'SetFurtherControl', data: { until: body.until, reason: body.reason, setAt: at } },
      at,
    );
  }

  @Post(':id/measures-completed')
  @HttpCode(200)
  @Roles('controller', 'admin')
  @ApiOperation({ summary: 'Record that the measures are completed (ends further control)' })
  completeMeasures(
    @Param('id') id: string,
    @Body() body: MeasuresCompletedDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<AppealSummary> {
    const at = this.endpoint.at(body.completedAt);
    return this.endpoint.run(
      req,
      res,
      principal,
      id,
      body,
      { type: 'CompleteMeasures', data: { completedAt: at } },
      at,
    );
  }
}
