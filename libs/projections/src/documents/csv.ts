/**
 * CSV as Russian Excel opens it by double-click: UTF-8 with a BOM (else Excel reads cp1251), `;`
 * between fields (the list separator of the Russian locale, where `,` is the decimal mark), CRLF.
 */

export type CsvCell = string | number | null;

const FORMULA_START = /^[=+\-@\t\r]/;

function cell(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : String(value).replace('.', ',');
  // text that Excel would run as a formula is neutralised (OWASP CSV injection)
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: readonly (readonly CsvCell[])[]): Buffer {
  const body = rows.map((row) => row.map(cell).join(';')).join('\r\n');
  return Buffer.from(`\uFEFF${body}\r\n`, 'utf8');
}

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const HTML_CONTENT_TYPE = 'text/html; charset=utf-8';
