/**
 * Operations on read models (admin): GET /admin/projections (status, lag, quarantined events),
 * POST /admin/projections/{name}/rebuild (replay from position 0 into fresh tables, then swap) and
 * POST /admin/projections/{name}/retry (apply the quarantined events again after a fix).
 */
import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { RebuildResult, RetryResult } from '@appeal-ledger/projections';
import { Roles } from '../../auth/auth.decorators';
import { answer } from '../../http/refusal-problem';
import { ProjectionsService, type ProjectionOverview } from '../projections.service';

const NAME = {
  name: 'name',
  description: 'projection: control, statistics, reminder_feed, journal or applicant_index (404 otherwise)',
  example: 'control',
};

@ApiTags('operations')
@ApiBearerAuth()
@Controller('admin/projections')
@Roles('admin')
export class RebuildProjectionController {
  constructor(private readonly projections: ProjectionsService) {}

  @Get()
  @ApiOperation({
    summary:
      'Projections in this instance: role (active/standby), checkpoint, lag, last error, quarantined events',
    description:
      'Per projection: `quarantinedCount` (events it could not apply and skipped) and `quarantined`, the first ' +
      '100 of them in position order with position, stream, event id, type, a short error, when and how often it failed.',
  })
  list(): Promise<ProjectionOverview[]> {
    return this.projections.overview();
  }

  @Post(':name/rebuild')
  @HttpCode(200)
  @ApiParam(NAME)
  @ApiOperation({
    summary: 'Rebuild a read model from position 0 into fresh tables and swap them in',
    description:
      'Events the rebuilt read model cannot apply are quarantined (counted in `quarantined`), not fatal. ' +
      '404 unknown projection, 409 a rebuild of it is already running, 503 the database failed (try again).',
  })
  async rebuild(@Param('name') name: string): Promise<RebuildResult> {
    return answer(await this.projections.rebuild(name));
  }

  @Post(':name/retry')
  @HttpCode(200)
  @ApiParam(NAME)
  @ApiOperation({
    summary: 'Apply the quarantined events of a read model again (after a fix)',
    description:
      'In position order, each on its own: those that apply now leave the quarantine (`applied`), those that ' +
      'still fail stay with attempts + 1 (`stillFailing`); `remaining` lists what is left. ' +
      '404 unknown projection, 503 the database failed (nothing changed; try again).',
  })
  async retry(@Param('name') name: string): Promise<RetryResult> {
    return answer(await this.projections.retry(name));
  }
}
