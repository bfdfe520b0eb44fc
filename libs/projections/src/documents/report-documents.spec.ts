import ExcelJS from 'exceljs';
import { DEFAULT_REPORT_CATEGORIES } from '../statistics/report-categories';
import { summaryFromCounts } from '../statistics/summary-report.query';
import type { WeeklyReport } from '../weekly/weekly-report.query';
import { summaryCsv, summaryHtml, summaryLines, summaryXlsx, periodLabel } from './summary-report.document';
import { weeklyCsv, weeklyHtml, weeklyXlsx } from './weekly-report.document';

/** exceljs types its input as an ArrayBuffer */
const arrayBufferOf = (buffer: Buffer): ArrayBuffer => new Uint8Array(buffer).buffer;

const report = summaryFromCounts(
  {
    period: { from: '2018-01-01', to: '2018-12-31' },
    comparedTo: { from: '2017-01-01', to: '2017-12-31' },
    asOf: '2019-01-15',
    categories: [
      ...DEFAULT_REPORT_CATEGORIES,
      { name: 'Прочее <script>alert(1)</script>', include: ['0001'], exclude: [] },
    ],
  },
  new Map([
    ['appeals', 1270],
    ['form:written', 700],
    ['form:electronic', 400],
    ['form:oral', 170],
    ['questions', 1408],
    ['q.code:0005.0005.0056.1149', 1000],
    ['q.code:0002.0007.0001', 408],
  ]),
  new Map([
    ['appeals', 2077],
    ['form:written', 1500],
    ['questions', 2300],
    ['q.code:0005.0005.0056.1149', 2300],
  ]),
);

const weekly: WeeklyReport = {
  week: '2018-W50',
  from: '2018-12-10',
  to: '2018-12-16',
  onControl: 3,
  registered: 2,
  registeredLate: 0,
  finalAnswers: 1,
  removedFromControl: 1,
  remindersIssued: 2,
  forwarded: { total: 0, late: 0 },
  leftWithoutAnswer: {
    total: 0,
    byGround: {
      anonymous: 0,
      obscene: 0,
      unreadable: 0,
      unclear_essence: 0,
      state_secret: 0,
      answer_published: 0,
      court_decision: 0,
      correspondence_terminated: 0,
    },
  },
  overdue: [
    {
      id: 'a',
      number: 'Д/401',
      department: 'ЖКХ & "Дороги"',
      executor: { id: 'i', name: 'Иванова' },
      dueDate: '2018-12-12',
      daysOverdue: 4,
    },
  ],
  dueNextWeek: [],
  awaitingFinalAfterInterim: [
    { id: 'b', number: 'П/2', department: null, executor: null, dueDate: '2018-12-20' },
  ],
  onFurtherControl: [],
  reportedToSource: { total: 0, late: 0 },
  reportBackOverdue: 0,
  coExecuted: 0,
  byDepartment: [
    { department: 'ЖКХ & "Дороги"', onControl: 2, answeredOnTime: 1, answeredLate: 0, overdue: 1 },
  ],
};

describe('report documents', () => {
  it('summary lines carry every figure with Russian labels', () => {
    const lines = summaryLines(report);
    expect(lines[0]).toEqual({
      label: 'Поступило обращений, всего',
      level: 0,
      figure: { current: 1270, previous: 2077, change: -807, changePercent: -38.9 },
    });
    expect(lines.find((l) => l.label === 'Коммунальное хозяйство')?.figure).toEqual({
      current: 1000,
      previous: 2300,
      change: -1300,
      changePercent: -56.5,
    });
    expect(lines.find((l) => l.label === '0005 Жилищно-коммунальная сфера')?.figure?.current).toBe(1000);
    expect(periodLabel({ from: '2018-04-01', to: '2018-06-30' })).toBe('II квартал 2018 г.');
    expect(periodLabel({ from: '2018-03-01', to: '2018-03-31' })).toBe('март 2018 г.');
  });

  it('CSV: UTF-8 with BOM, semicolons, CRLF, decimal comma, quoted and formula-safe text', () => {
    const csv = summaryCsv(report);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.toString('utf8').slice(1);
    expect(text).toContain('\r\n');
    expect(text).toContain('Поступило обращений, всего;1270;2077;-807;-38,9\r\n');
    expect(text).toContain('Показатель;2018 год;2017 год;Изменение;Изменение, %');
    const weeklyText = weeklyCsv(weekly).toString('utf8');
    expect(weeklyText).toContain('Д/401;"ЖКХ & ""Дороги""";Иванова;12.12.2018;4');
    expect(weeklyText).toContain('П/2;Не назначено;—;20.12.2018');
  });

  it('HTML: escaped text, inline CSS and SVG charts, nothing external', () => {
    const html = summaryHtml(report);
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).not.toContain('<script>');
    expect(html).toContain('Прочее &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('−38,9');
    expect(html).not.toMatch(/(src|href)=["']?https?:/);
    const weeklyPage = weeklyHtml(weekly);
    expect(weeklyPage).toContain('ЖКХ &amp; &quot;Дороги&quot;');
    expect(weeklyPage).toContain('<td class="n">4</td>');
  });

  it('XLSX: a workbook Excel reads, numbers as numbers', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(arrayBufferOf(await summaryXlsx(report)));
    const sheet = workbook.getWorksheet('Справка');
    const total = sheet?.getRow(5);
    expect([
      total?.getCell(1).value,
      total?.getCell(2).value,
      total?.getCell(3).value,
      total?.getCell(5).value,
    ]).toEqual(['Поступило обращений, всего', 1270, 2077, -38.9]);
    const weeklyBook = new ExcelJS.Workbook();
    await weeklyBook.xlsx.load(arrayBufferOf(await weeklyXlsx(weekly)));
    expect(weeklyBook.worksheets.map((w) => w.name)).toEqual([
      'Сводка',
      'Просроченные',
      'Срок на след. неделе',
      'После промежуточного',
      'По подразделениям',
      'Доп. контроль',
    ]);
    expect(weeklyBook.getWorksheet('Просроченные')?.getRow(3).getCell(5).value).toBe(4);
  });
});
