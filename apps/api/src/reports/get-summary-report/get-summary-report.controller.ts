/**
 * GET /reports/annual|quarterly|monthly: the summary with this period against the previous one, as
 * JSON, CSV (Accept: text/csv or format=csv), XLSX (format=xlsx) or a printable page (format=html).
 */
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { HttpReply, HttpRequest } from '../../http/http-types';
import { isIsoDate } from '@appeal-ledger/appeal';
import { summaryCsv, summaryHtml, summaryXlsx, type SummaryReport } from '@appeal-ledger/projections';
import { listReaders } from '../../access/access-policy';
import { Roles, type AuthenticatedRequest } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import { Problem } from '../../http/problem';
import { parseIntParam, parseMinPosition } from '../../http/query-params';
import { answer, refusalProblem } from '../../http/refusal-problem';
import { reportFormat, renderReport } from '../http/report-format';
import {
  EARLIEST_QUERY_YEAR,
  LATEST_QUERY_YEAR,
  queryWindowProblem,
} from '../../shared/business-time-window';
import { GetSummaryReport, summaryRefusalFor, type SummaryPeriod } from './get-summary-report.service';

const RENDER = { csv: summaryCsv, xlsx: summaryXlsx, html: summaryHtml };

function required(value: number | undefined, field: string): number {
  if (value === undefined) throw Problem.validation([{ field, message: 'is required' }]);
  return value;
}

function asOfParam(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!isIsoDate(raw)) throw Problem.validation([{ field: 'asOf', message: 'must be a date YYYY-MM-DD' }]);
  const outside = queryWindowProblem(raw, 'UTC');
  if (outside) throw Problem.validation([{ field: 'asOf', message: outside }]);
  return raw;
}

type RawQuery = Record<string, string | undefined>;

/** The period a request names: year (+ quarter or month), and the year to compare with. */
function periodOf(kind: SummaryPeriod['kind'], q: RawQuery): { period: SummaryPeriod; fileName: string } {
  const year = required(parseIntParam(q.year, 'year', EARLIEST_QUERY_YEAR, LATEST_QUERY_YEAR), 'year');
  const compareTo = parseIntParam(q.compareTo, 'compareTo', EARLIEST_QUERY_YEAR, LATEST_QUERY_YEAR);
  switch (kind) {
    case 'annual':
      return { period: { kind, year, compareTo }, fileName: `annual-${year}` };
    case 'quarterly': {
      const quarter = required(parseIntParam(q.quarter, 'quarter', 1, 4), 'quarter');
      return { period: { kind, year, quarter, compareTo }, fileName: `quarterly-${year}-Q${quarter}` };
    }
    case 'monthly': {
      const month = required(parseIntParam(q.month, 'month', 1, 12), 'month');
      return {
        period: { kind, year, month, compareTo },
        fileName: `monthly-${year}-${String(month).padStart(2, '0')}`,
      };
    }
    default: {
      const never: never = kind;
      throw new Error(`unknown period ${String(never)}`);
    }
  }
}

/** Query parameters every summary takes. */
function CommonSummaryQueries(): MethodDecorator {
  const decorators = [
    ApiQuery({ name: 'year', required: true, description: `${EARLIEST_QUERY_YEAR}–${LATEST_QUERY_YEAR}` }),
    ApiQuery({
      name: 'compareTo',
      required: false,
      description: `year to compare with (default: the year before), ${EARLIEST_QUERY_YEAR}–${LATEST_QUERY_YEAR}`,
    }),
    ApiQuery({ name: 'format', required: false, enum: ['json', 'csv', 'xlsx', 'html'] }),
    ApiQuery({
      name: 'asOf',
      required: false,
      description: `report date YYYY-MM-DD (default today), years ${EARLIEST_QUERY_YEAR}–${LATEST_QUERY_YEAR}`,
    }),
    ApiQuery({ name: 'minPosition', required: false }),
  ];
  return (target, key, descriptor) => {
    for (const decorate of decorators) decorate(target, key, descriptor);
  };
}

function principalOf(req: HttpRequest): Principal {
  const principal = (req as AuthenticatedRequest).principal;
  if (!principal) throw Problem.unauthorized('send Authorization: Bearer <token>');
  return principal;
}

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
@Roles(...listReaders('summary_report'))
export class GetSummaryReportController {
  constructor(private readonly getSummaryReport: GetSummaryReport) {}

  @Get('annual')
  @ApiOperation({ summary: 'Annual summary (справка) against the previous year or compareTo' })
  @CommonSummaryQueries()
  annual(
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
    @Query() query: RawQuery,
  ): Promise<SummaryReport | Buffer | string> {
    return this.run(req, res, 'annual', query);
  }

  @Get('quarterly')
  @ApiOperation({ summary: 'Quarterly summary against the same quarter a year earlier' })
  @CommonSummaryQueries()
  @ApiQuery({ name: 'quarter', required: true })
  quarterly(
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
    @Query() query: RawQuery,
  ): Promise<SummaryReport | Buffer | string> {
    return this.run(req, res, 'quarterly', query);
  }

  @Get('monthly')
  @ApiOperation({ summary: 'Monthly summary against the same month a year earlier' })
  @CommonSummaryQueries()
  @ApiQuery({ name: 'month', required: true })
  monthly(
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
    @Query() query: RawQuery,
  ): Promise<SummaryReport | Buffer | string> {
    return this.run(req, res, 'monthly', query);
  }

  private async run(
    req: HttpRequest,
    res: HttpReply,
    kind: SummaryPeriod['kind'],
    query: RawQuery,
  ): Promise<SummaryReport | Buffer | string> {
    const principal = principalOf(req);
    // A department's account may not read the whole administration's counts: say so before anything else.
    const refusal = summaryRefusalFor(principal);
    if (refusal) throw refusalProblem(refusal);
    const { period, fileName } = periodOf(kind, query);
    const chosen = reportFormat(req, query.format);
    const report = answer(
      await this.getSummaryReport.read({
        period,
        principal,
        asOf: asOfParam(query.asOf),
        minPosition: parseMinPosition(query.minPosition),
      }),
    );
    return renderReport(res, report, chosen, fileName, RENDER);
  }
}
