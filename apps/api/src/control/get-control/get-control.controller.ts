/** GET /control: appeals on control, due, overdue, with whom (the control read model). */
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  CONTROL_STATES,
  MAX_CONTROL_LIMIT,
  type ControlAppealState,
  type ControlPage,
} from '@appeal-ledger/projections';
import { WITHOUT_ANSWER_GROUNDS, isIsoDate, type WithoutAnswerGround } from '@appeal-ledger/appeal';
import { listReaders } from '../../access/access-policy';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import { Problem } from '../../http/problem';
import { parseBoolParam, parseIntParam, parseMinPosition } from '../../http/query-params';
import { answer } from '../../http/refusal-problem';
import { queryWindowProblem } from '../../shared/business-time-window';
import { AppealReferenceFilter } from '../../appeals/appeal-references.service';
import { GetControl, type FlaggedControlRow } from './get-control.service';

@ApiTags('control')
@ApiBearerAuth()
@Controller('control')
export class GetControlController {
  constructor(
    private readonly getControl: GetControl,
    private readonly references: AppealReferenceFilter,
  ) {}

  @Get()
  @Roles(...listReaders('control'))
  @ApiOperation({
    summary: 'What is on control: due dates (with extensions), days left in working days, overdue',
    description:
      "Only the rows the reader may see (docs/access.md): an executor the appeals assigned to them now, a controller or registrar with a department that department's, the others every row.",
  })
  @ApiQuery({ name: 'state', required: false, enum: CONTROL_STATES })
  @ApiQuery({ name: 'department', required: false })
  @ApiQuery({ name: 'executorId', required: false })
  @ApiQuery({ name: 'overdue', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'dueBefore', required: false, description: 'YYYY-MM-DD, years 2000–2100' })
  @ApiQuery({ name: 'onControl', required: false, enum: ['true', 'false'] })
  @ApiQuery({
    name: 'forwardedLate',
    required: false,
    enum: ['true', 'false'],
    description: 'a forwarding by competence after the 7-day term (59-FZ art. 8 ч.3)',
  })
  @ApiQuery({
    name: 'registeredLate',
    required: false,
    enum: ['true', 'false'],
    description: 'registered after the three days of 59-FZ art. 8 ч.2 (or on time)',
  })
  @ApiQuery({
    name: 'reportToSourcePending',
    required: false,
    enum: ['true', 'false'],
    description: 'the result is owed to the sending body: on control, source.reportBackBy set, not reported',
  })
  @ApiQuery({
    name: 'onFurtherControl',
    required: false,
    enum: ['true', 'false'],
    description: 'on further control whose measures are not completed',
  })
  @ApiQuery({
    name: 'extended',
    required: false,
    enum: ['true', 'false'],
    description: 'the term was extended (59-FZ art. 12 ч.2)',
  })
  @ApiQuery({
    name: 'leftWithoutAnswer',
    required: false,
    enum: ['true', 'false'],
    description: 'left without an answer on the merits (59-FZ art. 11), on any ground',
  })
  @ApiQuery({
    name: 'withoutAnswerGround',
    required: false,
    enum: WITHOUT_ANSWER_GROUNDS,
    description: 'left without an answer on this ground (59-FZ art. 11)',
  })
  @ApiQuery({ name: 'limit', required: false, description: `1–${MAX_CONTROL_LIMIT}, default 50` })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiQuery({
    name: 'minPosition',
    required: false,
    description: 'wait (≤ 5 s) until this position is projected',
  })
  async control(
    @CurrentPrincipal() principal: Principal,
    @Query('state') state?: string,
    @Query('department') department?: string,
    @Query('executorId') executorId?: string,
    @Query('overdue') overdue?: string,
    @Query('dueBefore') dueBefore?: string,
    @Query('onControl') onControl?: string,
    @Query('forwardedLate') forwardedLate?: string,
    @Query('registeredLate') registeredLate?: string,
    @Query('reportToSourcePending') reportToSourcePending?: string,
    @Query('onFurtherControl') onFurtherControl?: string,
    @Query('extended') extended?: string,
    @Query('leftWithoutAnswer') leftWithoutAnswer?: string,
    @Query('withoutAnswerGround') withoutAnswerGround?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
    @Query('minPosition') minPosition?: string,
  ): Promise<ControlPage> {
    if (state !== undefined && !(CONTROL_STATES as readonly string[]).includes(state)) {
      throw Problem.validation([{ field: 'state', message: `must be one of ${CONTROL_STATES.join(', ')}` }]);
    }
    if (dueBefore !== undefined && !isIsoDate(dueBefore)) {
      throw Problem.validation([{ field: 'dueBefore', message: 'must be a date YYYY-MM-DD' }]);
    }
    const ground = withoutAnswerGround || undefined;
    if (ground !== undefined && !(WITHOUT_ANSWER_GROUNDS as readonly string[]).includes(ground)) {
      throw Problem.validation([
        { field: 'withoutAnswerGround', message: `must be one of ${WITHOUT_ANSWER_GROUNDS.join(', ')}` },
      ]);
    }
    const outside = dueBefore === undefined ? undefined : queryWindowProblem(dueBefore, 'UTC');
    if (outside) throw Problem.validation([{ field: 'dueBefore', message: outside }]);
    const read = await this.getControl.read({
      principal,
      filters: {
        state: state as ControlAppealState | undefined,
        department: department || undefined,
        executorId: executorId || undefined,
        overdue: parseBoolParam(overdue, 'overdue'),
        dueBefore,
        onControl: parseBoolParam(onControl, 'onControl'),
        forwardedLate: parseBoolParam(forwardedLate, 'forwardedLate'),
        registeredLate: parseBoolParam(registeredLate, 'registeredLate'),
        reportToSourcePending: parseBoolParam(reportToSourcePending, 'reportToSourcePending'),
        onFurtherControl: parseBoolParam(onFurtherControl, 'onFurtherControl'),
        extended: parseBoolParam(extended, 'extended'),
        leftWithoutAnswer: parseBoolParam(leftWithoutAnswer, 'leftWithoutAnswer'),
        withoutAnswerGround: ground as WithoutAnswerGround | undefined,
        limit: parseIntParam(limit, 'limit', 1, MAX_CONTROL_LIMIT),
        cursor: cursor || undefined,
      },
      minPosition: parseMinPosition(minPosition),
    });
    if (!read.ok) return answer(read);
    // a flag names the appeal correspondence was terminated on only when the reader may read it
    const rows: FlaggedControlRow[] = read.value.rows;
    return { ...read.value, rows: await this.references.rows(principal, rows) };
  }
}
