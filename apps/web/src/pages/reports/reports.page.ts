/**
 * «Отчёты»: the weekly control report for a chosen ISO week and the annual / quarterly / monthly
 * summary with the previous period, on the page (the same documents the /reports endpoints render,
 * so the page and the downloads agree), printable, with XLSX and CSV links; and, for those who
 * report, the ССТУ.РФ monthly export to download.
 */
import { MONTH_NAMES } from '@appeal-ledger/projections';
import { html, raw, type Html } from '../../shell/html';
import { queryString, selectField, textField } from '../shared/widgets';

export type SummaryPeriod = 'annual' | 'quarterly' | 'monthly';

export interface ReportsQuery {
  week: string;
  period: SummaryPeriod;
  year: number;
  quarter: number;
  month: number;
}

export interface ReportsView {
  query: ReportsQuery;
  /** the documents' HTML (full pages from the projections library); their bodies go on the page */
  weeklyDocument: string;
  /** null for a department's account: the summary counts the whole administration (docs/access.md) */
  summaryDocument: string | null;
  /**
   * The month (`YYYY-MM`) the ССТУ.РФ export form offers (the last month ended); null for those who
   * may not download it (only admin and controllers of the whole administration report).
   */
  sstuMonth: string | null;
}

/** «Выгрузка в ССТУ.РФ»: the month's export as a JSON file (GET /reports/sstu, docs/sstu.md). */
function sstuSection(month: string): Html {
  return html`<section class="report no-print" aria-label="Выгрузка в ССТУ.РФ">
    <form method="get" action="/reports/sstu" class="filter-form">
      <fieldset>
        <legend>Выгрузка в ССТУ.РФ</legend>
        <div class="field">
          <label for="sstu-month">Месяц</label>
          <input id="sstu-month" name="month" type="month" value="${month}" required />
          <span class="hint">обращения, зарегистрированные в месяце или с изменившимся статусом вопроса</span>
        </div>
      </fieldset>
      <div class="actions"><button type="submit" data-sstu-download>Скачать для ССТУ.РФ</button></div>
    </form>
  </section>`;
}

/** The body of a complete HTML document the library rendered (escaped there). */
export function documentBody(document: string): string {
  const start = document.indexOf('<body>');
  const end = document.lastIndexOf('</body>');
  return start >= 0 && end > start ? document.slice(start + '<body>'.length, end) : document;
}

export function summaryParams(q: ReportsQuery): Record<string, string | number> {
  switch (q.period) {
    case 'annual':
      return { year: q.year };
    case 'quarterly':
      return { year: q.year, quarter: q.quarter };
    case 'monthly':
      return { year: q.year, month: q.month };
    default: {
      const unhandled: never = q.period;
      return unhandled;
    }
  }
}

export function renderReports(view: ReportsView): Html {
  const q = view.query;
  const weekly = `/reports/weekly${queryString({ week: q.week })}`;
  const summaryPath = `/reports/${q.period}`;
  const summary = queryString(summaryParams(q));
  const weeklyXlsx = `/reports/weekly${queryString({ week: q.week, format: 'xlsx' })}`;
  const weeklyCsv = `/reports/weekly${queryString({ week: q.week, format: 'csv' })}`;
  const summaryXlsx = `${summaryPath}${queryString({ ...summaryParams(q), format: 'xlsx' })}`;
  const summaryCsv = `${summaryPath}${queryString({ ...summaryParams(q), format: 'csv' })}`;
  return html`<h1>Отчёты</h1>
    <form method="get" action="/reports" class="filter-form no-print">
      <fieldset>
        <legend>Еженедельный отчёт о контроле</legend>
        ${textField('Неделя', 'week', { type: 'week', value: q.week })}
      </fieldset>
      <fieldset>
        <legend>Сводка с прошлым периодом</legend>
        ${selectField(
          'Период',
          'period',
          [
            { value: 'annual', text: 'Год' },
            { value: 'quarterly', text: 'Квартал' },
            { value: 'monthly', text: 'Месяц' },
          ],
          { value: q.period },
        )}
        ${textField('Год', 'year', { type: 'number', value: String(q.year) })}
        ${selectField(
          'Квартал',
          'quarter',
          [1, 2, 3, 4].map((n) => ({ value: String(n), text: `${n} квартал` })),
          { value: String(q.quarter) },
        )}
        ${selectField(
          'Месяц',
          'month',
          MONTH_NAMES.map((m, i) => ({ value: String(i + 1), text: m })),
          { value: String(q.month) },
        )}
      </fieldset>
      <div class="actions">
        <button type="submit">Показать</button> <button type="button" data-print>Печать</button>
      </div>
    </form>
    <section class="report" aria-label="Еженедельный отчёт">
      <p class="downloads no-print">
        Еженедельный отчёт: <a href="${weeklyXlsx}" download>Скачать XLSX</a> ·
        <a href="${weeklyCsv}" download>Скачать CSV</a> ·
        <a href="${weekly}&amp;format=html" target="_blank">Отдельной страницей</a>
      </p>
      <div class="report-body">${raw(documentBody(view.weeklyDocument))}</div>
    </section>
    ${
      view.summaryDocument === null
        ? html`<section class="report page-break" aria-label="Сводка">
            <p>Сводка считает обращения всей администрации, поэтому учётной записи отдела она не показывается.</p>
          </section>`
        : html`<section class="report page-break" aria-label="Сводка">
            <p class="downloads no-print">
              Сводка: <a href="${summaryXlsx}" download>Скачать XLSX</a> ·
              <a href="${summaryCsv}" download>Скачать CSV</a> ·
              <a href="${summaryPath}${summary}&amp;format=html" target="_blank">Отдельной страницей</a>
            </p>
            <div class="report-body">${raw(documentBody(view.summaryDocument))}</div>
          </section>`
    }
    ${view.sstuMonth === null ? '' : sstuSection(view.sstuMonth)}`;
}
