/** Russian labels of the report documents (the JSON keys stay English). */
import type { DateRange } from '../shared/business-date';
import { ELECTRONIC_EMAIL_UNTIL } from '../shared/event-store';
import type {
  AppealKind,
  Channel,
  ElectronicRoute,
  Form,
  OfficialRole,
  QuestionResult,
  SourceType,
  WithoutAnswerGround,
} from '../shared/event-store';

export const FORM_LABELS: Record<Form, string> = {
  written: 'Письменные',
  electronic: 'В форме электронного документа',
  oral: 'Устные',
};

export const CHANNEL_LABELS: Record<Channel, string> = {
  written: 'Почта, нарочно, факс',
  electronic: 'Электронная почта, виртуальная приёмная, ПОС',
  personal_reception: 'Личный приём',
  phone: 'Телефон',
};

/**
 * 59-FZ art. 4 п.1 as amended by 547-FZ (in force 2025-03-30): an appeal in electronic form comes by
 * the Gosuslugi portal (ЕПГУ, its feedback platform ПОС), the body's information system or its
 * official site, not by e-mail. The electronic channel's label says which routes the dates cover.
 */
export const ELECTRONIC_LABEL_BEFORE_547FZ = CHANNEL_LABELS.electronic;
export const ELECTRONIC_LABEL_SINCE_547FZ = 'ЕПГУ (ПОС), официальный сайт, информационная система органа';
export const ELECTRONIC_LABEL_ACROSS_547FZ =
  'Электронная почта (до 29.03.2025), ЕПГУ (ПОС), официальный сайт, информационная система органа';

/** The channel's label for reports covering `ranges` (the period and the one it is compared to). */
export function channelLabel(channel: Channel, ranges: readonly DateRange[]): string {
  if (channel !== 'electronic' || ranges.length === 0) return CHANNEL_LABELS[channel];
  const before = ranges.some((r) => r.from <= ELECTRONIC_EMAIL_UNTIL);
  const since = ranges.some((r) => r.to > ELECTRONIC_EMAIL_UNTIL);
  if (before && since) return ELECTRONIC_LABEL_ACROSS_547FZ;
  return since ? ELECTRONIC_LABEL_SINCE_547FZ : ELECTRONIC_LABEL_BEFORE_547FZ;
}

export const ELECTRONIC_ROUTE_LABELS: Record<ElectronicRoute, string> = {
  epgu: 'через ЕПГУ (платформа обратной связи)',
  official_site: 'через официальный сайт',
  information_system: 'через информационную систему органа',
  email: 'по электронной почте (до 29.03.2025)',
};

/** The routes a report covering `ranges` lists: e-mail only where a range reaches before 2025-03-30. */
export function electronicRoutesFor(ranges: readonly DateRange[]): ElectronicRoute[] {
  const emailPossible = ranges.some((r) => r.from <= ELECTRONIC_EMAIL_UNTIL);
  return (['epgu', 'official_site', 'information_system', 'email'] as const).filter(
    (route) => route !== 'email' || emailPossible,
  );
}

export const SOURCE_LABELS: Record<SourceType, string> = {
  direct: 'Поступили непосредственно',
  presidential_administration: 'Из Администрации Президента РФ',
  regional_administration: 'Из администрации области',
  other_body: 'Из других органов',
};

export const KIND_LABELS: Record<AppealKind, string> = {
  proposal: 'Предложения',
  application: 'Заявления',
  complaint: 'Жалобы',
};

export const RESULT_LABELS: Record<QuestionResult, string> = {
  supported: 'Поддержано',
  explained: 'Разъяснено',
  not_supported: 'Не поддержано',
  forwarded: 'Направлено по компетенции',
  answered: 'Дан ответ автору',
  left_without_answer: 'Оставлено без ответа автору',
  in_work: 'Находится на рассмотрении',
};

/** Grounds of 59-FZ art. 11 on which an appeal is left without an answer on the merits. */
export const WITHOUT_ANSWER_GROUND_LABELS: Record<WithoutAnswerGround, string> = {
  anonymous: 'Анонимные (ч. 1 ст. 11)',
  court_decision: 'Обжалование судебного решения, возвращены (ч. 2 ст. 11)',
  obscene: 'Нецензурные либо оскорбительные выражения (ч. 3 ст. 11)',
  unreadable: 'Текст не поддаётся прочтению (ч. 4 ст. 11)',
  unclear_essence: 'Не позволяет определить суть (ч. 4.1 ст. 11)',
  answer_published: 'Ответ размещён на официальном сайте (ч. 5.1 ст. 11)',
  state_secret: 'Охраняемая законом тайна (ч. 6 ст. 11)',
  correspondence_terminated: 'Переписка прекращена по вопросу (ч. 5 ст. 11)',
};

export const ROLE_LABELS: Record<OfficialRole, string> = {
  head: 'Глава',
  deputy: 'Заместители главы',
  department_head: 'Руководители структурных подразделений',
  specialist: 'Специалисты',
};

export const SECTION_LABELS: Record<string, string> = {
  '0001': 'Государство, общество, политика',
  '0002': 'Социальная сфера',
  '0003': 'Экономика',
  '0004': 'Оборона, безопасность, законность',
  '0005': 'Жилищно-коммунальная сфера',
};

export const UNASSIGNED_DEPARTMENT = 'Не назначено';

const MONTHS_GENITIVE = [
  'января',
  'февраля',
  'марта',
  'апреля',
  'мая',
  'июня',
  'июля',
  'августа',
  'сентября',
  'октября',
  'ноября',
  'декабря',
];

/** 2018-12-16 → «16 декабря 2018 г.» */
export function russianDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${d} ${MONTHS_GENITIVE[(m ?? 1) - 1] ?? ''} ${y} г.`;
}

/** 2018-12-16 → 16.12.2018 */
export const shortRussianDate = (date: string): string =>
  `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;

/** −38.9 → «−38,9» (typographic minus, decimal comma); null → «—». */
export function russianPercent(value: number | null): string {
  if (value === null) return '—';
  const text = Math.abs(value).toFixed(1).replace('.', ',');
  return value < 0 ? `−${text}` : value > 0 ? `+${text}` : text;
}

export const signed = (value: number): string =>
  value < 0 ? `−${Math.abs(value)}` : value > 0 ? `+${value}` : '0';
