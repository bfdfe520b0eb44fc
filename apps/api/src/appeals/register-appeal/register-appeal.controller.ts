/** POST /appeals: the registrar registers an appeal received by any channel. */
import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply, HttpRequest } from '../../http/http-types';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import type { RelatedAppeal } from '../../applicant-matching/related-appeals';
import { RelatedAppealsService } from '../../applicant-matching/related-appeals.service';
import { AppealReferenceFilter } from '../appeal-references.service';
import { AppealSummaryRenderer, type AppealSummary } from '../appeal-summary';
import {
  flagView,
  type CorrespondenceTerminatedView,
} from '../correspondence-termination/correspondence-termination.service';
import { AppealRepository } from '../appeal.repository';
import { commandOptions } from '../http/command-request';
import { outcomeOrProblem } from '../http/command-endpoint';
import { respond } from '../http/respond';
import { AppealRegistration } from './appeal-registration';
import { RegisterAppealDto, registrationInputOf } from './register-appeal.dto';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('appeals')
export class RegisterAppealController {
  constructor(
    private readonly registration: AppealRegistration,
    private readonly renderer: AppealSummaryRenderer,
    private readonly related: RelatedAppealsService,
    private readonly repository: AppealRepository,
    private readonly references: AppealReferenceFilter,
  ) {}

  @Post()
  @Roles('registrar', 'admin')
  @ApiOperation({ summary: 'Register an appeal' })
  @ApiCreatedResponse({
    description:
      'the appeal summary; ETag carries its revision. `related`: earlier appeals of the same applicant on the ' +
      'same question (repeat or duplicate candidates, the shape of GET /appeals/{id}/related), found at once ' +
      'from the applicants in the request; left out when there are none',
  })
  async register(
    @Body() body: RegisterAppealDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<
    AppealSummary & { related?: RelatedAppeal[]; correspondenceTerminated?: CorrespondenceTerminatedView }
  > {
    const outcome = await this.registration.register(
      registrationInputOf(body),
      commandOptions(req, principal, body),
    );
    const summary = await respond(res, this.renderer, principal, outcomeOrProblem('(new)', outcome), 201);
    // The registrar is told at once of earlier appeals of the same applicant on the same question: the
    // new appeal's index keys come from the applicants as typed here, the earlier appeals from the
    // index (and the registrations it has not applied yet). Present only when there are some.
    // (Registrars and admins, who register, may read related appeals: those within their reach are listed.)
    const appeal = {
      id: summary.id,
      position: summary.position,
      registeredOn: summary.registeredAt,
      questionCodes: summary.questions.map((q) => q.code),
      applicants: body.applicants,
    };
    // With them, the arrival flag of 59-FZ art. 11 ч.5: the applicant's correspondence on one of its
    // questions was terminated (present only then) — from the request's applicants too, without waiting.
    const { related, terminations } = await this.related.atRegistration(appeal, principal, (ids) =>
      this.repository.loadMany(ids),
    );
    const terminated = await this.references.flag(principal, flagView(terminations));
    return {
      ...summary,
      ...(related.length > 0 && { related }),
      ...(terminated !== null && { correspondenceTerminated: terminated }),
    };
  }
}
