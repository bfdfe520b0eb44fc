/**
 * The validation errors (400) in Russian, for the pages: the one table of the words.
 *
 * A request that prefers Russian (`Accept-Language: ru…`; the pages' scripts send it) gets each
 * `errors[].message` and the `detail` in Russian words; every other client gets the English messages
 * as before. A DTO rule is worded by its class-validator constraint name and the rule's own arguments
 * (`maxLength` 300 → «Не длиннее 300 символов.»), whatever English message the DTO gave it; the
 * decider's and the handlers' messages (no constraint) by their patterns below. A field whose value is
 * missing is said once («Заполните поле.»), not once per rule it breaks.
 */

/** One field error as the engine found it; `rule` when a DTO constraint made it. */
export interface RuledFieldError {
  field: string;
  message: string;
  /** `missing`: the field was not given (or blank), so every rule of it fails */
  rule?: { name: string; args: readonly unknown[]; missing?: boolean };
}

export const FILL_IN = 'Заполните поле.';
const CHOOSE = 'Выберите значение из списка.';
const DATE = 'Введите существующую дату (дд.мм.гггг).';

/** `2025-03-04` (or the date of an instant) → `04.03.2025`; anything else as it is. */
export function ruDay(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}

/** «символа» / «символов» after «не длиннее N» (genitive: 1, 21 → singular). */
function characters(n: number): string {
  return n % 10 === 1 && n % 100 !== 11 ? 'символа' : 'символов';
}

const num = (args: readonly unknown[], i = 0): number => Number(args[i]);

/** class-validator's constraint names (and ours, dto-rules.ts) → words, from the rule's arguments. */
export const CONSTRAINT_WORDS: Readonly<Record<string, (args: readonly unknown[]) => string>> = {
  isNotEmpty: () => FILL_IN,
  isDefined: () => FILL_IN,
  isString: () => 'Введите текст.',
  maxLength: (a) => `Не длиннее ${num(a)} ${characters(num(a))}.`,
  minLength: (a) => `Не короче ${num(a)} ${characters(num(a))}.`,
  isLength: (a) => `От ${num(a, 0)} до ${num(a, 1)} символов.`,
  isIn: () => CHOOSE,
  isEnum: () => CHOOSE,
  isArray: () => 'Нужен список значений.',
  arrayMinSize: (a) =>
    num(a) === 1 ? 'Укажите хотя бы одно значение.' : `Укажите не меньше ${num(a)} значений.`,
  arrayMaxSize: (a) => `Не больше ${num(a)} значений.`,
  arrayUnique: () => 'Значения не должны повторяться.',
  isBoolean: () => 'Выберите «да» или «нет».',
  isUuid: () => CHOOSE,
  isObject: () => 'Заполните поля этого блока.',
  nestedValidation: () => 'Заполните поля этого блока.',
  isInt: () => 'Введите целое число.',
  min: (a) => `Не меньше ${num(a)}.`,
  max: (a) => `Не больше ${num(a)}.`,
  matches: () => 'Значение в неверном формате.',
  isEmail: () => 'Введите адрес электронной почты, например ivanov@example.ru.',
  isBusinessTime: () => DATE,
  isCalendarDate: () => DATE,
  whitelistValidation: () => 'Такого поля нет в форме.',
};

/** A rule worded for one field (its last name) rather than by the rule alone. */
const FIELD_RULE_WORDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  login: {
    matches: 'Логин: от 1 до 64 латинских букв, цифр, «.», «_», «@» или «-», первой — буква или цифра.',
  },
  questions: { arrayMinSize: 'Укажите хотя бы один вопрос.' },
  roles: { arrayUnique: 'Роли не должны повторяться.' },
};

type Words = string | ((m: RegExpExecArray) => string);

/** Messages made by the decider (libs/appeal) and the handlers, which carry no constraint. */
export const MESSAGE_WORDS: readonly (readonly [RegExp, Words])[] = [
  [/must be a non-empty string|should not be empty|^is required$/, FILL_IN],
  [/must be one of /, CHOOSE],
  [/^must lie between (\S+) and (\S+)/, (m) => `Дата вне допустимого: с ${ruDay(m[1])} по ${ruDay(m[2])}.`],
  [/has no calendar date in /, 'Дата вне допустимого.'],
  [/must be (?:a|an existing) (?:calendar )?date|must be an ISO 8601 instant|must be an instant/, DATE],
  [
    /before the registration date (\d{4}-\d{2}-\d{2})/,
    (m) => `Дата раньше даты регистрации (${ruDay(m[1])}).`,
  ],
  [/^(\S+) is before receivedAt (\S+)/, (m) => `Дата регистрации раньше даты поступления (${ruDay(m[2])}).`],
  [/^is before the request was sent/, 'Дата раньше отправки запроса.'],
  [/^is before the final answer/, 'Дата раньше окончательного ответа.'],
  [
    /^must be after the day of the final answer \((\d{4}-\d{2}-\d{2})/,
    (m) => `Дата должна быть позже дня окончательного ответа (${ruDay(m[1])}).`,
  ],
  [
    /^is after the day the answer was sent \((\S+)\)/,
    (m) => `Дата позже дня отправки ответа (${ruDay(m[1])}).`,
  ],
  [/^is before the resolution \((\S+)\)/, (m) => `Дата раньше резолюции (${ruDay(m[1])}).`],
  [/before the resolution's date (\S+)/, (m) => `Дата раньше даты резолюции (${ruDay(m[1])}).`],
  [/after the appeal's due date (\S+)/, (m) => `Дата позже срока рассмотрения обращения (${ruDay(m[1])}).`],
  [/^is before the registration date/, 'Дата раньше даты регистрации.'],
  [
    /^the appeal names an applicant/,
    'Обращение не анонимное: в нём указаны фамилия и адрес для ответа (ч. 1 ст. 11 59-ФЗ).',
  ],
  [
    /^the appeal reports an offence/,
    'В обращении сообщается о правонарушении: его направляют по компетенции, а не оставляют без ответа (ч. 1 ст. 11 59-ФЗ).',
  ],
  [
    /^the applicant must be notified on ground/,
    'По этому основанию заявителю нужно сообщить о решении (ст. 11 59-ФЗ): заполните «Что сообщено заявителю».',
  ],
  [
    /^the address of the published answer is required/,
    'Укажите адрес ответа, размещённого на официальном сайте (ч. 5.1 ст. 11 59-ФЗ).',
  ],
  [/^must be \{ sentAt, text \}|^notice must be an object/, 'Заполните «Что сообщено заявителю».'],
  [/\{ name, position \}/, 'Укажите ФИО и должность.'],
  [/must be an object \{ id, name, department \}/, 'Выберите исполнителя и укажите подразделение.'],
  [
    /is the responsible executor: not also a co-executor/,
    'Это ответственный исполнитель: соисполнителем он быть не может.',
  ],
  [/^at most (\d+) co-executors/, (m) => `Не больше ${m[1]} соисполнителей.`],
  [/is not a co-executor of this appeal|owes no part of this appeal/, 'Он не соисполнитель этого обращения.'],
  [/is listed twice/, 'Указано дважды.'],
  [/at least one question|an appeal holds at least one question/, 'Укажите хотя бы один вопрос.'],
  [/^no result for question (\S+)/, (m) => `Укажите результат по вопросу ${m[1]}.`],
  [/^must list a result for every question/, 'Укажите результат по каждому вопросу.'],
  [/has more than one result/, 'У вопроса больше одного результата.'],
  [/was forwarded by competence/, 'Вопрос направлен по компетенции: результат по нему не указывают.'],
  [/measures are taken only on a supported question/, '«Меры приняты» — только для поддержанного вопроса.'],
  [/is not a question of this appeal|^the questions of this appeal are/, 'Такого вопроса в обращении нет.'],
  [/was already forwarded/, 'Этот вопрос уже направлен по компетенции.'],
  [
    /^at least (\d+) earlier appeals answered on the merits/,
    (m) => `Нужно не меньше ${m[1]} ранее отвеченных по существу обращений (ч. 5 ст. 11 59-ФЗ).`,
  ],
  [
    /is not an earlier one|cannot repeat itself|cannot repeat or duplicate itself/,
    'Обращение не может ссылаться само на себя.',
  ],
  [
    /is already a duplicate of/,
    'Обращение уже присоединено как дубликат к другому: сначала отклоните ту связь.',
  ],
  [/is not a confirmed duplicate|is a duplicate of/, 'Обращение не присоединено как дубликат к этому.'],
  [/there is no appeal|^no appeal \S+ to repeat/, 'Такого обращения нет.'],
  [/you may not read appeal/, 'Это обращение вам недоступно.'],
  [/^only for channel personal_reception/, 'Только для личного приёма.'],
  [/^only for channel electronic/, 'Только для обращения в электронной форме.'],
  [
    /is not an appeal in electronic form/,
    'С 30.03.2025 письмо по электронной почте — не обращение в электронной форме (п. 1 ст. 4 59-ФЗ).',
  ],
  [
    /^only with termDays|^required with termDays/,
    'Укажите и срок в днях, и норму, которая его устанавливает.',
  ],
  [/the answer document is recorded whole/, 'Реквизиты ответа заполняются все вместе (ч. 4 ст. 10 59-ФЗ).'],
  [
    /only an appeal sent by another body/,
    'Срок доклада — только для обращения, поступившего из другого органа.',
  ],
  [/classifier code .* must look like/, 'Код вопроса — четыре или пять групп цифр: NNNN.NNNN.NNNN.NNNN.'],
  [
    /^classifier (?:section|theme|topic|question) \S+ (?:does not exist|is not in the classifier)/,
    'Такого кода нет в классификаторе.',
  ],
  [/classifier code must be a string/, 'Введите код вопроса.'],
  [/^this login is taken/, 'Этот логин уже занят.'],
  [/must be a list/, 'Нужен список значений.'],
  [/must be a string/, 'Введите текст.'],
  [/must be true or false/, 'Выберите «да» или «нет».'],
  [/must be (?:a whole number|an integer) from (\d+) to (\d+)/, (m) => `Целое число от ${m[1]} до ${m[2]}.`],
  [/must be an? (?:appeal id|UUID)/, CHOOSE],
  [/must be an e-mail address/, CONSTRAINT_WORDS.isEmail([])],
  [/^malformed JSON/, 'Запрос не разобран: обновите страницу и повторите.'],
];

/** When nothing in the tables knows a message: still Russian, never English on a page. */
export const UNKNOWN_WORDS = 'Значение не принято: проверьте поле.';

const lastName = (field: string): string => {
  const names = field.split(/[.[\]]+/).filter((n) => n !== '' && !/^\d+$/.test(n));
  return names[names.length - 1] ?? field;
};

/** Rules of a field chosen from a list (a select, a checkbox): a missing value is «Выберите…». */
const CHOICE_RULES = new Set(['isIn', 'isEnum', 'isUuid', 'isBoolean']);

/** One field error in words. */
export function fieldWords(error: RuledFieldError): string {
  if (error.rule) {
    if (error.rule.missing) return CHOICE_RULES.has(error.rule.name) ? CHOOSE : FILL_IN;
    const special = FIELD_RULE_WORDS[lastName(error.field)]?.[error.rule.name];
    if (special) return special;
    const byRule = CONSTRAINT_WORDS[error.rule.name];
    if (byRule) return byRule(error.rule.args);
  }
  for (const [pattern, words] of MESSAGE_WORDS) {
    const m = pattern.exec(error.message);
    if (m) return typeof words === 'string' ? words : words(m);
  }
  return UNKNOWN_WORDS;
}

/** The labels of the pages' fields (by the field's last name), for the summary of a 400. */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  login: 'Логин',
  password: 'Пароль',
  name: 'ФИО',
  roles: 'Роли',
  department: 'Подразделение',
  disabled: 'Отключена',
  receivedAt: 'Дата поступления',
  registeredAt: 'Дата регистрации',
  channel: 'Канал поступления',
  kind: 'Вид обращения',
  source: 'Источник',
  applicants: 'Заявители',
  address: 'Адрес заявителя',
  email: 'Электронная почта',
  phone: 'Телефон',
  questions: 'Вопросы',
  code: 'Код вопроса',
  questionCode: 'Код вопроса',
  territory: 'Территория',
  summary: 'Содержание',
  reception: 'Личный приём',
  executor: 'Исполнитель',
  id: 'Исполнитель',
  reason: 'Причина',
  days: 'Дни продления',
  sentAt: 'Дата отправки',
  result: 'Результат',
  results: 'Результаты',
  measuresTaken: 'Меры приняты',
  ground: 'Основание',
  text: 'Текст',
  notice: 'Сообщение заявителю',
  link: 'Адрес опубликованного ответа',
  decidedBy: 'Решение принял',
  position: 'Должность',
  to: 'Адресат',
  reference: 'Номер',
  until: 'Срок',
  setAt: 'Дата',
  completedAt: 'Дата',
  closedAt: 'Дата снятия с контроля',
};

/** «Логин: не короче…» for the summary; a field without a label keeps its API name. */
function summaryLine(field: string, words: string): string {
  const label = FIELD_LABELS[lastName(field)] ?? field;
  return `${label}: ${words.charAt(0).toLowerCase()}${words.slice(1)}`;
}

/**
 * The errors in words, a missing value said once per field (its other rules left out): «Выберите
 * значение из списка.» when one of its rules is a choice, else «Заполните поле.».
 */
export function russianFieldErrors(errors: readonly RuledFieldError[]): { field: string; message: string }[] {
  const notGiven = new Map<string, string>();
  for (const e of errors)
    if (e.rule?.missing && notGiven.get(e.field) !== CHOOSE) notGiven.set(e.field, fieldWords(e));
  const worded = errors.map((e) => ({ field: e.field, message: notGiven.get(e.field) ?? fieldWords(e) }));
  const missing = new Set(worded.filter((e) => e.message === FILL_IN).map((e) => e.field));
  const seen = new Set<string>();
  return worded.filter((e) => {
    const key = `${e.field}\u0000${e.message}`;
    if (seen.has(key) || (missing.has(e.field) && e.message !== FILL_IN)) return false;
    seen.add(key);
    return true;
  });
}

/** The detail of a 400 in words: «Проверьте поля. Логин: …; Пароль: ….» */
export function russianValidationDetail(errors: readonly { field: string; message: string }[]): string {
  if (errors.length === 0) return 'Проверьте заполнение полей.';
  return `${errors
    .map((e) => summaryLine(e.field, e.message))
    .join('; ')
    .replace(/\.$/, '')}.`;
}

/**
 * Does the request prefer Russian? The first language of `Accept-Language` by its weight (`ru`,
 * `ru-RU`, `ru;q=1, en;q=0.5`…); no header: no.
 */
export function prefersRussian(acceptLanguage: string | string[] | undefined): boolean {
  const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : acceptLanguage;
  if (!header) return false;
  let best = { tag: '', q: -1 };
  for (const part of header.split(',').slice(0, 20)) {
    const [tag = '', ...params] = part.trim().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (Number.isFinite(q) && q > best.q) best = { tag: tag.trim().toLowerCase(), q };
  }
  return best.q > 0 && (best.tag === 'ru' || best.tag.startsWith('ru-'));
}
