/**
 * «Журнал»: every registered appeal, newest first, from the journal read model; filters as a GET
 * form (so a filtered journal is a link), «Поиск» by registration number, keyset paging, CSV.
 */
import { APPEAL_FLAG_FILTERS, type AppealFlag, type JournalRow } from '@appeal-ledger/projections';
import { html, type Html } from '../../shell/html';
import { FLAG_MARKS, flagFilterFields, flagMarks, flagParams, type FlagQuery } from '../shared/flag-filters';
import {
  CHANNEL_LABELS,
  STATE_LABELS,
  WITHOUT_ANSWER_GROUND_LABELS,
  daysLeftWords,
  labelOf,
  ruDate,
} from '../shared/labels';
import { optionsOf, queryString, selectField, textField, type Option } from '../shared/widgets';

/** The journal's query string, as the page and its CSV download read it */
export interface JournalQuery extends FlagQuery {
  state?: string;
  department?: string;
  executorId?: string;
  channel?: string;
  questionCode?: string;
  territory?: string;
  from?: string;
  to?: string;
  number?: string;
  cursor?: string;
}

/** The law flags the journal filters by (every one: the journal lists closed appeals too). */
export const JOURNAL_FLAG_FILTERS: readonly AppealFlag[] = APPEAL_FLAG_FILTERS;

/** The mark on a row registered after the three days. */
export const REGISTERED_LATE_MARK = FLAG_MARKS.registeredLate;

/** The marks of a row's other flags (shown under its state). */
const rowMarks = (r: JournalRow): string[] =>
  flagMarks(
    { ...r, leftWithoutAnswer: r.withoutAnswerGround !== null },
    JOURNAL_FLAG_FILTERS.filter((f) => f !== 'registeredLate' && f !== 'leftWithoutAnswer'),
  );

export interface JournalView {
  rows: JournalRow[];
  nextCursor: string | null;
  query: JournalQuery;
  /** applicants by appeal id, for roles that may see them; null hides the column */
  applicants: ReadonlyMap<string, string> | null;
  executors: readonly Option[];
  /** the 400 a malformed filter got, in words */
  error?: string;
}

export const JOURNAL_COLUMNS = [
  'Рег. №',
  'Дата регистрации',
  'Заявитель',
  'Вопросы',
  'Подразделение',
  'Исполнитель',
  'Состояние',
  'Срок',
  'Осталось',
] as const;

const filterParams = (q: JournalQuery): Record<string, string | undefined> => ({
  state: q.state,
  department: q.department,
  executorId: q.executorId,
  channel: q.channel,
  questionCode: q.questionCode,
  territory: q.territory,
  from: q.from,
  to: q.to,
  number: q.number,
  ...flagParams(JOURNAL_FLAG_FILTERS, q),
});

export function renderJournal(view: JournalView): Html {
  const q = view.query;
  const columns = JOURNAL_COLUMNS.filter((c) => c !== 'Заявитель' || view.applicants !== null);
  const filtered = Object.values(filterParams(q)).some((v) => v);
  return html`<h1>Журнал обращений</h1>
    <form class="search" method="get" action="/appeals" role="search">
      ${textField('Номер обращения', 'number', { value: q.number })}
      <button type="submit">Поиск</button>
    </form>
    <details class="filters" ${filtered ? html` open` : ''}>
      <summary>Фильтры</summary>
      <form method="get" action="/appeals" class="filter-form">
        ${selectField('Состояние', 'state', optionsOf(STATE_LABELS), { value: q.state, empty: 'любое' })}
        ${textField('Подразделение', 'department', { value: q.department })}
        ${selectField('Исполнитель', 'executorId', view.executors, { value: q.executorId, empty: 'любой' })}
        ${selectField('Канал поступления', 'channel', optionsOf(CHANNEL_LABELS), { value: q.channel, empty: 'любой' })}
        ${textField('Код вопроса', 'questionCode', { value: q.questionCode, hint: 'код или его начало: 0005.0005' })}
        ${textField('Территория', 'territory', { value: q.territory })}
        ${textField('Зарегистрировано с', 'from', { value: q.from, type: 'date' })}
        ${textField('по', 'to', { value: q.to, type: 'date' })}
        ${flagFilterFields(JOURNAL_FLAG_FILTERS, q)}
        <div class="actions"><button type="submit">Применить</button> <a href="/appeals">Сбросить</a></div>
      </form>
    </details>
    ${view.error ? html`<p class="form-alert" role="alert">${view.error}</p>` : ''}
    <p class="toolbar">
      <a href="/appeals${queryString({ ...filterParams(q), format: 'csv' })}" download>Скачать CSV</a>
    </p>
    <table class="grid">
      <caption class="visually-hidden">
        Обращения, новые сверху
      </caption>
      <thead>
        <tr>
          ${columns.map((c) => html`<th scope="col">${c}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${
          view.rows.length === 0
            ? html`<tr>
                <td colspan="${columns.length}">Ничего не найдено</td>
              </tr>`
            : ''
        }
        ${view.rows.map(
          (r) => html`<tr${r.overdue ? html` class="overdue"` : ''}>
      <td><a href="/appeals/${r.id}">${r.number}</a></td>
      <td>
        ${ruDate(r.registeredAt)}${r.registeredLate ? html`<br /><small class="flag">${REGISTERED_LATE_MARK}</small>` : ''}
      </td>
      ${view.applicants !== null ? html`<td>${view.applicants.get(r.id) ?? '—'}</td>` : ''}
      <td>${r.questionCodes.join(', ')}</td>
      <td>${r.department ?? '—'}</td>
      <td>${r.executor?.name ?? '—'}</td>
      <td>
        ${labelOf(STATE_LABELS, r.state)}${r.withoutAnswerGround ? html`<br /><small class="flag">без ответа: ${WITHOUT_ANSWER_GROUND_LABELS[r.withoutAnswerGround]}</small>` : ''}${rowMarks(r).map((m) => html`<br /><small class="flag">${m}</small>`)}
      </td>
      <td>${ruDate(r.dueDate)}</td>
      <td>${r.onControl && r.state !== 'final_answered' ? daysLeftWords(r.daysLeft) : '—'}</td>
    </tr>`,
        )}
      </tbody>
    </table>
    <nav class="pager" aria-label="Страницы журнала">
      ${q.cursor ? html`<a href="/appeals${queryString(filterParams(q))}">В начало</a>` : ''}
      ${view.nextCursor ? html`<a rel="next" href="/appeals${queryString({ ...filterParams(q), cursor: view.nextCursor })}">Дальше</a>` : ''}
    </nav>`;
}

/** The journal's CSV: the same columns, Russian words, dates дд.мм.гггг */
export function journalCsvRows(
  rows: readonly JournalRow[],
  applicants: ReadonlyMap<string, string> | null,
): string[][] {
  const head = JOURNAL_COLUMNS.filter((c) => c !== 'Заявитель' || applicants !== null);
  return [
    [...head, 'Канал поступления', 'Территория', 'Признаки'],
    ...rows.map((r) => [
      r.number,
      ruDate(r.registeredAt),
      ...(applicants !== null ? [applicants.get(r.id) ?? ''] : []),
      r.questionCodes.join(', '),
      r.department ?? '',
      r.executor?.name ?? '',
      labelOf(STATE_LABELS, r.state),
      ruDate(r.dueDate),
      String(r.daysLeft),
      labelOf(CHANNEL_LABELS, r.channel),
      r.territory ?? '',
      [
        ...(r.registeredLate ? [REGISTERED_LATE_MARK] : []),
        ...(r.withoutAnswerGround
          ? [`без ответа: ${WITHOUT_ANSWER_GROUND_LABELS[r.withoutAnswerGround]}`]
          : []),
        ...rowMarks(r),
      ].join('; '),
    ]),
  ];
}
