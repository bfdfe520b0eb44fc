/** The weekly control report as documents: CSV, XLSX and printable HTML with Russian labels. */
import { loadExcel } from './excel';
import type { Executor } from '../shared/event-store';
import type { WeeklyAppealRef, WeeklyReport } from '../weekly/weekly-report.query';
import type { CsvCell } from './csv';
import { toCsv } from './csv';
import { escapeHtml, htmlPage } from './html';
import {
  russianDate,
  shortRussianDate,
  UNASSIGNED_DEPARTMENT,
  WITHOUT_ANSWER_GROUND_LABELS,
} from './report-labels';
import { WITHOUT_ANSWER_GROUNDS } from '../shared/event-store';

export const weeklyTitle = (report: WeeklyReport): string =>
  `Еженедельный отчёт о рассмотрении обращений, находящихся на контроле: неделя ${report.week.slice(-2)} (${shortRussianDate(report.from)}–${shortRussianDate(report.to)})`;

const department = (name: string | null): string => name ?? UNASSIGNED_DEPARTMENT;
const executor = (who: Executor | null): string => who?.name ?? '—';

interface Table {
  title: string;
  head: string[];
  rows: (string | number)[][];
  /** columns holding numbers (right-aligned, numeric in XLSX) */
  numeric: number[];
}

function figures(report: WeeklyReport): [string, number][] {
  return [
    ['На контроле на конец недели', report.onControl],
    ['Поступило (зарегистрировано) за неделю', report.registered],
    ['из них зарегистрировано позже 3 дней (ст. 8 ч. 2 59-ФЗ)', report.registeredLate],
    ['Направлено окончательных ответов', report.finalAnswers],
    ['Снято с контроля', report.removedFromControl],
    ['Направлено напоминаний', report.remindersIssued],
    ['Направлено по компетенции', report.forwarded.total],
    ['в т.ч. позднее 7 дней (ч. 3 ст. 8)', report.forwarded.late],
    ['Оставлено без ответа по существу (ст. 11)', report.leftWithoutAnswer.total],
    ...WITHOUT_ANSWER_GROUNDS.map((g): [string, number] => [
      `в т.ч. ${WITHOUT_ANSWER_GROUND_LABELS[g]}`,
      report.leftWithoutAnswer.byGround[g],
    ]),
    ['Просрочено', report.overdue.length],
    ['Срок исполнения на следующей неделе', report.dueNextWeek.length],
    ['Ожидают окончательного ответа после промежуточного', report.awaitingFinalAfterInterim.length],
    ['На дополнительном контроле (до принятия мер)', report.onFurtherControl.length],
    ['Доложено о результатах направившему органу', report.reportedToSource.total],
    ['в т.ч. позднее срока, указанного им', report.reportedToSource.late],
    ['Срок доклада направившему органу истёк, не доложено', report.reportBackOverdue],
    ['из находящихся на контроле — с соисполнителями', report.coExecuted],
  ];
}

function tables(report: WeeklyReport): Table[] {
  const refs = (title: string, list: WeeklyAppealRef[]): Table => ({
    title,
    head: ['№ обращения', 'Подразделение', 'Исполнитель', 'Срок'],
    rows: list.map((a) => [
      a.number,
      department(a.department),
      executor(a.executor),
      shortRussianDate(a.dueDate),
    ]),
    numeric: [],
  });
  return [
    {
      title: 'Просроченные обращения',
      head: ['№ обращения', 'Подразделение', 'Исполнитель', 'Срок', 'Просрочено, дней'],
      rows: report.overdue.map((a) => [
        a.number,
        department(a.department),
        executor(a.executor),
        shortRussianDate(a.dueDate),
        a.daysOverdue,
      ]),
      numeric: [4],
    },
    refs('Срок исполнения на следующей неделе', report.dueNextWeek),
    refs('Ожидают окончательного ответа после промежуточного', report.awaitingFinalAfterInterim),
    {
      title: 'Исполнительская дисциплина по подразделениям',
      head: ['Подразделение', 'На контроле', 'Отвечено в срок', 'Отвечено с нарушением срока', 'Просрочено'],
      rows: report.byDepartment.map((d) => [
        department(d.department),
        d.onControl,
        d.answeredOnTime,
        d.answeredLate,
        d.overdue,
      ]),
      numeric: [1, 2, 3, 4],
    },
    {
      title: 'На дополнительном контроле (до принятия мер)',
      head: ['№ обращения', 'Подразделение', 'Исполнитель', 'Срок', 'До принятия мер'],
      rows: report.onFurtherControl.map((a) => [
        a.number,
        department(a.department),
        executor(a.executor),
        shortRussianDate(a.dueDate),
        shortRussianDate(a.furtherControlUntil),
      ]),
      numeric: [],
    },
  ];
}

export function weeklyCsv(report: WeeklyReport): Buffer {
  const rows: CsvCell[][] = [
    [weeklyTitle(report)],
    [`По состоянию на конец дня ${shortRussianDate(report.to)}`],
    [],
  ];
  for (const [label, value] of figures(report)) rows.push([label, value]);
  for (const table of tables(report)) {
    rows.push([], [table.title], table.head);
    for (const row of table.rows) rows.push(row);
    if (table.rows.length === 0) rows.push(['нет']);
  }
  return toCsv(rows);
}

export async function weeklyXlsx(report: WeeklyReport): Promise<Buffer> {
  const workbook = new (loadExcel().Workbook)();
  workbook.creator = 'Appeal Ledger';
  const summary = workbook.addWorksheet('Сводка');
  summary.columns = [{ width: 58 }, { width: 12 }];
  summary.addRow([weeklyTitle(report)]).font = { bold: true, size: 13 };
  summary.addRow([`По состоянию на конец дня ${russianDate(report.to)}`]);
  summary.addRow([]);
  for (const [label, value] of figures(report)) summary.addRow([label, value]);
  const sheetNames = [
    'Просроченные',
    'Срок на след. неделе',
    'После промежуточного',
    'По подразделениям',
    'Доп. контроль',
  ];
  tables(report).forEach((table, i) => {
    const sheet = workbook.addWorksheet(sheetNames[i] ?? `Лист ${i + 2}`, {
      views: [{ state: 'frozen', ySplit: 2 }],
    });
    sheet.columns = table.head.map((_, c) => ({ width: c === 0 ? 34 : 22 }));
    sheet.addRow([table.title]).font = { bold: true };
    const head = sheet.addRow(table.head);
    head.font = { bold: true };
    head.alignment = { wrapText: true, vertical: 'middle' };
    for (const row of table.rows) sheet.addRow(row);
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function weeklyHtml(report: WeeklyReport): string {
  const title = weeklyTitle(report);
  const figureRows = figures(report)
    .map(([label, value]) => `<tr><td>${escapeHtml(label)}</td><td class="n">${value}</td></tr>`)
    .join('\n');
  const sections = tables(report)
    .map((table) => {
      const head = table.head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
      const rows =
        table.rows.length === 0
          ? `<tr><td colspan="${table.head.length}">нет</td></tr>`
          : table.rows
              .map(
                (row) =>
                  `<tr>${row.map((v, c) => `<td${table.numeric.includes(c) ? ' class="n"' : ''}>${escapeHtml(v)}</td>`).join('')}</tr>`,
              )
              .join('\n');
      return `<h2>${escapeHtml(table.title)}</h2>\n<table><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
    })
    .join('\n');
  const body = `<h1>${escapeHtml(title)}</h1>
<p class="meta">${escapeHtml(`По состоянию на конец дня ${russianDate(report.to)} (неделя с ${russianDate(report.from)})`)}</p>
<table><tbody>
${figureRows}
</tbody></table>
${sections}`;
  return htmlPage(title, body);
}
