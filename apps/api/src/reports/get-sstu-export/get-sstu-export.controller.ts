/** GET /reports/sstu?month=2018-12: the ССТУ.РФ monthly export as a JSON file (docs/sstu.md). */
import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { SstuExport } from '@appeal-ledger/projections';
import { listReaders } from '../../access/access-policy';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import type { HttpReply } from '../../http/http-types';
import { Problem } from '../../http/problem';
import { parseMinPosition } from '../../http/query-params';
import { answer, refusalProblem } from '../../http/refusal-problem';
import { EARLIEST_QUERY_YEAR, LATEST_QUERY_YEAR } from '../../shared/business-time-window';
import { GetSstuExport, sstuRefusalFor } from './get-sstu-export.service';

/** `YYYY-MM` of a real month in the query window; a 400 naming `month` otherwise. */
export function monthParam(raw: string | undefined): string {
  const m = raw === undefined ? null : /^(\d{4})-(\d{2})$/.exec(raw);
  const year = Number(m?.[1]);
  const month = Number(m?.[2]);
  if (!m || month < 1 || month > 12)
    throw Problem.validation([{ field: 'month', message: 'must be a month YYYY-MM, e.g. 2018-12' }]);
  if (year < EARLIEST_QUERY_YEAR || year > LATEST_QUERY_YEAR)
    throw Problem.validation([
      { field: 'month', message: `must be a month of the years ${EARLIEST_QUERY_YEAR}–${LATEST_QUERY_YEAR}` },
    ]);
  return raw as string;
}

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class GetSstuExportController {
  constructor(private readonly getSstuExport: GetSstuExport) {}

  @Get('sstu')
  @Roles(...listReaders('sstu_export'))
  @ApiOperation({
    summary: 'ССТУ.РФ monthly export: every appeal registered or with a question status changed in the month',
    description:
      'A JSON file (Content-Disposition: attachment; filename="sstu-YYYY-MM.json") in the format of the portal\'s import: statuses as they stood at the end of the month, read from the events. Records that cannot be sent as they are go to `problems`. Opens the first applicant of each appeal (recorded in the personal-data access log). Admin and controllers of the whole administration (docs/sstu.md, docs/access.md).',
  })
  @ApiProduces('application/json')
  @ApiQuery({ name: 'month', required: true, description: 'YYYY-MM, e.g. 2018-12' })
  @ApiQuery({ name: 'minPosition', required: false })
  async export(
    @Res({ passthrough: true }) res: HttpReply,
    @CurrentPrincipal() principal: Principal,
    @Query('month') month?: string,
    @Query('minPosition') minPosition?: string,
  ): Promise<SstuExport> {
    // A department's account may not send the whole administration's export: say so before anything else.
    const refusal = sstuRefusalFor(principal);
    if (refusal) throw refusalProblem(refusal);
    const checked = monthParam(month);
    const file = answer(
      await this.getSstuExport.read({
        month: checked,
        principal,
        minPosition: parseMinPosition(minPosition),
      }),
    );
    res.header('Content-Disposition', `attachment; filename="sstu-${checked}.json"`);
    return file;
  }
}
