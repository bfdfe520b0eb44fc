/**
 * Russian words for every enum the pages show: one module, so a state or a result reads the same on
 * the journal, the card, the history and the control board.
 */
import type {
  AppealKind,
  AppealStatus,
  Channel,
  ClosedReason,
  Form,
  OfficialRole,
  OriginalOutcome,
  QuestionResult,
  ReminderKind,
  SourceType,
  WithoutAnswerGround,
} from '@appeal-ledger/appeal';

export const STATE_LABELS: Record<AppealStatus, string> = {
  registered: 'Зарегистрировано',
  assigned: 'Назначен исполнитель',
  interim_answered: 'Дан промежуточный ответ',
  final_answered: 'Дан окончательный ответ',
  closed: 'Закрыто',
};

export const CLOSED_REASON_LABELS: Record<ClosedReason, string> = {
  removed_from_control: 'снято с контроля',
  forwarded: 'направлено по компетенции',
  withdrawn: 'отозвано заявителем',
  left_without_answer: 'оставлено без ответа по существу',
  answered_with_original: 'ответ дан вместе с первоначальным',
};

/** How a duplicate's original ended (AnsweredWithOriginal; decision 0008) */
export const ORIGINAL_OUTCOME_LABELS: Record<OriginalOutcome, string> = {
  answered: 'дан окончательный ответ, снято с контроля',
  forwarded: 'направлено по компетенции',
  left_without_answer: 'оставлено без ответа по существу',
  withdrawn: 'отозвано заявителем',
};

/** Grounds of leaving an appeal without an answer on the merits (59-FZ art. 11) */
export const WITHOUT_ANSWER_GROUND_LABELS: Record<WithoutAnswerGround, string> = {
  anonymous: 'анонимное (ч. 1 ст. 11)',
  court_decision: 'обжалуется судебное решение (ч. 2 ст. 11)',
  obscene: 'нецензурные либо оскорбительные выражения (ч. 3 ст. 11)',
  unreadable: 'текст не поддаётся прочтению (ч. 4 ст. 11)',
  unclear_essence: 'не позволяет определить суть (ч. 4.1 ст. 11)',
  answer_published: 'ответ размещён на официальном сайте (ч. 5.1 ст. 11)',
  state_secret: 'охраняемая законом тайна (ч. 6 ст. 11)',
  correspondence_terminated: 'переписка по вопросу прекращена (ч. 5 ст. 11)',
};

/** The registration card's options */
export const CHANNEL_LABELS: Record<Channel, string> = {
  written: 'Письменное',
  electronic: 'Электронное',
  personal_reception: 'Личный приём',
  phone: 'Телефон',
};

export const FORM_LABELS: Record<Form, string> = {
  written: 'Письменная',
  electronic: 'Электронная',
  oral: 'Устная',
};

export const KIND_LABELS: Record<AppealKind, string> = {
  proposal: 'Предложение',
  application: 'Заявление',
  complaint: 'Жалоба',
};

export const SOURCE_LABELS: Record<SourceType, string> = {
  direct: 'Непосредственно от заявителя',
  presidential_administration: 'Из Администрации Президента РФ',
  regional_administration: 'Из администрации области',
  other_body: 'Из другого органа',
};

export const OFFICIAL_ROLE_LABELS: Record<OfficialRole, string> = {
  head: 'Глава',
  deputy: 'Заместитель главы',
  department_head: 'Руководитель подразделения',
  specialist: 'Специалист',
};

/** The final answer form's «Результат» options, plus the results the engine sets itself */
export const RESULT_LABELS: Record<QuestionResult, string> = {
  in_work: 'На рассмотрении',
  supported: 'Поддержано',
  explained: 'Разъяснено',
  not_supported: 'Не поддержано',
  answered: 'Дан ответ',
  left_without_answer: 'Оставлено без ответа',
  forwarded: 'Направлено по компетенции',
};

/** What an executor may choose in «Окончательный ответ», in the order the form lists them */
export const FINAL_RESULTS = [
  'supported',
  'explained',
  'not_supported',
  'answered',
  'left_without_answer',
] as const;

export const REMINDER_KIND_LABELS: Record<ReminderKind, string> = {
  due_soon: 'Срок подходит',
  due_today: 'Срок истекает сегодня',
  overdue: 'Срок нарушен',
  // the report the sending body asked for (source.reportBackBy, issue 14)
  report_back_soon: 'Подходит срок доклада направившему органу',
  report_back_overdue: 'Доклад направившему органу просрочен',
};

export const ROLE_NAMES: Record<string, string> = {
  registrar: 'регистратор',
  controller: 'контролёр',
  executor: 'исполнитель',
  supervisor: 'надзор',
  head: 'руководитель',
  admin: 'администратор',
};

export const labelOf = <K extends string>(labels: Record<K, string>, value: string): string =>
  (labels as Record<string, string>)[value] ?? value;

/** `YYYY-MM-DD` → `дд.мм.гггг` (a calendar date is shown as is, no time zone involved) */
export function ruDate(date: string | null | undefined): string {
  if (!date) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.slice(0, 10));
  return m ? `${m[3]}.${m[2]}.${m[1]}` : date;
}

/** working days left, in words: «5 раб. дн.», «сегодня», «просрочено на 2 раб. дн.» */
export function daysLeftWords(daysLeft: number): string {
  if (daysLeft === 0) return 'сегодня';
  if (daysLeft < 0) return `просрочено на ${-daysLeft} раб. дн.`;
  return `${daysLeft} раб. дн.`;
}
