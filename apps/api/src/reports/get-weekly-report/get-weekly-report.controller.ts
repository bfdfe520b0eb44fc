/** GET /reports/weekly?week=2018-W50: the weekly control report (json, csv, xlsx, html). */
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { HttpReply, HttpRequest } from '../../http/http-types';
import { weeklyCsv, weeklyHtml, weeklyXlsx, type WeeklyReport } from '@appeal-ledger/projections';
import { listReaders } from '../../access/access-policy';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import { Problem } from '../../http/problem';
import { parseMinPosition } from '../../http/query-params';
import { answer } from '../../http/refusal-problem';
import { reportFormat, renderReport } from '../http/report-format';
import { EARLIEST_QUERY_YEAR, LATEST_QUERY_YEAR } from '../../shared/business-time-window';
import { GetWeeklyReport } from './get-weekly-report.service';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class GetWeeklyReportController {
  constructor(private readonly getWeeklyReport: GetWeeklyReport) {}

  @Get('weekly')
  @Roles(...listReaders('weekly_report'))
  @ApiOperation({
    summary: 'Weekly control report as of the end of an ISO week (regenerates identically)',
    description:
      "A controller or registrar with a department gets that department's report: its appeals (by the assignment in force at the week's end) and counts (docs/access.md). " +
      "reportedToSource { total, late }: reports to the sending body sent during the week; reportBackOverdue: still owed past the date it asked for at the week's end (issue 14).",
  })
  @ApiQuery({ name: 'week', required: true, description: 'ISO week, e.g. 2018-W50; years 2000–2100' })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv', 'xlsx', 'html'] })
  @ApiQuery({ name: 'minPosition', required: false })
  async weekly(
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
    @CurrentPrincipal() principal: Principal,
    @Query('week') week?: string,
    @Query('format') format?: string,
    @Query('minPosition') minPosition?: string,
  ): Promise<WeeklyReport | Buffer | string> {
    if (!week || !/^\d{4}-W\d{2}$/.test(week)) {
      throw Problem.validation([{ field: 'week', message: 'must be an ISO week YYYY-Www, e.g. 2018-W50' }]);
    }
    const year = Number(week.slice(0, 4));
    if (year < EARLIEST_QUERY_YEAR || year > LATEST_QUERY_YEAR) {
      throw Problem.validation([
        { field: 'week', message: `must be a week of the years ${EARLIEST_QUERY_YEAR}–${LATEST_QUERY_YEAR}` },
      ]);
    }
    const chosen = reportFormat(req, format);
    const report = answer(
      await this.getWeeklyReport.read({ week, principal, minPosition: parseMinPosition(minPosition) }),
    );
    return renderReport(res, report, chosen, `weekly-${week}`, {
      csv: weeklyCsv,
      xlsx: weeklyXlsx,
      html: weeklyHtml,
    });
  }
}
