/**
 * What the web says of each event and each action, in one place: an event's history label and details
 * (the card's history), an action's words (a 409's "allowed now") and its card button with the roles
 * that see it — or `card: null` for an action with no form on the card. Both are records over the
 * domain's unions: a new event or action does not compile until it is worded here.
 */
import type {
  AnswerDelivery,
  AnswerDocumentFields,
  AppealAction,
  AppealEvent,
  AppealEventType,
} from '@appeal-ledger/appeal';
import {
  CHANNEL_LABELS,
  KIND_LABELS,
  ORIGINAL_OUTCOME_LABELS,
  REMINDER_KIND_LABELS,
  RESULT_LABELS,
  SOURCE_LABELS,
  WITHOUT_ANSWER_GROUND_LABELS,
  ruDate,
} from './labels';

export type EventData<T extends AppealEventType> = Extract<AppealEvent, { type: T }>['data'];

export interface EventWords<T extends AppealEventType> {
  /** the history line's «что» */
  label: string;
  /** the data that matters, one line each; `day` writes an instant as a date in the administration's zone */
  details(data: EventData<T>, day: (instant: string) => string): string[];
}

export const EVENT_WORDS: { readonly [T in AppealEventType]: EventWords<T> } = {
  AppealRegistered: {
    label: 'Обращение зарегистрировано',
    details: (d) => {
      const names = d.applicants.map((a) => (a.erased ? 'данные удалены' : (a.name ?? 'аноним'))).join(', ');
      return [
        `Рег. № ${d.number} от ${ruDate(d.registeredAt)}, поступило ${ruDate(d.receivedAt)}`,
        `${CHANNEL_LABELS[d.channel]}, ${KIND_LABELS[d.kind].toLowerCase()}; ${SOURCE_LABELS[d.source.type].toLowerCase()}${d.source.name ? ` (${d.source.name})` : ''}`,
        ...(names ? [`Заявители: ${names}`] : []),
        `Вопросы: ${d.questions.map((q) => q.code).join(', ')}`,
        `Срок: ${ruDate(d.dueDate)}${d.termBasis ? ` (${d.termDays} дн., ${d.termBasis})` : ''}`,
        ...(d.registeredLate
          ? [
              `Зарегистрировано позже 3 дней с поступления (ч. 2 ст. 8 59-ФЗ; крайний срок ${ruDate(d.registrationDueDate ?? d.receivedAt)})`,
            ]
          : []),
      ];
    },
  },
  ExecutorAssigned: {
    label: 'Назначен исполнитель',
    details: (d) => {
      return [
        `Исполнитель: ${d.executor.name}, ${d.department}`,
        ...(d.instructions ? [`Поручение: ${d.instructions}`] : []),
      ];
    },
  },
  ExecutorReassigned: {
    label: 'Исполнитель заменён',
    details: (d) => {
      return [
        `Был: ${d.previousExecutor.name}, ${d.previousDepartment}`,
        `Стал: ${d.executor.name}, ${d.department}`,
        ...(d.instructions ? [`Поручение: ${d.instructions}`] : []),
      ];
    },
  },
  DeadlineExtended: {
    label: 'Срок продлён',
    details: (d, day) => {
      return [
        `На ${d.days} дн.: срок ${ruDate(d.previousDueDate)} → ${ruDate(d.dueDate)}`,
        `Причина: ${d.reason}`,
        // recorded since the law pass (59-FZ art. 12 ч.2); older extensions have neither
        ...(d.decidedBy ? [`Решение: ${d.decidedBy.name}, ${d.decidedBy.position}`] : []),
        ...(d.applicantNotifiedAt
          ? [
              `Заявитель уведомлён ${d.applicantNotifiedAt.length === 10 ? ruDate(d.applicantNotifiedAt) : day(d.applicantNotifiedAt)}`,
            ]
          : []),
      ];
    },
  },
  InterimAnswerSent: {
    label: 'Дан промежуточный ответ',
    details: (d, day) => {
      return [
        `Отправлен ${day(d.sentAt)}: ${d.summary}`,
        ...(d.finalAnswerBy ? [`Окончательный ответ к ${ruDate(d.finalAnswerBy)}`] : []),
        ...answerDocumentLines(d),
      ];
    },
  },
  FinalAnswerSent: {
    label: 'Дан окончательный ответ',
    details: (d, day) => {
      return [
        `Отправлен ${day(d.sentAt)}${d.late ? ' — с нарушением срока' : ''}: ${d.summary}`,
        ...d.results.map(
          (r) => `${r.questionCode}: ${RESULT_LABELS[r.result]}${r.measuresTaken ? ', меры приняты' : ''}`,
        ),
        ...(d.onSiteVisit ? ['С выездом на место'] : []),
        ...answerDocumentLines(d),
      ];
    },
  },
  AnswerReturnedForRework: {
    label: 'Ответ возвращён на доработку',
    details: (d) => {
      return [`Причина: ${d.reason}`];
    },
  },
  AppealForwardedByCompetence: {
    label: 'Направлено по компетенции',
    details: (d, day) => {
      return [
        `Куда: ${d.to}${d.reference ? `, исх. № ${d.reference}` : ''}, ${day(d.sentAt)}`,
        ...(d.questionCodes ? [`Вопросы: ${d.questionCodes.join(', ')}`] : []),
        ...(d.forwardedLate
          ? [`С нарушением срока (до ${ruDate(d.forwardDueDate ?? '')}, ч. 3 ст. 8 59-ФЗ)`]
          : []),
        ...(d.applicantNotifiedAt ? [`Заявитель уведомлён ${day(d.applicantNotifiedAt)}`] : []),
      ];
    },
  },
  AppealWithdrawn: {
    label: 'Обращение отозвано',
    details: (d) => {
      return d.reason ? [`Причина: ${d.reason}`] : [];
    },
  },
  AppealRemovedFromControl: {
    label: 'Снято с контроля',
    details: (d, day) => {
      return [`Дата: ${day(d.closedAt)}`];
    },
  },
  DeadlineReminderIssued: {
    label: 'Напоминание о сроке',
    details: (d) => {
      return [
        `${REMINDER_KIND_LABELS[d.kind]}: срок ${ruDate(d.dueDate)}${d.executor ? `, ${d.executor.name}` : ''}`,
      ];
    },
  },
  DocumentsRequested: {
    label: 'Запрошены документы в другом органе',
    details: (d, day) => {
      return [
        `Куда: ${d.to}${d.reference ? `, исх. № ${d.reference}` : ''}, ${day(d.sentAt)}`,
        `Ответ до ${ruDate(d.replyDueDate)} (ч. 2 ст. 10 59-ФЗ)`,
      ];
    },
  },
  DocumentsReceived: {
    label: 'Получен ответ на запрос документов',
    details: (d, day) => {
      return [`Получен ${day(d.receivedAt)}`];
    },
  },
  AppealLeftWithoutAnswer: {
    label: 'Оставлено без ответа по существу',
    details: (d, day) => {
      return [
        `Основание: ${WITHOUT_ANSWER_GROUND_LABELS[d.ground]}, ${day(d.decidedAt)}`,
        ...(d.notice
          ? [
              `Заявителю сообщено ${day(d.notice.sentAt)}${d.noticeLate ? ' — с нарушением срока' : ''}: ${d.notice.text}`,
            ]
          : []),
        ...(d.link ? [`Ссылка: ${d.link}`] : []),
        ...(d.terminationAppealId
          ? [`Переписка прекращена решением по обращению ${d.terminationAppealId}`]
          : []),
      ];
    },
  },
  RelatedAppealConfirmed: {
    label: 'Связь с прежним обращением подтверждена',
    details: (d, day) => {
      return [
        // an appeal the reader may not read is not named (docs/access.md)
        `${d.kind === 'repeat' ? 'Повторное к' : 'Дубликат'} обращению${d.relatedAppealId ? ` ${d.relatedAppealId}` : ''}, ${day(d.decidedAt)}`,
        ...(d.joined
          ? ['Снято с контроля: присоединено к первоначальному, ответ будет дан вместе с ним']
          : []),
      ];
    },
  },
  RelatedAppealRejected: {
    label: 'Связь с прежним обращением отклонена',
    details: (d, day) => {
      return [
        `${d.kind === 'repeat' ? 'Не повторное к' : 'Не дубликат'} обращению${d.relatedAppealId ? ` ${d.relatedAppealId}` : ''}, ${day(d.decidedAt)}`,
      ];
    },
  },
  AnsweredWithOriginal: {
    label: 'Ответ дан вместе с первоначальным обращением',
    details: (d, day) => {
      return [
        `Первоначальное обращение${d.originalNumber ? ` № ${d.originalNumber}` : ''}: ${ORIGINAL_OUTCOME_LABELS[d.outcome]}, ${day(d.closedAt)}`,
        ...(d.answer
          ? [
              `Ответ от ${day(d.answer.sentAt)}${d.answer.outgoingNumber ? `, исх. № ${d.answer.outgoingNumber}` : ''}${d.answer.outgoingDate ? ` от ${ruDate(d.answer.outgoingDate)}` : ''}`,
            ]
          : []),
      ];
    },
  },
  ReportedToSource: {
    label: 'Результат сообщён направившему органу',
    details: (d, day) => [
      `Исх. № ${d.reference}, ${day(d.sentAt)}${d.late ? ' — позже запрошенного срока' : ''}`,
      `Запрошено к ${ruDate(d.reportBackBy)}`,
    ],
  },
  FurtherControlSet: {
    label: 'Поставлено на дополнительный контроль',
    details: (d) => [`До ${ruDate(d.until)}: ${d.reason}`],
  },
  MeasuresCompleted: {
    label: 'Меры приняты, дополнительный контроль завершён',
    details: (d, day) => [`Дата: ${day(d.completedAt)}`],
  },
  CorrespondenceTerminated: {
    label: 'Переписка по вопросу прекращена (ч. 5 ст. 11 59-ФЗ)',
    details: (d, day) => [
      `Решение: ${d.decidedBy.position} ${d.decidedBy.name}, ${day(d.decidedAt)}`,
      `Вопросы: ${d.questionCodes.join(', ')}`,
      `Прежние обращения с ответами по существу: ${d.earlierAppealIds.join(', ')}`,
      `Основания: ${d.grounds}`,
      ...(d.notice ? [`Заявитель уведомлён ${day(d.notice.sentAt)}: ${d.notice.text}`] : []),
    ],
  },
  // issue 14: the head's resolution with co-executors, and a co-executor's part
  ResolutionRecorded: {
    label: 'Резолюция',
    details: (d, day) => [
      `${d.author.position} ${d.author.name}, ${day(d.decidedAt)}: ${d.text}`,
      `Ответственный исполнитель: ${d.responsible.name}, ${d.responsible.department}${d.internalDueDate ? ` (срок ${ruDate(d.internalDueDate)})` : ''}`,
      ...(d.coExecutors.length > 0
        ? [
            `Соисполнители: ${d.coExecutors
              .map((c) => `${c.name}, ${c.department}${c.dueDate ? ` (срок ${ruDate(c.dueDate)})` : ''}`)
              .join('; ')}`,
          ]
        : ['Без соисполнителей']),
    ],
  },
  ContributionRecorded: {
    label: 'Доклад соисполнителя',
    details: (d, day) => [
      `${d.coExecutor.name}, ${d.coExecutor.department}, ${day(d.sentAt)}${d.late ? ` — позже срока ${ruDate(d.dueDate)}` : ''}`,
      d.text,
    ],
  },
  // 59-FZ art. 5 п.1
  ApplicantMaterialsReceived: {
    label: 'Заявитель представил дополнительные материалы',
    details: (d, day) => [
      `Получены ${day(d.receivedAt)}${d.pages !== undefined ? `, ${d.pages} л.` : ''}`,
      d.description,
    ],
  },
};

const DELIVERY_WORDS: Record<AnswerDelivery, string> = {
  post: 'почтой',
  email: 'по электронной почте',
  epgu: 'через ЕПГУ',
  in_person: 'вручён лично',
};

/** The answer's outgoing document (59-FZ art. 10 ч.4), when the answer recorded one. */
function answerDocumentLines(d: AnswerDocumentFields): string[] {
  if (d.outgoingNumber === undefined || d.outgoingDate === undefined) return [];
  const signed = d.signedBy ? `, подписал ${d.signedBy.position} ${d.signedBy.name}` : '';
  const delivery = d.delivery ? `, ${DELIVERY_WORDS[d.delivery]}` : '';
  return [`Исх. № ${d.outgoingNumber} от ${ruDate(d.outgoingDate)}${signed}${delivery}`];
}

/** A field of a card form declared here (CardFormSpec). */
export interface CardFormField {
  /** the API body's field (a 400's `errors[].field` lands next to it) */
  name: string;
  label: string;
  kind: 'text' | 'textarea' | 'date' | 'number';
  required?: boolean;
  /** a date filled with today */
  today?: boolean;
  hint?: string;
  /** a number's bounds */
  min?: number;
  max?: number;
}

/**
 * A card form that needs nothing of the appeal but its id and revision, declared with its words:
 * posted to `/appeals/{id}{path}` like every card form (../card/forms/declared-form.ts renders it).
 * A form that shows the appeal's data is written in ../card/ instead (`actionForm`).
 */
export interface CardFormSpec {
  path: string;
  fields: readonly CardFormField[];
  /** a line under the fields (the norm, a term) */
  note?: string;
}

export interface ActionWords {
  /** in a 409's «Сейчас можно: …» */
  words: string;
  /**
   * the card's button and the roles that see it (the API's route roles); null: no form on the card.
   * `form`: the form declared here; without it the card's `actionForm` must have a case (compile error).
   */
  card: { label: string; roles: readonly string[]; form?: CardFormSpec } | null;
}

/** In the card's order of buttons. */
export const ACTION_WORDS = {
  register: { words: 'зарегистрировать', card: null },
  assign: {
    words: 'назначить исполнителя',
    card: { label: 'Назначить исполнителя', roles: ['controller', 'admin'] },
  },
  extend_deadline: {
    words: 'продлить срок',
    card: { label: 'Продлить срок', roles: ['controller', 'admin'] },
  },
  send_interim_answer: {
    words: 'дать промежуточный ответ',
    card: { label: 'Промежуточный ответ', roles: ['executor', 'admin'] },
  },
  send_final_answer: {
    words: 'дать окончательный ответ',
    card: { label: 'Окончательный ответ', roles: ['executor', 'admin'] },
  },
  return_for_rework: {
    words: 'вернуть на доработку',
    card: { label: 'Вернуть на доработку', roles: ['controller', 'admin'] },
  },
  remove_from_control: {
    words: 'снять с контроля',
    card: { label: 'Снять с контроля', roles: ['controller', 'admin'] },
  },
  forward: {
    words: 'направить по компетенции',
    card: { label: 'Направить по компетенции', roles: ['registrar', 'controller', 'admin'] },
  },
  withdraw: { words: 'отозвать', card: { label: 'Отозвать', roles: ['registrar', 'admin'] } },
  issue_reminder: { words: 'напомнить о сроке', card: null },
  // the card's forms of issue 14: apps/web/src/pages/card/forms/ (roles: the API's command-routes.ts)
  request_documents: {
    words: 'запросить документы',
    card: { label: 'Запросить документы', roles: ['executor', 'controller', 'admin'] },
  },
  record_documents_reply: {
    words: 'записать ответ на запрос документов',
    card: { label: 'Ответ на запрос документов', roles: ['executor', 'controller', 'admin'] },
  },
  leave_without_answer: {
    words: 'оставить без ответа по существу',
    card: { label: 'Оставить без ответа', roles: ['registrar', 'controller', 'admin'] },
  },
  // decided from the card's «Связанные обращения» list (or over the API), not the action bar
  confirm_related: { words: 'подтвердить повторное или дубликат', card: null },
  reject_related: { words: 'отклонить повторное или дубликат', card: null },
  // the engine's own (decision 0008): a duplicate is answered with its original
  answer_with_original: { words: 'отметить ответ вместе с первоначальным', card: null },
  report_to_source: {
    words: 'сообщить результат направившему органу',
    card: { label: 'Сообщить результат направившему органу', roles: ['controller', 'registrar', 'admin'] },
  },
  set_further_control: {
    words: 'поставить на дополнительный контроль',
    card: { label: 'Поставить на дополнительный контроль', roles: ['controller', 'admin'] },
  },
  complete_measures: {
    words: 'отметить принятие мер',
    card: { label: 'Отметить принятие мер', roles: ['controller', 'admin'] },
  },
  // the head's decision (59-FZ art. 11 ч.5), recorded by the controlling side
  terminate_correspondence: {
    words: 'прекратить переписку по вопросу',
    card: { label: 'Прекратить переписку', roles: ['controller', 'admin'] },
  },
  // issue 14: forms in pages/card/forms/co-executors.ts; «Доклад» only for a co-executor (card-actions.ts)
  record_resolution: {
    words: 'записать резолюцию',
    card: { label: 'Резолюция', roles: ['controller', 'admin'] },
  },
  contribute: {
    words: 'направить доклад соисполнителя',
    card: { label: 'Доклад соисполнителя', roles: ['executor', 'controller', 'registrar', 'admin'] },
  },
  // 59-FZ art. 5 п.1; the form is declared here (card/forms/declared-form.ts renders it)
  record_applicant_materials: {
    words: 'принять дополнительные материалы заявителя',
    card: {
      label: 'Дополнительные материалы',
      roles: ['registrar', 'controller', 'executor', 'admin'],
      form: {
        path: '/applicant-materials',
        fields: [
          { name: 'description', label: 'Что представил заявитель', kind: 'textarea', required: true },
          { name: 'pages', label: 'Листов', kind: 'number', min: 1, max: 10000 },
          { name: 'receivedAt', label: 'Дата получения', kind: 'date', today: true, required: true },
        ],
        note: 'Приобщаются к обращению (п. 1 ст. 5 59-ФЗ).',
      },
    },
  },
} as const satisfies Record<AppealAction, ActionWords>;

/** The actions with a form on the card. */
export type CardFormAction = {
  [A in AppealAction]: (typeof ACTION_WORDS)[A]['card'] extends null ? never : A;
}[AppealAction];

/** The card actions whose form is declared here (`card.form`); the others are written in ../card/. */
export type DeclaredFormAction = {
  [A in CardFormAction]: (typeof ACTION_WORDS)[A]['card'] extends { form: CardFormSpec } ? A : never;
}[CardFormAction];

/** Whether `action`'s card form is declared here. */
export function hasDeclaredForm(action: string): action is DeclaredFormAction {
  if (!Object.hasOwn(ACTION_WORDS, action)) return false;
  const card: ActionWords['card'] = ACTION_WORDS[action as AppealAction].card;
  return card?.form !== undefined;
}

/** The declared form of `action`. */
export function declaredFormOf(action: DeclaredFormAction): CardFormSpec {
  const card: ActionWords['card'] = ACTION_WORDS[action as AppealAction].card;
  if (card?.form === undefined) throw new Error(`${String(action)} has no declared form`);
  return card.form;
}
