/**
 * GET /appeals/{id}/related: earlier appeals of the same applicant (blind index) on the same question
 * (classifier code or theme), with state, dates and the proposed repeat/duplicate
 * (registrar, controller, supervisor, admin; docs/api.md).
 */
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { factsOf, mayReadAppeal } from '../../access/access-policy';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import { Problem } from '../../http/problem';
import { RelatedAppealsService } from '../../applicant-matching/related-appeals.service';
import type { RelatedAppeal } from '../../applicant-matching/related-appeals';
import { parseMinPosition } from '../../http/query-params';
import { AppealReferenceFilter } from '../appeal-references.service';
import { AppealRepository } from '../appeal.repository';
import {
  CorrespondenceTerminations,
  type CorrespondenceTerminatedView,
} from '../correspondence-termination/correspondence-termination.service';
import { NOT_YOURS } from '../get-appeal/get-appeal.service';
import { assertAppealId } from '../http/command-request';

@ApiTags('appeals')
@ApiBearerAuth()
@Controller('appeals')
export class GetRelatedAppealsController {
  constructor(
    private readonly repository: AppealRepository,
    private readonly related: RelatedAppealsService,
    private readonly terminations: CorrespondenceTerminations,
    private readonly references: AppealReferenceFilter,
  ) {}

  @Get(':id/related')
  @Roles('registrar', 'controller', 'supervisor', 'head', 'admin')
  @ApiOperation({
    summary: 'Earlier appeals of the same applicant on the same question: repeat or duplicate candidates',
  })
  @ApiQuery({
    name: 'minPosition',
    required: false,
    description: 'a consistency token from a command response',
  })
  async list(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal,
    @Query('minPosition') minPosition?: string,
  ): Promise<{
    appealId: string;
    complete: boolean;
    related: RelatedAppeal[];
    correspondenceTerminated?: CorrespondenceTerminatedView;
  }> {
    const appealId = assertAppealId(id);
    const position = parseMinPosition(minPosition);
    const appeal = await this.repository.load(appealId);
    if (!appeal) throw Problem.notFound(`appeal ${appealId} not found`);
    if (!mayReadAppeal(principal, factsOf(appeal.state), 'related')) throw Problem.forbidden(NOT_YOURS);
    // Without a token the read models are asked to have caught up with the appeal itself.
    const related = await this.related.find(appealId, principal, position ?? appeal.position, 5000);
    // complete: false — the read models had not caught up within 5 s; the list may miss some
    // art. 11 ч.5: the applicant's correspondence on a question of this appeal was terminated (only then)
    const terminated = await this.references.flag(
      principal,
      await this.terminations.flagOf(appealId, appeal),
    );
    return {
      appealId,
      complete: related !== null,
      related: related ?? [],
      ...(terminated !== null && { correspondenceTerminated: terminated }),
    };
  }
}
