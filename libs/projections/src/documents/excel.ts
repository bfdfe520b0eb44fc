/** exceljs costs ~28 MB of memory: it is loaded on the first XLSX document, not at start. */
type ExcelModule = typeof import('exceljs');

let excel: ExcelModule | undefined;

export function loadExcel(): ExcelModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  excel ??= require('exceljs') as ExcelModule;
  return excel;
}
