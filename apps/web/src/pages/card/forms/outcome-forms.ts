/**
 * The card's forms of the outcomes recorded after (or instead of) an answer on the merits (issue 14):
 * document requests to other bodies and their replies (59-FZ art. 10 ч.2), leaving the appeal
 * without an answer (art. 11), the report of the result to the body that sent it, further control
 * until the measures are taken. Each names its inputs by the API's field paths (so a 400's
 * `errors[].field` lands next to its input) and is posted by the page's script like the other forms.
 */
import type { WithoutAnswerGround } from '@appeal-ledger/appeal';
import { html, type Html } from '../../../shell/html';
import { ruDay } from '../../shared/instant';
import { WITHOUT_ANSWER_GROUND_LABELS, ruDate } from '../../shared/labels';
import { errorSlot, fieldId, selectField, textArea, textField } from '../../shared/widgets';
import type { CardView } from '../card.page';

export const OUTCOME_ACTIONS = [
  'request_documents',
  'record_documents_reply',
  'leave_without_answer',
  'report_to_source',
  'set_further_control',
  'complete_measures',
] as const;
export type OutcomeAction = (typeof OUTCOME_ACTIONS)[number];

export const isOutcomeAction = (action: string): action is OutcomeAction =>
  (OUTCOME_ACTIONS as readonly string[]).includes(action);

/** The card's `form(path, fields)`: an API form posting to `/appeals/{id}{path}` with If-Match. */
export type CardForm = (path: string, fields: Html) => Html;

/** Every ground of art. 11, in the order of its parts (the labels' record: a new ground is listed once worded). */
const GROUND_ORDER = Object.keys(WITHOUT_ANSWER_GROUND_LABELS) as WithoutAnswerGround[];

export function outcomeForm(action: OutcomeAction, view: CardView, form: CardForm): Html {
  const { appeal, today } = view;
  switch (action) {
    case 'request_documents':
      return form(
        '/document-requests',
        html`${textField('Куда направлен запрос', 'to', { required: true, wide: true })}
        ${textField('Исходящий номер запроса', 'reference')}
        ${textField('Дата отправки запроса', 'sentAt', { type: 'date', value: today, required: true })}
        <p class="hint">Орган должен ответить в течение 15 дней (ч. 2 ст. 10 59-ФЗ).</p>`,
      );
    case 'record_documents_reply': {
      const pending = appeal.pendingDocumentRequests ?? [];
      const id = fieldId('requestId');
      return form(
        '/document-requests/{requestId}/reply',
        html`<div class="field field-wide">
            <label for="${id}">Запрос</label>
            <select id="${id}" name="requestId" data-in-path required aria-describedby="${id}-error">
              ${pending.map(
                (r) =>
                  html`<option value="${r.requestId}">${r.to}${r.reference ? `, исх. № ${r.reference}` : ''}, ответ до ${ruDate(r.replyDueDate)}</option>`,
              )}
            </select>
            ${errorSlot('requestId')}
          </div>
          ${textField('Дата получения ответа', 'receivedAt', { type: 'date', value: today, required: true })}`,
      );
    }
    case 'leave_without_answer':
      return form(
        '/without-answer',
        html`${selectField(
          'Основание (ст. 11 59-ФЗ)',
          'ground',
          GROUND_ORDER.map((g) => ({ value: g, text: WITHOUT_ANSWER_GROUND_LABELS[g] })),
          { required: true, empty: '— выберите —' },
        )}
        ${textField('Дата решения', 'decidedAt', { type: 'date', value: today })}
        <fieldset class="notice">
          <legend>Сообщение заявителю</legend>
          ${textArea('Что сообщено заявителю', 'notice.text')}
          ${textField('Дата сообщения', 'notice.sentAt', { type: 'date', hint: 'пусто — сегодня' })}
        </fieldset>
        <div data-show-when="ground=answer_published">
          ${textField('Адрес опубликованного ответа', 'link', { type: 'url', wide: true })}
        </div>`,
      );
    case 'report_to_source': {
      const asked = appeal.sourceReport?.reportBackBy;
      return form(
        '/report-to-source',
        html`${asked ? html`<p>Направивший орган просил сообщить результат до ${ruDate(asked)}.</p>` : ''}
        ${textField('Исходящий номер письма', 'reference', { required: true })}
        ${textField('Дата отправки', 'sentAt', { type: 'date', value: today, required: true })}`,
      );
    }
    case 'set_further_control':
      return form(
        '/further-control',
        html`${textField('На контроле до', 'until', { type: 'date', required: true })}
        ${textArea('Какие меры ожидаются', 'reason', { required: true })}
        ${textField('Дата постановки', 'setAt', { type: 'date', value: today })}`,
      );
    case 'complete_measures': {
      const fc = appeal.furtherControl;
      return form(
        '/measures-completed',
        html`${fc ? html`<p>На дополнительном контроле до ${ruDate(fc.until)}: ${fc.reason}</p>` : ''}
        ${textField('Дата принятия мер', 'completedAt', { type: 'date', value: today })}`,
      );
    }
    default: {
      const unhandled: never = action;
      return unhandled;
    }
  }
}

/** The card's facts of the outcomes, as «Сведения» lines: the report owed, further control, art. 11. */
export function outcomeFacts(appeal: CardView['appeal'], timeZone: string): [string, string][] {
  const facts: [string, string][] = [];
  const report = appeal.sourceReport;
  if (report)
    facts.push([
      'Результат направившему органу',
      report.sentAt
        ? `сообщён ${ruDay(report.sentAt, timeZone)} (просили до ${ruDate(report.reportBackBy)})`
        : `сообщить до ${ruDate(report.reportBackBy)}, не сообщён`,
    ]);
  const further = appeal.furtherControl;
  if (further)
    facts.push([
      'Дополнительный контроль',
      further.completedAt
        ? `меры приняты ${ruDay(further.completedAt, timeZone)}`
        : `до ${ruDate(further.until)}: ${further.reason}`,
    ]);
  if (appeal.withoutAnswerGround)
    facts.push(['Основание (ст. 11 59-ФЗ)', WITHOUT_ANSWER_GROUND_LABELS[appeal.withoutAnswerGround]]);
  return facts;
}
