/**
 * The summary (справка) as documents: CSV, XLSX and printable HTML with the same lines, Russian
 * labels, this period against the previous one.
 */
import { loadExcel } from './excel';
import { monthRange, quarterRange, yearRange } from '../shared/business-date';
import type { DateRange } from '../shared/business-date';
import type { Comparison } from '../shared/comparison';
import type { SummaryReport } from '../statistics/summary-report.query';
import { REPORTED_RESULTS } from '../statistics/summary-report.query';
import { APPEAL_KINDS, CHANNELS, FORMS, OFFICIAL_ROLES, SOURCE_TYPES } from '../shared/event-store';
import type { CsvCell } from './csv';
import { toCsv } from './csv';
import { barChartSvg, escapeHtml, htmlPage } from './html';
import {
  channelLabel,
  ELECTRONIC_ROUTE_LABELS,
  electronicRoutesFor,
  FORM_LABELS,
  KIND_LABELS,
  RESULT_LABELS,
  ROLE_LABELS,
  russianDate,
  russianPercent,
  SECTION_LABELS,
  shortRussianDate,
  signed,
  SOURCE_LABELS,
  WITHOUT_ANSWER_GROUND_LABELS,
} from './report-labels';
import { WITHOUT_ANSWER_GROUNDS } from '../shared/event-store';

export interface SummaryLine {
  label: string;
  /** 0: a main figure; 1–2: its breakdown */
  level: 0 | 1 | 2;
  /** null: a heading of the lines below it */
  figure: Comparison | null;
}

/** Months in the nominative, as report titles and period pickers name them. */
export const MONTH_NAMES: readonly string[] = [
  'январь',
  'февраль',
  'март',
  'апрель',
  'май',
  'июнь',
  'июль',
  'август',
  'сентябрь',
  'октябрь',
  'ноябрь',
  'декабрь',
];
const QUARTERS = ['I', 'II', 'III', 'IV'];

const same = (a: DateRange, b: DateRange): boolean => a.from === b.from && a.to === b.to;

/** «2018 год», «I квартал 2018 г.», «март 2018 г.», or «10.12.2018–16.12.2018». */
export function periodLabel(range: DateRange): string {
  const year = Number(range.from.slice(0, 4));
  if (same(range, yearRange(year))) return `${year} год`;
  for (let q = 1; q <= 4; q++)
    if (same(range, quarterRange(year, q))) return `${QUARTERS[q - 1] ?? q} квартал ${year} г.`;
  const month = Number(range.from.slice(5, 7));
  if (same(range, monthRange(year, month))) return `${MONTH_NAMES[month - 1] ?? month} ${year} г.`;
  return `${shortRussianDate(range.from)}–${shortRussianDate(range.to)}`;
}

export const summaryTitle = (report: SummaryReport): string =>
  `Справка о работе с обращениями граждан за ${periodLabel(report.period)}`;

/** The report as labelled lines, in the order every document shows them. */
export function summaryLines(report: SummaryReport): SummaryLine[] {
  const { appeals, questions, personalReception } = report;
  const lines: SummaryLine[] = [];
  const line = (label: string, figure: Comparison | null, level: 0 | 1 | 2 = 1): void => {
    lines.push({ label, level, figure });
  };
  line('Поступило обращений, всего', appeals.total, 0);
  line('по форме:', null);
  for (const f of FORMS) line(FORM_LABELS[f], appeals.byForm[f], 2);
  line('по каналам поступления:', null);
  const ranges = [report.period, report.comparedTo];
  for (const c of CHANNELS) {
    line(channelLabel(c, ranges), appeals.byChannel[c], 2);
    // the electronic routes recorded at registration (59-FZ art. 4 п.1; e-mail until 29.03.2025)
    if (c === 'electronic')
      for (const route of electronicRoutesFor(ranges))
        line(`в т.ч. ${ELECTRONIC_ROUTE_LABELS[route]}`, appeals.byElectronicRoute[route], 2);
  }
  line('по источнику поступления:', null);
  for (const s of SOURCE_TYPES) line(SOURCE_LABELS[s], appeals.bySource[s], 2);
  line('по видам:', null);
  for (const k of APPEAL_KINDS) line(KIND_LABELS[k], appeals.byKind[k], 2);
  line('Повторные', appeals.repeat);
  line('Дубликаты (не учтены как обращения)', report.duplicates);
  line('Коллективные', appeals.collective);
  line('Анонимные', appeals.anonymous);
  line('Рассмотрены с нарушением сроков', appeals.answeredLate);
  line('Направлены по компетенции (полностью или в части вопросов)', appeals.forwarded.total);
  line('в т.ч. позднее 7 дней (ч. 3 ст. 8)', appeals.forwarded.late, 2);
  line('Оставлены без ответа по существу (ст. 11)', appeals.leftWithoutAnswer.total);
  for (const g of WITHOUT_ANSWER_GROUNDS)
    line(WITHOUT_ANSWER_GROUND_LABELS[g], appeals.leftWithoutAnswer.byGround[g], 2);
  line('Зарегистрированы с нарушением срока (позже 3 дней, ст. 8 ч. 2 59-ФЗ)', appeals.registeredLate);
  line('Поставлены на дополнительный контроль (до принятия мер)', appeals.onFurtherControl);
  line('Доложено о результатах направившему органу', appeals.reportedToSource.total);
  line('в т.ч. позднее срока, указанного им', appeals.reportedToSource.late, 2);
  line('Срок доклада направившему органу истёк, не доложено', appeals.reportBackOverdue);
  line('Исполнялись с соисполнителями (по резолюции)', appeals.coExecuted);

  line('Вопросов в обращениях, всего', questions.total, 0);
  line('по разделам классификатора:', null);
  for (const [section, figure] of Object.entries(questions.bySection))
    line(`${section} ${SECTION_LABELS[section] ?? ''}`.trim(), figure, 2);
  line('по тематике:', null);
  for (const [category, figure] of Object.entries(questions.byCategory)) line(category, figure, 2);
  line('по результатам рассмотрения:', null);
  for (const r of REPORTED_RESULTS) {
    line(RESULT_LABELS[r], questions.byResult[r], 2);
    if (r === 'supported') line('в т.ч. меры приняты', questions.measuresTaken, 2);
  }

  line('Личный приём: вопросов рассмотрено', null, 0);
  for (const role of OFFICIAL_ROLES) {
    const { questions: heard, onSite } = personalReception.byOfficialRole[role];
    line(ROLE_LABELS[role], heard);
    line('в т.ч. с выездом на место', onSite, 2);
  }
  return lines;
}

const indent = (line: SummaryLine): string => '  '.repeat(line.level);

export function summaryCsv(report: SummaryReport): Buffer {
  const rows: CsvCell[][] = [
    [summaryTitle(report)],
    [
      `Период: ${shortRussianDate(report.period.from)}–${shortRussianDate(report.period.to)}; для сравнения: ${shortRussianDate(report.comparedTo.from)}–${shortRussianDate(report.comparedTo.to)}; сроки на ${shortRussianDate(report.asOf)}`,
    ],
    [],
    ['Показатель', periodLabel(report.period), periodLabel(report.comparedTo), 'Изменение', 'Изменение, %'],
  ];
  for (const line of summaryLines(report)) {
    const f = line.figure;
    rows.push(
      f
        ? [indent(line) + line.label, f.current, f.previous, f.change, f.changePercent]
        : [indent(line) + line.label],
    );
  }
  return toCsv(rows);
}

export async function summaryXlsx(report: SummaryReport): Promise<Buffer> {
  const workbook = new (loadExcel().Workbook)();
  workbook.creator = 'Appeal Ledger';
  const sheet = workbook.addWorksheet('Справка', { views: [{ state: 'frozen', ySplit: 4 }] });
  sheet.columns = [{ width: 60 }, { width: 16 }, { width: 16 }, { width: 13 }, { width: 14 }];
  sheet.addRow([summaryTitle(report)]).font = { bold: true, size: 13 };
  sheet.addRow([
    `Сравнение: ${periodLabel(report.period)} и ${periodLabel(report.comparedTo)}; сроки на ${russianDate(report.asOf)}`,
  ]);
  sheet.addRow([]);
  const header = sheet.addRow([
    'Показатель',
    periodLabel(report.period),
    periodLabel(report.comparedTo),
    'Изменение',
    'Изменение, %',
  ]);
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'middle' };
  for (const line of summaryLines(report)) {
    const f = line.figure;
    const row = sheet.addRow(
      f ? [line.label, f.current, f.previous, f.change, f.changePercent] : [line.label],
    );
    row.getCell(1).alignment = { indent: line.level * 2 };
    if (line.level === 0) row.font = { bold: true };
    row.getCell(4).numFmt = '+0;-0;0';
    row.getCell(5).numFmt = '+0.0;-0.0;0.0';
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function figureCells(f: Comparison): string {
  const trend = f.change > 0 ? 'up' : f.change < 0 ? 'down' : '';
  return `<td class="n">${f.current}</td><td class="n">${f.previous}</td><td class="n ${trend}">${escapeHtml(signed(f.change))}</td><td class="n ${trend}">${escapeHtml(russianPercent(f.changePercent))}</td>`;
}

export function summaryHtml(report: SummaryReport): string {
  const title = summaryTitle(report);
  const current = periodLabel(report.period);
  const previous = periodLabel(report.comparedTo);
  const rows = summaryLines(report)
    .map((line) => {
      const cls = [`l${line.level}`, line.figure === null || line.level === 0 ? 'group' : '']
        .join(' ')
        .trim();
      return `<tr class="${cls}"><td>${escapeHtml(line.label)}</td>${line.figure ? figureCells(line.figure) : '<td colspan="4"></td>'}</tr>`;
    })
    .join('\n');
  const series = [
    { label: current, color: '#2f6db5' },
    { label: previous, color: '#a9c4e6' },
  ];
  const byForm = barChartSvg(
    'Обращения по форме',
    series,
    FORMS.map((f) => ({
      label: FORM_LABELS[f],
      values: [report.appeals.byForm[f].current, report.appeals.byForm[f].previous],
    })),
  );
  const byCategory = barChartSvg(
    'Вопросы по тематике',
    series,
    Object.entries(report.questions.byCategory).map(([name, f]) => ({
      label: name,
      values: [f.current, f.previous],
    })),
  );
  const body = `<h1>${escapeHtml(title)}</h1>
<p class="meta">${escapeHtml(`${russianDate(report.period.from)} — ${russianDate(report.period.to)}; в сравнении с периодом ${russianDate(report.comparedTo.from)} — ${russianDate(report.comparedTo.to)}. Соблюдение сроков — на ${russianDate(report.asOf)}.`)}</p>
<table>
<thead><tr><th>Показатель</th><th>${escapeHtml(current)}</th><th>${escapeHtml(previous)}</th><th>Изменение</th><th>Изменение, %</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${byForm}
${byCategory}`;
  return htmlPage(title, body);
}
