/** GET /appeals/{id}/history: the full audit trail (supervisor, controller, admin). */
import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import { assertAppealId } from '../http/command-request';
import type { HistoryEntry } from './get-appeal-history.handler';
import { GetAppealHistoryQuery } from './get-appeal-history.query';

@ApiTags('appeals')
@ApiBearerAuth()
@Controller('appeals')
export class GetAppealHistoryController {
  constructor(private readonly bus: QueryBus) {}

  @Get(':id/history')
  @Roles('supervisor', 'controller', 'admin')
  @ApiOperation({ summary: 'Every event of the appeal in order: who did what, when' })
  history(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<HistoryEntry[]> {
    return this.bus.execute<GetAppealHistoryQuery, HistoryEntry[]>(
      new GetAppealHistoryQuery(assertAppealId(id), principal),
    );
  }
}
