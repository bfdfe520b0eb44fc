/**
 * Issue 14 on the card: the «Резолюция» form (the head's resolution: the responsible executor, who is
 * assigned by it, and up to CO_EXECUTOR_ROWS co-executors with their parts' terms), the «Доклад
 * соисполнителя» form, and the section showing the resolution in force and each co-executor's part
 * (its text is free text: the history shows it to those who may read it).
 */
import type { CoExecutorState, ResolutionState } from '@appeal-ledger/appeal';
import { html, type Html } from '../../../shell/html';
import { ruDay } from '../../shared/instant';
import { ruDate } from '../../shared/labels';
import { errorSlot, fieldId, textArea, textField } from '../../shared/widgets';

/** Rows of co-executors the form offers (the API takes up to MAX_CO_EXECUTORS; more over the API). */
export const CO_EXECUTOR_ROWS = 3;

export interface PersonOption {
  id: string;
  name: string;
  department: string | null;
}

/** A select of people whose value is `{ id, name }` as JSON (the department is its own field). */
function personSelect(label: string, name: string, people: readonly PersonOption[], required: boolean): Html {
  const id = fieldId(name);
  return html`<div class="field">
    <label for="${id}">${label}</label>
    <select id="${id}" name="${name}" data-type="json" ${required ? html` required` : ''} aria-describedby="${id}-error">
      <option value="">${required ? '— выберите —' : '— нет —'}</option>
      ${people.map(
        (p) =>
          html`<option value="${JSON.stringify({ id: p.id, name: p.name })}">${p.department ? `${p.name} (${p.department})` : p.name}</option>`,
      )}
    </select>
    ${errorSlot(name)}${errorSlot(`${name}.id`)}
  </div>`;
}

/** The fields of POST /appeals/{id}/resolution. */
export function resolutionFields(
  people: readonly PersonOption[],
  today: string,
  department: string | null,
): Html {
  return html`${textField('Автор резолюции (ФИО)', 'author.name', { required: true })}
    ${textField('Должность', 'author.position', { required: true, value: 'глава' })}
    ${textArea('Текст резолюции', 'text', { required: true })}
    ${textField('Дата резолюции', 'decidedAt', { type: 'date', value: today })}
    <fieldset class="co-executor">
      <legend>Ответственный исполнитель (отвечает заявителю)</legend>
      ${personSelect('Исполнитель', 'responsible', people, true)}
      ${textField('Подразделение', 'responsible.department', { required: true, value: department ?? '' })}
      ${textField('Срок для исполнителя', 'internalDueDate', { type: 'date' })}
    </fieldset>
    ${Array.from(
      { length: CO_EXECUTOR_ROWS },
      (_, i) =>
        html`<fieldset class="co-executor">
          <legend>Соисполнитель ${i + 1}</legend>
          ${personSelect('Сотрудник', `coExecutors.${i}`, people, false)}
          ${textField('Подразделение', `coExecutors.${i}.department`)}
          ${textField('Срок доклада', `coExecutors.${i}.dueDate`, { type: 'date' })}
        </fieldset>`,
    )}`;
}

/** The fields of POST /appeals/{id}/contributions. */
export function contributionFields(today: string): Html {
  return html`${textArea('Доклад (что сделано по вашей части)', 'text', { required: true })}
    ${textField('Дата доклада', 'sentAt', { type: 'date', value: today, required: true })}`;
}

/** «Резолюция»: the resolution in force and its co-executors with the status of each part. */
export function resolutionSection(
  appeal: { dueDate: string; resolution?: ResolutionState; coExecutors?: CoExecutorState[] },
  timeZone: string,
): Html | string {
  const r = appeal.resolution;
  if (!r) return '';
  const coExecutors = appeal.coExecutors ?? [];
  return html`<section aria-labelledby="resolution-h">
    <h2 id="resolution-h">Резолюция</h2>
    <p><strong>${r.author.position} ${r.author.name}</strong>, ${ruDay(r.decidedAt, timeZone)}</p>
    <p>
      Ответственный исполнитель: ${r.responsible.name}, ${r.responsible.department}${r.internalDueDate ? `, срок ${ruDate(r.internalDueDate)}` : ''}
    </p>
    ${
      coExecutors.length === 0
        ? html`<p>Соисполнители не назначены.</p>`
        : html`<table class="grid co-executors">
            <thead>
              <tr>
                <th scope="col">Соисполнитель</th>
                <th scope="col">Подразделение</th>
                <th scope="col">Срок доклада</th>
                <th scope="col">Доклад</th>
              </tr>
            </thead>
            <tbody>
              ${coExecutors.map(
                (c) =>
                  html`<tr>
                    <td>${c.name}</td>
                    <td>${c.department}</td>
                    <td>${ruDate(c.dueDate ?? appeal.dueDate)}</td>
                    <td>${c.contributedAt ? `представлен ${ruDay(c.contributedAt, timeZone)}` : 'не представлен'}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
  </section>`;
}

/** Under the executor on «Контроль»: the co-executors, each with «доклад представлен» or not. */
export function coExecutorsNote(
  coExecutors: readonly { name: string; contributed: boolean }[] | undefined,
): Html | string {
  if (!coExecutors || coExecutors.length === 0) return '';
  return html`<br /><small class="co-executors"
      >соисполнители: ${coExecutors.map((c, i) => html`${i > 0 ? ', ' : ''}${c.name} (${c.contributed ? 'доклад представлен' : 'доклада нет'})`)}</small
    >`;
}
