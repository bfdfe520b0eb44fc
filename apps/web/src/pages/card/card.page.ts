/**
 * The appeal's card: summary, applicants (where allowed), questions with results, due date and
 * working days left, executor; the actions the state and the person's roles allow, each a button
 * opening its form (posted as JSON to the API command with If-Match); «История» and «Состояние на
 * дату».
 */
import type {
  Applicant,
  AppealStatus,
  CoExecutorState,
  ResolutionState,
  Channel,
  AppealKind,
  ClosedReason,
  CorrespondenceTerminationState,
  QuestionResult,
  Source,
  WithoutAnswerGround,
} from '@appeal-ledger/appeal';
import { html, type Html } from '../../shell/html';
import type { RelatedAppeal } from '../../../../api/src/applicant-matching/related-appeals';
import { type HistoryLine } from './history-wording';
import { type CardAction } from './card-actions';
import { duplicateRows, type DuplicateFacts } from './duplicate-status';
import { ACTION_WORDS, declaredFormOf, hasDeclaredForm } from '../shared/appeal-words';
import { contributionFields, resolutionFields, resolutionSection } from './forms/co-executors';
import {
  CHANNEL_LABELS,
  CLOSED_REASON_LABELS,
  FINAL_RESULTS,
  KIND_LABELS,
  RESULT_LABELS,
  SOURCE_LABELS,
  STATE_LABELS,
  daysLeftWords,
  labelOf,
  ruDate,
} from '../shared/labels';
import { ruDay } from '../shared/instant';
import { terminationFields, terminationNote, type TerminationFlag } from './correspondence-termination';
import { declaredFields } from './forms/declared-form';
import { isOutcomeAction, outcomeFacts, outcomeForm } from './forms/outcome-forms';
import { relatedDecisionCell, type RelatedDecisions } from './forms/related-decision';
import {
  checkbox,
  errorSlot,
  fieldId,
  formAlert,
  selectField,
  textArea,
  textField,
  type Option,
} from '../shared/widgets';

/** The appeal summary of GET /appeals/{id} (the fields the card shows) */
export interface CardAppeal extends DuplicateFacts {
  id: string;
  number: string;
  state: AppealStatus;
  channel: Channel;
  kind: AppealKind;
  source: Source;
  receivedAt: string;
  registeredAt: string;
  dueDate: string;
  extended: boolean;
  totalExtensionDays: number;
  onControl: boolean;
  executor: { id: string; name: string } | null;
  department: string | null;
  questions: { code: string; result: QuestionResult; measuresTaken?: boolean }[];
  applicants?: Omit<Applicant, 'applicantId'>[];
  territory?: string;
  repeat: boolean;
  collective: boolean;
  anonymous: boolean;
  interimAnswers: number;
  finalAnswerSentAt: string | null;
  late: boolean | null;
  closedReason: ClosedReason | null;
  /** the decision to terminate correspondence recorded on this appeal (art. 11 ч.5) */
  correspondenceTermination?: CorrespondenceTerminationState | null;
  /** document requests still awaiting their reply (the «Ответ на запрос документов» form lists them) */
  pendingDocumentRequests?: {
    requestId: string;
    to: string;
    reference?: string;
    replyDueDate: string;
  }[];
  /** the report of the result the sending body asked for */
  sourceReport?: { reportBackBy: string; sentAt: string | null } | null;
  /** further control after the answer */
  furtherControl?: { until: string; reason: string; completedAt: string | null } | null;
  /** the art. 11 ground it was left without an answer on */
  withoutAnswerGround?: WithoutAnswerGround | null;
  revision: number;
  /** the head's resolution and its co-executors (issue 14), once recorded */
  resolution?: ResolutionState;
  coExecutors?: CoExecutorState[];
}

export interface ExecutorOption {
  id: string;
  name: string;
  department: string | null;
}

export interface CardView {
  appeal: CardAppeal;
  /** working days from today to the due date; null when not on control any more */
  daysLeft: number | null;
  /** classifier titles by code (what the code means) */
  questionTitles: ReadonlyMap<string, string>;
  actions: readonly CardAction[];
  executors: readonly ExecutorOption[];
  /** null: the person's roles may not read the history; with `asOf`, only the entries up to that day */
  history: readonly HistoryLine[] | null;
  /** with `asOf`: how many entries of the history happened after that day (not listed) */
  laterHistoryEntries?: number;
  /** earlier appeals of the same applicant on the same question; absent: may not read them */
  related?: readonly RelatedAppeal[];
  /** the read models had not got to this appeal yet: `related` may miss some */
  relatedIncomplete?: boolean;
  /** a later appeal of an applicant whose correspondence on its question was terminated (art. 11 ч.5) */
  correspondenceTerminated?: TerminationFlag | null;
  /** the person may confirm or reject them from the list (roles and state allow it); absent: may not */
  relatedDecisions?: RelatedDecisions;
  /** the date the card shows the state on; null for now */
  asOf: string | null;
  today: string;
  timeZone: string;
}

/** «запись», «записи», «записей» for a count. */
export function entriesWord(n: number): string {
  const tens = n % 100;
  const ones = n % 10;
  if (tens >= 11 && tens <= 14) return 'записей';
  if (ones === 1) return 'запись';
  if (ones >= 2 && ones <= 4) return 'записи';
  return 'записей';
}

const formTitle = (action: CardAction): string =>
  action === 'erase_personal_data' ? 'Удалить персональные данные' : ACTION_WORDS[action].card.label;

function actionForm(action: CardAction, view: CardView): Html {
  const { appeal, today } = view;
  const base = `/appeals/${appeal.id}`;
  const form = (path: string, fields: Html, method = 'POST'): Html =>
    html`<form
      class="api-form"
      data-api-form
      data-method="${method}"
      ${method === 'DELETE' ? html`data-body="none"` : ''}
      data-action="${base}${path}"
      data-if-match="${appeal.revision}"
      data-on-success="reload"
      novalidate
    >
      ${formAlert()} ${fields}
      <div class="actions">
        <button type="submit" class="primary">Сохранить</button>
        <button type="button" data-close-form>Отмена</button>
      </div>
    </form>`;
  if (isOutcomeAction(action)) return outcomeForm(action, view, (path, fields) => form(path, fields));
  // a form declared with the action's words (appeal-words.ts `card.form`)
  if (hasDeclaredForm(action)) {
    const spec = declaredFormOf(action);
    return form(spec.path, declaredFields(spec, today));
  }
  switch (action) {
    case 'assign': {
      const options: Option[] = view.executors.map((e) => ({
        value: JSON.stringify({ id: e.id, name: e.name }),
        text: e.department ? `${e.name} (${e.department})` : e.name,
      }));
      return form(
        '/assignment',
        html`${executorSelect(options, view.executors)}
        ${textField('Подразделение', 'department', { required: true, value: appeal.department ?? '' })}
        ${textArea('Поручение', 'instructions')}
        ${textField('Дата назначения', 'assignedAt', { type: 'date', value: today })}`,
      );
    }
    case 'extend_deadline':
      return form(
        '/deadline-extensions',
        html`${numberField('На сколько дней продлить', 'days', 1, 30 - appeal.totalExtensionDays)}
        ${textArea('Причина продления', 'reason', { required: true })}
        ${textField('Дата продления', 'extendedAt', { type: 'date', value: today })}
        ${textField('Решение принял (ФИО)', 'decidedBy.name', { required: true })}
        ${textField('Должность', 'decidedBy.position', { required: true })}
        ${textField('Заявитель уведомлён', 'applicantNotifiedAt', { type: 'date' })}`,
      );
    case 'send_interim_answer':
      return form(
        '/interim-answers',
        html`${textField('Дата отправки', 'sentAt', { type: 'date', value: today, required: true })}
        ${textArea('Содержание ответа', 'summary', { required: true })}
        ${textField('Окончательный ответ будет дан до', 'finalAnswerBy', { type: 'date' })}`,
      );
    case 'send_final_answer':
      return form(
        '/final-answer',
        html`${textField('Дата отправки', 'sentAt', { type: 'date', value: today, required: true })}
        ${textArea('Содержание ответа', 'summary', { required: true })}
        ${appeal.questions.map(
          (q, i) =>
            html`<fieldset class="question-result">
              <legend>
                Вопрос ${i + 1}:
                ${q.code}${view.questionTitles.has(q.code) ? ` — ${view.questionTitles.get(q.code)}` : ''}
              </legend>
              <input type="hidden" name="results.${i}.questionCode" value="${q.code}" />
              ${selectField(
                'Результат',
                `results.${i}.result`,
                FINAL_RESULTS.map((r) => ({ value: r, text: RESULT_LABELS[r] })),
                { value: 'explained', required: true },
              )}
              ${checkbox('Меры приняты', `results.${i}.measuresTaken`)}
            </fieldset>`,
        )}
        ${checkbox('С выездом на место', 'onSiteVisit')}`,
      );
    case 'return_for_rework':
      return form(
        '/rework',
        html`${textArea('Причина возврата', 'reason', { required: true })}
        ${textField('Дата возврата', 'returnedAt', { type: 'date', value: today })}`,
      );
    case 'remove_from_control':
      return form(
        '/closure',
        html`${textField('Дата снятия с контроля', 'closedAt', { type: 'date', value: today })}`,
      );
    case 'forward':
      return form(
        '/forwarding',
        html`${textField('Куда направлено', 'to', { required: true, wide: true })}
        ${textField('Исходящий номер', 'reference')}
        ${textField('Дата отправки', 'sentAt', { type: 'date', value: today, required: true })}`,
      );
    case 'withdraw':
      return form(
        '/withdrawal',
        html`${textField('Дата отзыва', 'withdrawnAt', { type: 'date', value: today, required: true })}
        ${textArea('Причина', 'reason')}`,
      );
    case 'terminate_correspondence':
      return form('/correspondence-termination', terminationFields(view.related, today));
    case 'record_resolution':
      return form('/resolution', resolutionFields(view.executors, today, appeal.department));
    case 'contribute':
      return form('/contributions', contributionFields(today));
    case 'erase_personal_data':
      return form(
        '/personal-data',
        html`<p>
            ФИО, адреса, телефоны и e-mail заявителей будут удалены безвозвратно; история обращения
            сохранится.
          </p>
          ${checkbox('Подтверждаю удаление', 'confirm')}`,
        'DELETE',
      );
    default: {
      const unhandled: never = action;
      return unhandled;
    }
  }
}

function executorSelect(options: Option[], executors: readonly ExecutorOption[]): Html {
  const id = fieldId('executor');
  return html`<div class="field">
    <label for="${id}">Исполнитель</label>
    <select
      id="${id}"
      name="executor"
      data-type="json"
      required
      aria-describedby="${id}-error"
      data-fills-department
    >
      <option value="">— выберите —</option>
      ${options.map((o, i) => html`<option value="${o.value}" data-department="${executors[i]?.department ?? ''}">${o.text}</option>`)}
    </select>
    ${errorSlot('executor')}${errorSlot('executor.id')}
  </div>`;
}

function numberField(label: string, name: string, min: number, max: number): Html {
  const id = fieldId(name);
  return html`<div class="field">
    <label for="${id}">${label}</label>
    <input
      id="${id}"
      name="${name}"
      type="number"
      min="${min}"
      max="${Math.max(min, max)}"
      value="${min}"
      data-type="number"
      required
      aria-describedby="${id}-error"
    />
    ${errorSlot(name)}
  </div>`;
}

const dl = (items: readonly [string, Html | string][]): Html =>
  html`<dl class="facts">
    ${items.map(
      ([term, value]) =>
        html`<dt>${term}</dt>
          <dd>${value}</dd>`,
    )}
  </dl>`;

export function renderCard(view: CardView): Html {
  const a = view.appeal;
  const source =
    a.source.type === 'direct'
      ? SOURCE_LABELS.direct
      : `${SOURCE_LABELS[a.source.type]}${a.source.name ? `: ${a.source.name}` : ''}${a.source.reference ? `, № ${a.source.reference}` : ''}${a.source.date ? ` от ${ruDate(a.source.date)}` : ''}`;
  const state = `${STATE_LABELS[a.state]}${a.closedReason ? ` (${CLOSED_REASON_LABELS[a.closedReason]})` : ''}`;
  const flags = [
    a.collective ? 'коллективное' : '',
    a.repeat ? 'повторное' : '',
    a.anonymous ? 'анонимное' : '',
  ]
    .filter(Boolean)
    .join(', ');
  return html`<h1>Обращение № <span data-appeal-number>${a.number}</span></h1>
    ${view.asOf ? html`<p class="notice" role="status">Состояние на ${ruDate(view.asOf)}. <a href="/appeals/${a.id}">Текущее состояние</a></p>` : ''}
    ${terminationNote(a.correspondenceTermination, view.correspondenceTerminated, view.timeZone)}
    <section aria-labelledby="summary-h" class="card-summary">
      <h2 id="summary-h">Сведения</h2>
      ${dl([
        ['Состояние', state],
        ['Дата регистрации', ruDate(a.registeredAt)],
        ['Дата поступления', ruDate(a.receivedAt)],
        ['Канал поступления', CHANNEL_LABELS[a.channel]],
        ['Вид обращения', KIND_LABELS[a.kind]],
        ['Источник', source],
        ...(flags ? ([['Признаки', flags]] as [string, string][]) : []),
        ...duplicateRows(a, view.related, view.timeZone),
        ...(a.territory ? ([['Территория', a.territory]] as [string, string][]) : []),
        ['Срок', html`${ruDate(a.dueDate)}${a.extended ? ` (продлён на ${a.totalExtensionDays} дн.)` : ''}`],
        ['Осталось', view.daysLeft === null ? '—' : daysLeftWords(view.daysLeft)],
        ['Исполнитель', a.executor?.name ?? 'не назначен'],
        ['Подразделение', a.department ?? '—'],
        ['Промежуточных ответов', String(a.interimAnswers)],
        [
          'Окончательный ответ',
          a.finalAnswerSentAt
            ? `${ruDay(a.finalAnswerSentAt, view.timeZone)}${a.late ? ' — с нарушением срока' : ''}`
            : '—',
        ],
        ...outcomeFacts(a, view.timeZone),
      ])}
    </section>
    ${
      a.applicants
        ? html`<section aria-labelledby="applicants-h">
            <h2 id="applicants-h">Заявители</h2>
            <table class="grid">
              <thead>
                <tr>
                  <th scope="col">ФИО</th>
                  <th scope="col">Адрес</th>
                  <th scope="col">E-mail</th>
                  <th scope="col">Телефон</th>
                </tr>
              </thead>
              <tbody>
                ${a.applicants.map((p) =>
                  p.erased
                    ? html`<tr>
                        <td colspan="4">персональные данные удалены</td>
                      </tr>`
                    : html`<tr>
                        <td>${p.name ?? 'аноним'}</td>
                        <td>${p.address ?? '—'}</td>
                        <td>${p.email ?? '—'}</td>
                        <td>${p.phone ?? '—'}</td>
                      </tr>`,
                )}
              </tbody>
            </table>
          </section>`
        : ''
    }
    ${relatedSection(view.related, view.relatedDecisions, view.relatedIncomplete)} ${resolutionSection(a, view.timeZone)}
    <section aria-labelledby="questions-h">
      <h2 id="questions-h">Вопросы</h2>
      <table class="grid">
        <thead>
          <tr>
            <th scope="col">Код вопроса</th>
            <th scope="col">Тема</th>
            <th scope="col">Результат</th>
            <th scope="col">Меры приняты</th>
          </tr>
        </thead>
        <tbody>
          ${a.questions.map(
            (q) =>
              html`<tr>
                <td>${q.code}</td>
                <td>${view.questionTitles.get(q.code) ?? '—'}</td>
                <td>${RESULT_LABELS[q.result]}</td>
                <td>${q.measuresTaken === undefined ? '—' : q.measuresTaken ? 'да' : 'нет'}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </section>
    ${
      view.asOf === null && view.actions.length > 0
        ? html`<section aria-labelledby="actions-h" class="card-actions no-print">
            <h2 id="actions-h">Действия</h2>
            <div class="action-buttons">
              ${view.actions.map(
                (action) =>
                  html`<button type="button" data-open-form="${action}" aria-expanded="false" aria-controls="action-form">${formTitle(action)}</button> `,
              )}
            </div>
            <!-- one form at a time: the page's script puts the chosen one here (labels stay unique) -->
            <section id="action-form" class="action-form" aria-live="polite"></section>
            ${view.actions.map(
              (action) =>
                html`<template id="tpl-form-${action}"><h3>${formTitle(action)}</h3>${actionForm(action, view)}</template>`,
            )}
          </section>`
        : ''
    }
    <section class="no-print as-of">
      <h2 id="asof-h">Состояние на дату</h2>
      <form method="get" action="/appeals/${a.id}" class="inline-form">
        ${textField('Состояние на дату', 'asOf', { type: 'date', value: view.asOf ?? view.today })}
        <button type="submit">Показать</button>
      </form>
    </section>
    ${
      view.history
        ? html`<section aria-labelledby="history-h">
            <h2 id="history-h">${view.asOf ? `История по ${ruDate(view.asOf)}` : 'История'}</h2>
            ${
              view.asOf
                ? html`<p class="notice" data-history-cut>
                    Показаны события по ${ruDate(view.asOf)} включительно${
                      view.laterHistoryEntries
                        ? html`; после выбранной даты — ещё ${view.laterHistoryEntries} ${entriesWord(view.laterHistoryEntries)}, они в <a href="/appeals/${view.appeal.id}">текущем состоянии</a>`
                        : '; после выбранной даты событий нет'
                    }.
                  </p>`
                : ''
            }
            <table class="grid history">
              <thead>
                <tr>
                  <th scope="col">Когда</th>
                  <th scope="col">Кто</th>
                  <th scope="col">Что</th>
                  <th scope="col">Подробности</th>
                </tr>
              </thead>
              <tbody>
                ${view.history.map(
                  (h) =>
                    html`<tr>
                      <td>${h.when}${h.recorded ? html`<br /><small>записано ${h.recorded}</small>` : ''}</td>
                      <td>${h.who}</td>
                      <td>${h.what}</td>
                      <td>${h.details.map((d) => html`<div>${d}</div>`)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </section>`
        : ''
    }`;
}

const MATCH_LABELS: Record<string, string> = {
  name: 'ФИО',
  address: 'адрес',
  email: 'e-mail',
  phone: 'телефон',
};

/**
 * «Связанные обращения»: earlier appeals of the same applicant on the same question (blind index),
 * with what the engine proposes and the registrar's decision (POST /appeals/{id}/related/confirm|reject).
 */
export function relatedSection(
  related: readonly RelatedAppeal[] | undefined,
  decisions?: RelatedDecisions,
  incomplete = false,
): Html | string {
  if (!related || (related.length === 0 && !incomplete)) return '';
  const pending = incomplete
    ? html`<p class="notice" role="status" data-related-incomplete>
        Сведения о прежних обращениях заявителя ещё обновляются: список может быть неполным. Обновите
        страницу через несколько секунд.
      </p>`
    : '';
  return html`<section aria-labelledby="related-h">
    <h2 id="related-h">Связанные обращения</h2>
    ${pending}
    ${
      related.length === 0
        ? ''
        : html`<table class="grid related">
      <thead>
        <tr>
          <th scope="col">Номер</th>
          <th scope="col">Зарегистрировано</th>
          <th scope="col">Состояние</th>
          <th scope="col">Совпало</th>
          <th scope="col">Вопрос</th>
          <th scope="col">Предложено</th>
          <th scope="col">Решение</th>
          ${decisions ? html`<th scope="col"><span class="visually-hidden">Действия</span></th>` : ''}
        </tr>
      </thead>
      <tbody>
        ${related.map(
          (r) =>
            html`<tr>
              <td><a href="/appeals/${r.appealId}">${r.number}</a></td>
              <td>${ruDate(r.registeredOn)}</td>
              <td>${labelOf(STATE_LABELS, r.state)}${r.resolvedOn ? ` (ответ ${ruDate(r.resolvedOn)})` : ''}, срок ${ruDate(r.dueDate)}</td>
              <td>${r.matchedBy.map((k) => MATCH_LABELS[k] ?? k).join(', ')}</td>
              <td>${r.sameQuestion === 'code' ? 'тот же вопрос' : 'та же тема'}</td>
              <td>${r.proposed === 'repeat' ? 'повторное' : 'дубликат'}</td>
              <td>${
                r.decision === null
                  ? 'не принято'
                  : `${r.decision.status === 'confirmed' ? 'подтверждено' : 'отклонено'}: ${r.decision.kind === 'repeat' ? 'повторное' : 'дубликат'}`
              }</td>
              ${decisions ? relatedDecisionCell(r, decisions) : ''}
            </tr>`,
        )}
      </tbody>
    </table>`
    }
  </section>`;
}
