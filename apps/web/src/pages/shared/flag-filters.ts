/**
 * The filters by the appeal's law flags on «Журнал» and «Контроль» (GET forms, so a filtered list is
 * a link), named as the API's query parameters (`GET /control?extended=true`): the selects, the query
 * string, and the short marks a listed row carries. The SQL is the projections library's
 * (`libs/projections/src/control/flag-filters.ts`).
 */
import type { WithoutAnswerGround } from '@appeal-ledger/appeal';
import type { AppealFlag } from '@appeal-ledger/projections';
import { html, type Html } from '../../shell/html';
import { WITHOUT_ANSWER_GROUND_LABELS } from './labels';
import { selectField, type Option } from './widgets';

/** The flags' values as the query string carries them ('true' / 'false' / a ground) */
export type FlagQuery = Partial<Record<AppealFlag | 'withoutAnswerGround', string>>;

/** Each flag's select: its label and the words of «да» and «нет». */
export const FLAG_FILTER_WORDS: Record<AppealFlag, { label: string; yes: string; no: string }> = {
  registeredLate: { label: 'Срок регистрации', yes: 'с нарушением (позже 3 дней)', no: 'в срок' },
  forwardedLate: {
    label: 'Направление по компетенции',
    yes: 'с нарушением 7-дневного срока',
    no: 'без нарушения',
  },
  extended: { label: 'Продление срока', yes: 'срок продлён', no: 'не продлевался' },
  onFurtherControl: { label: 'Дополнительный контроль', yes: 'до принятия мер', no: 'нет' },
  reportToSourcePending: {
    label: 'Ответ направившему органу',
    yes: 'ожидается (не сообщён)',
    no: 'не ожидается',
  },
  leftWithoutAnswer: { label: 'Без ответа по существу', yes: 'оставлено без ответа', no: 'нет' },
};

/** The mark a listed row carries for a flag that is set. */
export const FLAG_MARKS: Record<AppealFlag, string> = {
  registeredLate: 'рег. с нарушением срока',
  forwardedLate: 'направлено с нарушением срока',
  extended: 'срок продлён',
  onFurtherControl: 'доп. контроль',
  reportToSourcePending: 'ждёт ответа направившему органу',
  leftWithoutAnswer: 'без ответа по существу',
};

/** Every ground of art. 11, in the order of its parts (the labels' record: a new ground is listed once worded). */
const GROUNDS = Object.keys(WITHOUT_ANSWER_GROUND_LABELS) as WithoutAnswerGround[];

/** The selects of `flags` (and of the art. 11 ground when leftWithoutAnswer is among them). */
export function flagFilterFields(flags: readonly AppealFlag[], query: FlagQuery): Html {
  return html`${flags.map((flag) => {
    const words = FLAG_FILTER_WORDS[flag];
    const options: Option[] = [
      { value: 'true', text: words.yes },
      { value: 'false', text: words.no },
    ];
    return selectField(words.label, flag, options, { value: query[flag], empty: 'любое' });
  })}
  ${
    flags.includes('leftWithoutAnswer')
      ? selectField(
          'Основание (ст. 11)',
          'withoutAnswerGround',
          GROUNDS.map((g) => ({ value: g, text: WITHOUT_ANSWER_GROUND_LABELS[g] })),
          { value: query.withoutAnswerGround, empty: 'любое' },
        )
      : ''
  }`;
}

/** The query string's flag parameters (for links that keep the filter). */
export function flagParams(flags: readonly AppealFlag[], query: FlagQuery): FlagQuery {
  const params: FlagQuery = {};
  for (const flag of flags) params[flag] = query[flag];
  if (flags.includes('leftWithoutAnswer')) params.withoutAnswerGround = query.withoutAnswerGround;
  return params;
}

/** The query's flags as read from the request's parameters. */
export function flagQueryOf(
  flags: readonly AppealFlag[],
  params: Record<string, string | undefined>,
): FlagQuery {
  return flagParams(flags, params);
}

/** The marks of the flags a row has set, in the filters' order. */
export function flagMarks(row: Partial<Record<AppealFlag, boolean>>, flags: readonly AppealFlag[]): string[] {
  return flags.filter((f) => row[f] === true).map((f) => FLAG_MARKS[f]);
}

/** A list filter's 400 in words: «Фильтр не применён: «Продление срока» — …». */
export function filterRefusalWords(
  errors: readonly { field: string; message: string }[],
  detail = '',
): string {
  const label = (field: string): string =>
    field in FLAG_FILTER_WORDS
      ? `«${FLAG_FILTER_WORDS[field as AppealFlag].label}»`
      : field === 'withoutAnswerGround'
        ? '«Основание (ст. 11)»'
        : field;
  const words = (message: string): string =>
    message === 'must be true or false'
      ? 'выберите значение из списка'
      : /must be one of/.test(message)
        ? 'такого значения нет, выберите из списка'
        : message;
  const parts = errors.map((e) => `${label(e.field)} — ${words(e.message)}`);
  return `Фильтр не применён: ${parts.join('; ') || detail}`;
}
