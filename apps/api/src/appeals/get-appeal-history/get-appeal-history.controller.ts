/** GET /appeals/{id}/history: the full audit trail (supervisor, controller, admin). */
import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import { answer } from '../../http/refusal-problem';
import { assertAppealId } from '../http/command-request';
import { GetAppealHistory, type HistoryEntry } from './get-appeal-history.service';

@ApiTags('appeals')
@ApiBearerAuth()
@Controller('appeals')
export class GetAppealHistoryController {
  constructor(private readonly getHistory: GetAppealHistory) {}

  @Get(':id/history')
  @Roles('supervisor', 'head', 'controller', 'admin')
  @ApiOperation({ summary: 'Every event of the appeal in order: who did what, when' })
  async history(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<HistoryEntry[]> {
    return answer(await this.getHistory.read({ appealId: assertAppealId(id), principal }));
  }
}
