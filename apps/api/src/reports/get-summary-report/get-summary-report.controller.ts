/**
 * GET /reports/annual|quarterly|monthly: the summary with this period against the previous one, as
 * JSON, CSV (Accept: text/csv or format=csv), XLSX (format=xlsx) or a printable page (format=html).
 */
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { isIsoDate } from '@appeal-ledger/appeal';
import { summaryCsv, summaryHtml, summaryXlsx, type SummaryReport } from '@appeal-ledger/projections';
import { Roles } from '../../auth/auth.decorators';
import { Problem } from '../../http/problem';
import { parseIntParam, parseMinPosition } from '../../read-models/read-model-query';
import { reportFormat, sendReport } from '../report-format';
import { GetSummaryReportQuery, type SummaryPeriod } from './get-summary-report.query';

const RENDER = { csv: summaryCsv, xlsx: summaryXlsx, html: summaryHtml };

function required(value: number | undefined, field: string): number {
  if (value === undefined) throw Problem.validation([{ field, message: 'is required' }]);
  return value;
}

function asOfParam(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!isIsoDate(raw)) throw Problem.validation([{ field: 'asOf', message: 'must be a date YYYY-MM-DD' }]);
  return raw;
}

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
@Roles('controller', 'supervisor', 'registrar', 'admin')
export class GetSummaryReportController {
  constructor(private readonly bus: QueryBus) {}

  @Get('annual')
  @ApiOperation({ summary: 'Annual summary (справка) against the previous year or compareTo' })
  @ApiQuery({ name: 'year', required: true })
  @ApiQuery({ name: 'compareTo', required: false })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv', 'xlsx', 'html'] })
  @ApiQuery({ name: 'asOf', required: false, description: 'report date YYYY-MM-DD (default today)' })
  @ApiQuery({ name: 'minPosition', required: false })
  annual(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Query('year') year?: string,
    @Query('compareTo') compareTo?: string,
    @Query('format') format?: string,
    @Query('asOf') asOf?: string,
    @Query('minPosition') minPosition?: string,
  ): Promise<SummaryReport | undefined> {
    const y = required(parseIntParam(year, 'year', 1990, 2100), 'year');
    const period: SummaryPeriod = {
      kind: 'annual',
      year: y,
      compareTo: parseIntParam(compareTo, 'compareTo', 1990, 2100),
    };
    return this.run(req, res, period, format, asOf, minPosition, `annual-${y}`);
  }

  @Get('quarterly')
  @ApiOperation({ summary: 'Quarterly summary against the same quarter a year earlier' })
  @ApiQuery({ name: 'year', required: true })
  @ApiQuery({ name: 'quarter', required: true })
  @ApiQuery({ name: 'compareTo', required: false, description: 'year to compare with' })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv', 'xlsx', 'html'] })
  @ApiQuery({ name: 'asOf', required: false })
  @ApiQuery({ name: 'minPosition', required: false })
  quarterly(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Query('year') year?: string,
    @Query('quarter') quarter?: string,
    @Query('compareTo') compareTo?: string,
    @Query('format') format?: string,
    @Query('asOf') asOf?: string,
    @Query('minPosition') minPosition?: string,
  ): Promise<SummaryReport | undefined> {
    const y = required(parseIntParam(year, 'year', 1990, 2100), 'year');
    const q = required(parseIntParam(quarter, 'quarter', 1, 4), 'quarter');
    const period: SummaryPeriod = {
      kind: 'quarterly',
      year: y,
      quarter: q,
      compareTo: parseIntParam(compareTo, 'compareTo', 1990, 2100),
    };
    return this.run(req, res, period, format, asOf, minPosition, `quarterly-${y}-Q${q}`);
  }

  @Get('monthly')
  @ApiOperation({ summary: 'Monthly summary against the same month a year earlier' })
  @ApiQuery({ name: 'year', required: true })
  @ApiQuery({ name: 'month', required: true })
  @ApiQuery({ name: 'compareTo', required: false, description: 'year to compare with' })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv', 'xlsx', 'html'] })
  @ApiQuery({ name: 'asOf', required: false })
  @ApiQuery({ name: 'minPosition', required: false })
  monthly(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Query('year') year?: string,
    @Query('month') month?: string,
    @Query('compareTo') compareTo?: string,
    @Query('format') format?: string,
    @Query('asOf') asOf?: string,
    @Query('minPosition') minPosition?: string,
  ): Promise<SummaryReport | undefined> {
    const y = required(parseIntParam(year, 'year', 1990, 2100), 'year');
    const m = required(parseIntParam(month, 'month', 1, 12), 'month');
    const period: SummaryPeriod = {
      kind: 'monthly',
      year: y,
      month: m,
      compareTo: parseIntParam(compareTo, 'compareTo', 1990, 2100),
    };
    return this.run(
      req,
      res,
      period,
      format,
      asOf,
      minPosition,
      `monthly-${y}-${String(m).padStart(2, '0')}`,
    );
  }

  private async run(
    req: Request,
    res: Response,
    period: SummaryPeriod,
    format: string | undefined,
    asOf: string | undefined,
    minPosition: string | undefined,
    fileName: string,
  ): Promise<SummaryReport | undefined> {
    const chosen = reportFormat(req, format);
    const report = await this.bus.execute<GetSummaryReportQuery, SummaryReport>(
      new GetSummaryReportQuery(period, asOfParam(asOf), parseMinPosition(minPosition)),
    );
    return sendReport(res, report, chosen, fileName, RENDER);
  }
}
