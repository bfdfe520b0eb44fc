/**
 * «Контроль»: what is on control, in four groups — overdue, due today, due within the reminder
 * window, the rest — with counts per department and executor, from the control read model.
 */
import type { AppealFlag, ControlRow } from '@appeal-ledger/projections';
import { coExecutorsNote } from '../card/forms/co-executors';
import { flagFilterFields, flagMarks, type FlagQuery } from '../shared/flag-filters';
import { html, type Html } from '../../shell/html';
import { STATE_LABELS, daysLeftWords, labelOf, ruDate } from '../shared/labels';
import { optionsOf, selectField, textField, type Option } from '../shared/widgets';

export type ControlGroup = 'overdue' | 'today' | 'soon' | 'rest';

export const CONTROL_GROUP_TITLES: Record<ControlGroup, string> = {
  overdue: 'Просрочено',
  today: 'Срок сегодня',
  soon: 'Срок подходит',
  rest: 'Остальные на контроле',
};

export interface ControlCount {
  department: string | null;
  executor: string | null;
  onControl: number;
  overdue: number;
}

export interface ControlBoardQuery extends FlagQuery {
  department?: string;
  executorId?: string;
  state?: string;
}

/** The law flags the board filters by: those of appeals still on control (none is left without answer). */
export const CONTROL_FLAG_FILTERS: readonly AppealFlag[] = [
  'registeredLate',
  'forwardedLate',
  'extended',
  'onFurtherControl',
  'reportToSourcePending',
];

export interface ControlView {
  groups: Record<ControlGroup, { rows: ControlRow[]; total: number }>;
  counts: ControlCount[];
  query: ControlBoardQuery;
  /** working days before the due date a reminder is first issued (REMINDER_DAYS_BEFORE) */
  windowDays: number;
  executors: readonly Option[];
  /** an executor sees their own appeals only: no executor filter */
  ownOnly: boolean;
  /** the 400 a malformed filter got, in words */
  error?: string;
}

/** Which group a row belongs to (rows resolved but still on control go to the rest). */
export function controlGroupOf(row: ControlRow, windowDays: number): ControlGroup {
  if (row.finalAnswerAt !== null || row.forwardedAt !== null) return 'rest';
  if (row.overdue) return 'overdue';
  if (row.daysLeft === 0) return 'today';
  if (row.daysLeft > 0 && row.daysLeft <= windowDays) return 'soon';
  return 'rest';
}

const GROUPS: readonly ControlGroup[] = ['overdue', 'today', 'soon', 'rest'];

function groupTable(group: ControlGroup, data: { rows: ControlRow[]; total: number }): Html {
  const title = CONTROL_GROUP_TITLES[group];
  return html`<section aria-labelledby="g-${group}" class="control-group control-${group}">
    <h2 id="g-${group}">${title} <span class="count">(${data.total})</span></h2>
    ${
      data.rows.length === 0
        ? html`<p>Нет</p>`
        : html`<table class="grid">
              <thead>
                <tr>
                  <th scope="col">Рег. №</th>
                  <th scope="col">Дата регистрации</th>
                  <th scope="col">Подразделение</th>
                  <th scope="col">Исполнитель</th>
                  <th scope="col">Состояние</th>
                  <th scope="col">Срок</th>
                  <th scope="col">Осталось</th>
                </tr>
              </thead>
              <tbody>
                ${data.rows.map(
                  (r) =>
                    html`<tr>
                      <td>
                        <a href="/appeals/${r.id}">${r.number}</a>${
                          'correspondenceTerminated' in r && r.correspondenceTerminated
                            ? html`<br /><small class="flag" data-correspondence-terminated>переписка прекращена (ч. 5 ст. 11)</small>`
                            : ''
                        }
                      </td>
                      <td>
                        ${ruDate(r.registeredAt)}${
                          r.registeredLate
                            ? html`<br /><small class="flag">рег. с нарушением срока</small>`
                            : ''
                        }
                      </td>
                      <td>${r.department ?? '—'}</td>
                      <td>${r.executor?.name ?? '—'}${coExecutorsNote(r.coExecutors)}</td>
                      <td>
                        ${labelOf(STATE_LABELS, r.state)}${r.extended ? ', срок продлён' : ''}${flagMarks(
                          r,
                          CONTROL_FLAG_FILTERS.filter((f) => f !== 'registeredLate' && f !== 'extended'),
                        ).map((m) => html`<br /><small class="flag">${m}</small>`)}
                      </td>
                      <td>${ruDate(r.dueDate)}</td>
                      <td>${r.finalAnswerAt ? 'ответ дан' : daysLeftWords(r.daysLeft)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
            ${data.total > data.rows.length ? html`<p class="hint">Показаны первые ${data.rows.length} из ${data.total}; уточните фильтр или откройте журнал.</p>` : ''}`
    }
  </section>`;
}

export function renderControl(view: ControlView): Html {
  const q = view.query;
  return html`<h1>Контроль исполнения</h1>
    <form method="get" action="/control" class="filter-form no-print">
      ${textField('Подразделение', 'department', { value: q.department })}
      ${view.ownOnly ? '' : selectField('Исполнитель', 'executorId', view.executors, { value: q.executorId, empty: 'любой' })}
      ${selectField('Состояние', 'state', optionsOf(STATE_LABELS), { value: q.state, empty: 'любое' })}
      ${flagFilterFields(CONTROL_FLAG_FILTERS, q)}
      <div class="actions"><button type="submit">Применить</button> <a href="/control">Сбросить</a></div>
    </form>
    ${view.error ? html`<p class="form-alert" role="alert">${view.error}</p>` : ''}
    ${GROUPS.map((g) => groupTable(g, view.groups[g]))}
    <section aria-labelledby="counts-h">
      <h2 id="counts-h">По подразделениям и исполнителям</h2>
      <table class="grid">
        <thead>
          <tr>
            <th scope="col">Подразделение</th>
            <th scope="col">Исполнитель</th>
            <th scope="col">На контроле</th>
            <th scope="col">Просрочено</th>
          </tr>
        </thead>
        <tbody>
          ${
            view.counts.length === 0
              ? html`<tr>
                  <td colspan="4">Нет обращений на контроле</td>
                </tr>`
              : view.counts.map(
                  (c) =>
                    html`<tr>
                      <td>${c.department ?? 'не назначено'}</td>
                      <td>${c.executor ?? '—'}</td>
                      <td class="n">${c.onControl}</td>
                      <td class="n">${c.overdue}</td>
                    </tr>`,
                )
          }
        </tbody>
      </table>
    </section>`;
}
