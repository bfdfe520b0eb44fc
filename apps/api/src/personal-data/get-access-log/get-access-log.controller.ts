/**
 * GET /admin/personal-data-access?appealId=&from=&to=&limit=&cursor=: who opened which appeal's
 * personal data and when (152-FZ accountability), newest first, for supervisors and the operator.
 */
import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { isInstant, isIsoDate } from '@appeal-ledger/appeal';
import { UUID_PATTERN } from '@appeal-ledger/event-store';
import { Roles } from '../../auth/auth.decorators';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { Problem } from '../../http/problem';
import { parseIntParam } from '../../http/query-params';
import { parseAsOf, startOfLocalDay } from '../../shared/business-time';
import { queryWindowProblem } from '../../shared/business-time-window';
import { PersonalDataAccessLog, type AccessLogPage } from '../personal-data-access-log';

export const MAX_ACCESS_LOG_LIMIT = 500;

@ApiTags('personal data')
@ApiBearerAuth()
@Controller('admin/personal-data-access')
export class GetAccessLogController {
  constructor(
    private readonly log: PersonalDataAccessLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Roles('supervisor', 'head', 'admin')
  @ApiOperation({
    summary: "Who opened which appeal's personal data, and when (newest first)",
    description:
      'One row per reading that decrypted an appeal’s applicants or free text: the card, the history, the journal.',
  })
  @ApiQuery({ name: 'appealId', required: false })
  @ApiQuery({
    name: 'from',
    required: false,
    description: 'an instant, or a date (from the start of that local day)',
  })
  @ApiQuery({
    name: 'to',
    required: false,
    description: 'an instant, or a date (to the end of that local day)',
  })
  @ApiQuery({ name: 'limit', required: false, description: `1–${MAX_ACCESS_LOG_LIMIT}, default 100` })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  find(
    @Query('appealId') appealId?: unknown,
    @Query('from') from?: unknown,
    @Query('to') to?: unknown,
    @Query('limit') limit?: unknown,
    @Query('cursor') cursor?: unknown,
  ): Promise<AccessLogPage> {
    const once = (field: string, value: unknown): string | undefined => {
      if (value === undefined || value === '') return undefined;
      if (typeof value !== 'string') throw Problem.validation([{ field, message: 'must be given once' }]);
      return value;
    };
    const id = once('appealId', appealId);
    if (id !== undefined && !UUID_PATTERN.test(id))
      throw Problem.validation([{ field: 'appealId', message: 'must be an appeal id (a UUID)' }]);
    const page = once('cursor', cursor);
    if (page !== undefined && !/^\d{1,18}$/.test(page))
      throw Problem.validation([{ field: 'cursor', message: 'must be the nextCursor of the previous page' }]);
    const fromMs = this.instant('from', once('from', from), 'start');
    const toMs = this.instant('to', once('to', to), 'end');
    if (fromMs !== undefined && toMs !== undefined && fromMs > toMs)
      throw Problem.validation([{ field: 'to', message: 'must not be before from' }]);
    return this.log.find({
      ...(id !== undefined ? { appealId: id.toLowerCase() } : {}),
      ...(fromMs !== undefined ? { fromMs } : {}),
      ...(toMs !== undefined ? { toMs } : {}),
      ...(page !== undefined ? { cursor: page } : {}),
      limit: parseIntParam(once('limit', limit), 'limit', 1, MAX_ACCESS_LOG_LIMIT) ?? 100,
    });
  }

  private instant(field: string, value: string | undefined, edge: 'start' | 'end'): number | undefined {
    if (value === undefined) return undefined;
    const wellFormed = isIsoDate(value) || isInstant(value);
    const outside = wellFormed ? queryWindowProblem(value, this.config.timeZone) : undefined;
    if (!wellFormed || outside) {
      throw Problem.validation([
        { field, message: outside ?? 'must be an instant with an offset or a date YYYY-MM-DD' },
      ]);
    }
    if (edge === 'start' && isIsoDate(value)) return Date.parse(startOfLocalDay(value, this.config.timeZone));
    return parseAsOf(value, this.config.timeZone);
  }
}
