/**
 * Operations on read models (admin): GET /admin/projections (status, lag) and
 * POST /admin/projections/{name}/rebuild (replay from position 0 into fresh tables, then swap).
 */
import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ProjectionStatus, RebuildResult } from '@appeal-ledger/projections';
import { Roles } from '../../auth/auth.decorators';
import { ProjectionsService } from '../projections.service';

@ApiTags('operations')
@ApiBearerAuth()
@Controller('admin/projections')
@Roles('admin')
export class RebuildProjectionController {
  constructor(private readonly projections: ProjectionsService) {}

  @Get()
  @ApiOperation({ summary: 'Projections in this instance: role (active/standby), checkpoint, last error' })
  async list(): Promise<(ProjectionStatus & { lag: number })[]> {
    const lags = await this.projections.runner.lags();
    return this.projections.status().map((s) => ({ ...s, lag: lags[s.name] ?? 0 }));
  }

  @Post(':name/rebuild')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rebuild a read model from position 0 into fresh tables and swap them in' })
  rebuild(@Param('name') name: string): Promise<RebuildResult> {
    return this.projections.rebuild(name);
  }
}
