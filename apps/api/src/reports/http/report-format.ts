/** Picks a report's document format from `format=` or the Accept header, and renders it. */
import accepts from 'accepts';
import { headerOf, type HttpReply, type HttpRequest } from '../../http/http-types';
import { CSV_CONTENT_TYPE, HTML_CONTENT_TYPE, XLSX_CONTENT_TYPE } from '@appeal-ledger/projections';
import { Problem } from '../../http/problem';

export type ReportFormat = 'json' | 'csv' | 'xlsx' | 'html';
const FORMATS: readonly ReportFormat[] = ['json', 'csv', 'xlsx', 'html'];

export function reportFormat(req: HttpRequest, format: string | undefined): ReportFormat {
  if (format !== undefined && format !== '') {
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw Problem.validation([{ field: 'format', message: `must be one of ${FORMATS.join(', ')}` }]);
    }
    return format as ReportFormat;
  }
  const preferred = accepts(req.raw).type(['application/json', 'text/csv', XLSX_CONTENT_TYPE, 'text/html']);
  if (preferred === 'text/csv') return 'csv';
  if (preferred === XLSX_CONTENT_TYPE) return 'xlsx';
  // A browser asks for HTML first; otherwise the API's default stays JSON.
  if (preferred === 'text/html' && headerOf(req, 'accept')?.startsWith('text/html')) return 'html';
  return 'json';
}

export interface ReportRenderers<R> {
  csv(report: R): Buffer;
  xlsx(report: R): Promise<Buffer>;
  html(report: R): string;
}

/**
 * The report in the chosen format, with the reply's content type (and file name) set: JSON as the
 * object for Nest to serialise, the documents as the bytes or text to send.
 */
export async function renderReport<R>(
  res: HttpReply,
  report: R,
  format: ReportFormat,
  fileName: string,
  render: ReportRenderers<R>,
): Promise<R | Buffer | string> {
  switch (format) {
    case 'json':
      return report;
    case 'csv':
      res.type(CSV_CONTENT_TYPE).header('Content-Disposition', `attachment; filename="${fileName}.csv"`);
      return render.csv(report);
    case 'xlsx':
      res.type(XLSX_CONTENT_TYPE).header('Content-Disposition', `attachment; filename="${fileName}.xlsx"`);
      return render.xlsx(report);
    case 'html':
      res.type(HTML_CONTENT_TYPE);
      return render.html(report);
    default: {
      const never: never = format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}
