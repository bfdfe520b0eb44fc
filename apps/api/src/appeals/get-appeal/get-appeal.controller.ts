/** GET /appeals/{id}[?asOf=]: the appeal summary from its stream. */
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../../http/http-types';
import { Inject } from '@nestjs/common';
import { isInstant, isIsoDate } from '@appeal-ledger/appeal';
import { CurrentPrincipal } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { Problem } from '../../http/problem';
import { answer } from '../../http/refusal-problem';
import { parseAsOf } from '../../shared/business-time';
import { queryWindowProblem } from '../../shared/business-time-window';
import { AppealReferenceFilter } from '../appeal-references.service';
import { AppealSummaryRenderer, type AppealSummary } from '../appeal-summary';
import {
  CorrespondenceTerminations,
  type CorrespondenceTerminatedView,
} from '../correspondence-termination/correspondence-termination.service';
import { assertAppealId } from '../http/command-request';
import { respond } from '../http/respond';
import { GetAppeal } from './get-appeal.service';

@ApiTags('appeals')
@ApiBearerAuth()
@Controller('appeals')
export class GetAppealController {
  constructor(
    private readonly getAppeal: GetAppeal,
    private readonly renderer: AppealSummaryRenderer,
    private readonly terminations: CorrespondenceTerminations,
    private readonly references: AppealReferenceFilter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get(':id')
  @ApiOperation({
    summary: 'The appeal now, or as it was at asOf (business time)',
    description:
      'The appeal summary (docs/api.md). A confirmed duplicate shows `duplicateOf`; while it waits for its ' +
      'original, `joinedTo` (off control); once answered with it, `answeredWithOriginal` ' +
      '{ originalAppealId, originalNumber, outcome, closedAt, answer: { sentAt, outgoingNumber, outgoingDate } | null }. ' +
      'Ids of other appeals (repeatOf, duplicateOf, joinedTo, the original, correspondenceTermination.earlierAppealIds, ' +
      'correspondenceTerminated.terminationAppealId) are left out for a caller who may not read that appeal (docs/access.md).',
  })
  @ApiQuery({
    name: 'asOf',
    required: false,
    description:
      'an instant (2018-03-20T10:00:00+07:00) or a date (the end of that local day), years 2000–2100',
  })
  async get(
    @Param('id') id: string,
    @Query('asOf') asOf: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<AppealSummary & { correspondenceTerminated?: CorrespondenceTerminatedView }> {
    let asOfMs: number | undefined;
    if (asOf !== undefined) {
      const wellFormed = isIsoDate(asOf) || isInstant(asOf);
      // Inside the window before any arithmetic: the day after 9999-12-31 has no 4-digit year.
      const outside = wellFormed ? queryWindowProblem(asOf, this.config.timeZone) : undefined;
      if (outside) throw Problem.validation([{ field: 'asOf', message: outside }]);
      asOfMs = wellFormed ? parseAsOf(asOf, this.config.timeZone) : undefined;
      if (asOfMs === undefined) {
        throw Problem.validation([
          { field: 'asOf', message: 'must be an instant with an offset or a date YYYY-MM-DD' },
        ]);
      }
    }
    const appeal = answer(await this.getAppeal.read({ appealId: assertAppealId(id), asOfMs, principal }));
    const summary = await respond(res, this.renderer, principal, { loaded: appeal });
    // 59-FZ art. 11 ч.5: correspondence with this applicant on a question of the appeal was terminated
    // (present only then, whatever the read models' lag)
    const flag =
      asOfMs === undefined
        ? await this.references.flag(principal, await this.terminations.flagOf(summary.id, appeal))
        : null;
    return flag ? { ...summary, correspondenceTerminated: flag } : summary;
  }
}
