import type { ControlRow, JournalRow } from '@appeal-ledger/projections';
import { controlGroupOf, renderControl } from '../control/control.page';
import { journalCsvRows, renderJournal } from '../journal/journal.page';
import { renderRegistration } from '../registration/registration.page';
import { documentBody, renderReports } from '../reports/reports.page';

/** markup with whitespace runs folded, so assertions do not depend on formatting */
const flat = (markup: string): string =>
  markup
    .replace(/\s+/g, ' ')
    .replace(/\s*\/?>\s*/g, '>')
    .replace(/\s+</g, '<');

const journalRow: JournalRow = {
  id: 'a1',
  number: 'П/1',
  registeredAt: '2018-03-06',
  receivedAt: '2018-03-05',
  channel: 'phone',
  kind: 'complaint',
  territory: 'п. Елань',
  questionCodes: ['0005.0005.0056.1149'],
  state: 'interim_answered',
  department: 'Отдел ЖКХ',
  executor: { id: 'sidorov', name: 'Сидоров С.С.' },
  dueDate: '2018-04-05',
  daysLeft: -2,
  overdue: true,
  onControl: true,
  registeredLate: false,
  extended: false,
  forwardedLate: false,
  withoutAnswerGround: null,
  onFurtherControl: false,
  reportBackBy: null,
  reportToSourcePending: false,
};

describe('the journal page', () => {
  it('lists rows in words with a next-page link keeping the filters, and a CSV link', () => {
    const page = flat(
      renderJournal({
        rows: [journalRow],
        nextCursor: 'CUR',
        query: { state: 'interim_answered' },
        applicants: new Map([['a1', 'Петров П.П.']]),
        executors: [],
      }).toString(),
    );
    expect(page).toContain('<a href="/appeals/a1">П/1</a>');
    expect(page).toContain('Дан промежуточный ответ');
    expect(page).toContain('просрочено на 2 раб. дн.');
    expect(page).toContain('Петров П.П.');
    expect(page).toContain('href="/appeals?state=interim_answered&amp;cursor=CUR"');
    expect(page).toContain('href="/appeals?state=interim_answered&amp;format=csv"');
    expect(page).toContain('>Поиск</button>');
  });

  it('marks a late registration (59-FZ art. 8 ч.2) and filters by it, keeping the filter when paging', () => {
    const page = flat(
      renderJournal({
        rows: [
          { ...journalRow, registeredLate: true },
          { ...journalRow, id: 'a2', number: 'П/2' },
        ],
        nextCursor: 'CUR',
        query: { registeredLate: 'true' },
        applicants: null,
        executors: [],
      }).toString(),
    );
    expect(page.match(/рег\. с нарушением срока/g)).toHaveLength(1);
    expect(page).toContain('Срок регистрации');
    expect(page).toMatch(/<option value="true" selected>с нарушением \(позже 3 дней\)<\/option>/);
    expect(page).toContain('href="/appeals?registeredLate=true&amp;cursor=CUR"');
  });

  it('drops the applicant column for roles that may not see it; CSV has the same columns', () => {
    const page = flat(
      renderJournal({
        rows: [journalRow],
        nextCursor: null,
        query: {},
        applicants: null,
        executors: [],
      }).toString(),
    );
    expect(page).not.toContain('Заявитель');
    const csv = journalCsvRows([journalRow], null);
    expect(csv[0]).not.toContain('Заявитель');
    expect(csv[1]).toEqual(
      expect.arrayContaining(['П/1', '06.04.2018'.replace('06.04', '06.03'), 'Телефон']),
    );
  });
});

describe('the registration card', () => {
  it('has the contract labels, options and button; fields are named by the API paths', () => {
    const page = flat(renderRegistration({ today: '2018-03-06' }).toString());
    for (const label of [
      'Дата поступления',
      'Канал поступления',
      'Вид обращения',
      'Источник',
      'ФИО заявителя',
      'Адрес заявителя',
      'Код вопроса',
      'Содержание вопроса',
      'Территория',
      'Краткое содержание',
    ]) {
      expect(page).toContain(`>${label}</label>`);
    }
    for (const option of [
      'Письменное',
      'Электронное',
      'Личный приём',
      'Телефон',
      'Предложение',
      'Заявление',
      'Жалоба',
    ])
      expect(page).toContain(`>${option}</option>`);
    expect(page).toContain('>Добавить заявителя</button>');
    expect(page).toContain('>Добавить вопрос</button>');
    expect(page).toContain('>Зарегистрировать</button>');
    expect(page).toContain('name="applicants.0.name"');
    expect(page).toContain('name="questions.0.code"');
    expect(page).toContain('name="receivedAt" type="date" value="2018-03-06"');
  });
});

describe('the control board', () => {
  const row = (over: Partial<ControlRow>): ControlRow => ({
    id: 'x',
    number: 'П/1',
    state: 'assigned',
    department: null,
    executor: null,
    registeredAt: '2018-03-01',
    dueDate: '2018-03-30',
    daysLeft: 5,
    overdue: false,
    interimAnswers: 0,
    extended: false,
    onControl: true,
    finalAnswerAt: null,
    forwardedAt: null,
    late: null,
    remindersIssued: 0,
    forwardedLate: false,
    withoutAnswerGround: null,
    registeredLate: false,
    reportBackBy: null,
    reportToSourcePending: false,
    reportToSourceOverdue: false,
    reportedToSourceAt: null,
    onFurtherControl: false,
    furtherControlUntil: null,
    measuresCompletedAt: null,
    coExecutors: [],
    ...over,
  });
  it('groups rows: overdue, due today, within the reminder window, the rest', () => {
    expect(controlGroupOf(row({ overdue: true, daysLeft: -1 }), 3)).toBe('overdue');
    expect(controlGroupOf(row({ daysLeft: 0 }), 3)).toBe('today');
    expect(controlGroupOf(row({ daysLeft: 3 }), 3)).toBe('soon');
    expect(controlGroupOf(row({ daysLeft: 4 }), 3)).toBe('rest');
    expect(controlGroupOf(row({ daysLeft: -3, finalAnswerAt: '2018-03-20' }), 3)).toBe('rest');
  });
  it('marks a row registered after the three days of art. 8 ч.2', () => {
    const page = flat(
      renderControl({
        groups: {
          overdue: { rows: [], total: 0 },
          today: { rows: [], total: 0 },
          soon: { rows: [], total: 0 },
          rest: { rows: [row({ registeredLate: true }), row({ id: 'y', number: 'П/2' })], total: 2 },
        },
        counts: [],
        query: {},
        windowDays: 3,
        executors: [],
        ownOnly: false,
      }).toString(),
    );
    expect(page.match(/рег\. с нарушением срока/g)).toHaveLength(1);
  });

  it('shows the groups and the counts', () => {
    const empty = { rows: [], total: 0 };
    const page = flat(
      renderControl({
        groups: {
          overdue: { rows: [row({ overdue: true, daysLeft: -1 })], total: 1 },
          today: empty,
          soon: empty,
          rest: empty,
        },
        counts: [{ department: 'Отдел ЖКХ', executor: 'Сидоров С.С.', onControl: 4, overdue: 1 }],
        query: {},
        windowDays: 3,
        executors: [],
        ownOnly: true,
      }).toString(),
    );
    expect(page).toContain('Просрочено<span class="count">(1)</span>');
    expect(page).toContain('Срок сегодня');
    expect(page).toContain('<td class="n">4</td>');
    expect(page).not.toContain('name="executorId"');
  });
});

describe('the reports page', () => {
  it('puts the documents on the page and links the downloads', () => {
    expect(documentBody('<html><body><h1>X</h1></body></html>')).toBe('<h1>X</h1>');
    const page = flat(
      renderReports({
        query: { week: '2018-W50', period: 'quarterly', year: 2018, quarter: 4, month: 12 },
        weeklyDocument: '<html><body><h1>Неделя</h1></body></html>',
        summaryDocument: '<html><body><h1>Сводка</h1></body></html>',
        sstuMonth: null,
      }).toString(),
    );
    expect(page).toContain('<h1>Неделя</h1>');
    expect(page).toContain('href="/reports/weekly?week=2018-W50&amp;format=xlsx"');
    expect(page).toContain('href="/reports/quarterly?year=2018&amp;quarter=4&amp;format=csv"');
    expect(page).not.toContain('/reports/sstu');
  });

  it('offers the ССТУ.РФ export of a month to those who report', () => {
    const page = flat(
      renderReports({
        query: { week: '2019-W02', period: 'annual', year: 2019, quarter: 1, month: 1 },
        weeklyDocument: '<html><body></body></html>',
        summaryDocument: null,
        sstuMonth: '2018-12',
      }).toString(),
    );
    expect(page).toContain('<form method="get" action="/reports/sstu"');
    expect(page).toContain('name="month" type="month" value="2018-12" required');
    expect(page).toContain('Скачать для ССТУ.РФ');
  });
});
