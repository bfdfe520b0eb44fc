/**
 * Retention (ЭПК): GET /admin/retention/candidates lists closed appeals whose term has passed,
 * marked "ЭПК", for the expert commission; POST /admin/retention/decisions records its act and
 * erases those appeals' personal data; GET /admin/retention/decisions lists the acts. Admin; a
 * supervisor may read.
 */
import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { answer } from '../http/refusal-problem';
import { RetentionDecisionDto } from './retention-decision.dto';
import { RetentionService, type RetentionCandidate, type RetentionDecision } from './retention.service';

@ApiTags('operations')
@ApiBearerAuth()
@Controller('admin/retention')
export class RetentionController {
  constructor(private readonly retention: RetentionService) {}

  @Get('candidates')
  @Roles('admin', 'supervisor', 'head')
  @ApiOperation({
    summary: 'Closed appeals past their retention term, awaiting the expert commission (ЭПК)',
    description:
      'The term (RETENTION_YEARS, default 5) counts from 1 January of the year after closure. Appeals ' +
      'already in a recorded act are not listed.',
  })
  candidates(): Promise<RetentionCandidate[]> {
    return this.retention.candidates();
  }

  @Get('decisions')
  @Roles('admin', 'supervisor', 'head')
  @ApiOperation({ summary: "The expert commission's recorded acts, newest first" })
  decisions(): Promise<RetentionDecision[]> {
    return this.retention.decisions();
  }

  @Post('decisions')
  @HttpCode(201)
  @Roles('admin')
  @ApiOperation({
    summary: "Record the commission's act and erase the personal data of its appeals",
    description:
      'All or nothing: 422 `retention-refused` with `refusals` [{ appealId, reason: unknown | not_closed | ' +
      'not_due | already_decided }] when any appeal cannot be erased; nothing is then recorded or erased.',
  })
  async decide(
    @Body() body: RetentionDecisionDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RetentionDecision> {
    return answer(await this.retention.decide(body, principal.id));
  }
}
