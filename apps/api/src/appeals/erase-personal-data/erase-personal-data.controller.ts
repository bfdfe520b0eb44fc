/**
 * DELETE /appeals/{id}/personal-data (admin): destroys the applicants' keys when the retention term
 * has passed (152-FZ); the history stays, the personal data in it becomes unreadable.
 */
import { Controller, Delete, HttpCode, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import { Problem } from '../../http/problem';
import { PersonalDataVault } from '../../personal-data/personal-data.vault';
import { AppealRepository } from '../appeal.repository';
import { assertAppealId } from '../http/command-request';

@ApiTags('appeals')
@ApiBearerAuth()
@Controller('appeals')
export class ErasePersonalDataController {
  constructor(
    private readonly repository: AppealRepository,
    private readonly vault: PersonalDataVault,
  ) {}

  @Delete(':id/personal-data')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: "Erase the applicants' personal data (destroys their keys; history stays)" })
  async erase(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ id: string; keysDestroyed: number }> {
    const appealId = assertAppealId(id);
    if (!(await this.repository.load(appealId))) throw Problem.notFound(`appeal ${appealId} not found`);
    return { id: appealId, keysDestroyed: await this.vault.destroyForAppeal(appealId, principal.id) };
  }
}
