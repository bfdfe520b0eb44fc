/**
 * GET /admin/integrity (admin, supervisor): verifies the event store's hash chains and its latest
 * signed checkpoint. Waits up to 10 s for the verification: 200 with the report when it finished
 * (`report.ok` false names what is broken), 202 with progress and the last finished report when it
 * is still walking (ask again: the same run is awaited, none is started twice).
 */
import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators';
import { Problem } from '../../http/problem';
import type { HttpReply } from '../../http/http-types';
import { IntegrityService, type IntegrityStatus } from '../integrity.service';

@ApiTags('operations')
@ApiBearerAuth()
@Controller('admin/integrity')
@Roles('admin', 'supervisor', 'head')
export class GetIntegrityController {
  constructor(private readonly integrity: IntegrityService) {}

  @Get()
  @ApiOperation({
    summary: 'Verify the event store: hash chains and the latest signed checkpoint (PostgreSQL store)',
    description:
      'Walks every stream in pages, recomputing each event hash from the previous one, then compares ' +
      'the stream heads and event count the latest HMAC-signed checkpoint holds. Waits up to 10 s: ' +
      '200 with the report when done, 202 with progress while the walk goes on (the same run is awaited ' +
      'by later calls). `report.ok` false lists the problems, the first broken link first.',
  })
  @ApiResponse({
    status: 200,
    description: '{ status: "done", report: { ok, checkedEvents, checkedStreams, checkpoint, problems[] } }',
  })
  @ApiResponse({ status: 202, description: '{ status: "running", startedAt, checkedEvents, last }' })
  @ApiResponse({ status: 501, description: 'the event store is EventStoreDB: not covered' })
  async get(@Res({ passthrough: true }) res: HttpReply): Promise<IntegrityStatus> {
    if (!this.integrity.supported)
      throw new Problem(
        501,
        'integrity-not-supported',
        'Not covered for this event store',
        'hash chains and checkpoints are kept by the PostgreSQL event store only; events are in EventStoreDB',
      );
    const status = await this.integrity.verify();
    if (status.status === 'running') res.status(HttpStatus.ACCEPTED);
    return status;
  }
}
