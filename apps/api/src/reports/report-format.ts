/** Picks a report's document format from `format=` or the Accept header, and writes it. */
import type { Request, Response } from 'express';
import { CSV_CONTENT_TYPE, HTML_CONTENT_TYPE, XLSX_CONTENT_TYPE } from '@appeal-ledger/projections';
import { Problem } from '../http/problem';

export type ReportFormat = 'json' | 'csv' | 'xlsx' | 'html';
const FORMATS: readonly ReportFormat[] = ['json', 'csv', 'xlsx', 'html'];

export function reportFormat(req: Request, format: string | undefined): ReportFormat {
  if (format !== undefined && format !== '') {
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw Problem.validation([{ field: 'format', message: `must be one of ${FORMATS.join(', ')}` }]);
    }
    return format as ReportFormat;
  }
  const preferred = req.accepts(['application/json', 'text/csv', XLSX_CONTENT_TYPE, 'text/html']);
  if (preferred === 'text/csv') return 'csv';
  if (preferred === XLSX_CONTENT_TYPE) return 'xlsx';
  // A browser asks for HTML first; otherwise the API's default stays JSON.
  if (preferred === 'text/html' && req.header('accept')?.startsWith('text/html')) return 'html';
  return 'json';
}

export interface ReportRenderers<R> {
  csv(report: R): Buffer;
  xlsx(report: R): Promise<Buffer>;
  html(report: R): string;
}

/** Sends the report in the chosen format; JSON is returned for Nest to serialise. */
export async function sendReport<R>(
  res: Response,
  report: R,
  format: ReportFormat,
  fileName: string,
  render: ReportRenderers<R>,
): Promise<R | undefined> {
  switch (format) {
    case 'json':
      return report;
    case 'csv':
      res.type(CSV_CONTENT_TYPE).setHeader('Content-Disposition', `attachment; filename="${fileName}.csv"`);
      res.send(render.csv(report));
      return undefined;
    case 'xlsx':
      res.type(XLSX_CONTENT_TYPE).setHeader('Content-Disposition', `attachment; filename="${fileName}.xlsx"`);
      res.send(await render.xlsx(report));
      return undefined;
    case 'html':
      res.type(HTML_CONTENT_TYPE).send(render.html(report));
      return undefined;
    default: {
      const never: never = format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}
