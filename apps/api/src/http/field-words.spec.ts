import 'reflect-metadata';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { CreateUserDto } from '../../../web/src/accounts/admin-users.dto';
import { RegisterAppealDto } from '../appeals/register-appeal/register-appeal.dto';
import { systemClock } from '../shared/clock';
import {
  CONSTRAINT_WORDS,
  fieldWords,
  FILL_IN,
  prefersRussian,
  russianFieldErrors,
  russianValidationDetail,
  UNKNOWN_WORDS,
} from './field-words';
import { Problem } from './problem';
import { createValidationPipe } from './validation';

const APPS = join(__dirname, '..', '..', '..');

function dtoFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : dtoFiles(path);
    return /\.dto\.ts$|\.routes\.ts$/.test(name) ? [path] : [];
  });
}

/** Latin words of an English message: none may reach a page. */
const ENGLISH = /\b(must|should|required|before|after|characters?|string|empty|one of|listed|is not)\b/i;

async function refusal(metatype: new () => object, body: unknown): Promise<Problem> {
  const pipe = createValidationPipe({ timeZone: 'Asia/Novokuznetsk', clock: systemClock });
  try {
    await pipe.transform(body, { type: 'body', metatype });
  } catch (error) {
    if (error instanceof Problem) return error;
    throw error;
  }
  throw new Error('no refusal');
}

describe('validation errors in Russian words (field-words.ts)', () => {
  it('words every rule used by a DTO of the engine (all *.dto.ts, the command routes)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads every DTO's decorators
    for (const file of dtoFiles(APPS)) require(file);
    const storage = getMetadataStorage() as unknown as {
      validationMetadatas: Map<unknown, { type: string; name?: string }[]>;
    };
    const names = new Set<string>();
    for (const rules of storage.validationMetadatas.values())
      for (const rule of rules) if (rule.type !== 'conditionalValidation') names.add(rule.name ?? rule.type);
    expect(names.size).toBeGreaterThan(10);
    const unworded = [...names].filter((name) => !(name in CONSTRAINT_WORDS));
    expect(unworded).toEqual([]);
  });

  it('words a DTO rule by its name and its own arguments, whatever its English message', async () => {
    const problem = await refusal(CreateUserDto, {
      login: 'кириллица',
      name: '',
      roles: ['registrar', 'registrar', 'chief'],
      password: 'short',
    });
    const errors = russianFieldErrors(problem.fieldErrors);
    expect(errors).toEqual([
      {
        field: 'login',
        message: 'Логин: от 1 до 64 латинских букв, цифр, «.», «_», «@» или «-», первой — буква или цифра.',
      },
      { field: 'name', message: FILL_IN },
      { field: 'roles', message: 'Выберите значение из списка.' },
      { field: 'roles', message: 'Роли не должны повторяться.' },
      { field: 'password', message: 'Не короче 10 символов.' },
    ]);
    expect(russianValidationDetail(errors)).toContain('Пароль: не короче 10 символов.');
    for (const e of errors) expect(e.message).not.toMatch(ENGLISH);
  });

  it('says a missing value once, and words nested fields (a registration)', async () => {
    const problem = await refusal(RegisterAppealDto, {
      receivedAt: '2025-02-30',
      channel: 'pigeon',
      kind: 'complaint',
      applicants: [{ name: 'x'.repeat(301), email: 'не адрес' }],
      questions: [],
      source: { type: 'other_body', reference: '   ' },
    });
    const errors = russianFieldErrors(problem.fieldErrors);
    const at = (field: string): string[] => errors.filter((e) => e.field === field).map((e) => e.message);
    expect(at('receivedAt')).toEqual(['Введите существующую дату (дд.мм.гггг).']);
    expect(at('channel')).toEqual(['Выберите значение из списка.']);
    expect(at('applicants[0].name')).toEqual(['Не длиннее 300 символов.']);
    expect(at('applicants[0].email')).toEqual([
      'Введите адрес электронной почты, например ivanov@example.ru.',
    ]);
    expect(at('questions')).toEqual(['Укажите хотя бы один вопрос.']);
    expect(at('kind')).toEqual([]);
    // a choice not made: «Выберите…», once
    const kind = russianFieldErrors((await refusal(RegisterAppealDto, { channel: 'written' })).fieldErrors);
    expect(kind.filter((e) => e.field === 'kind').map((e) => e.message)).toEqual([
      'Выберите значение из списка.',
    ]);
    const code = russianFieldErrors(
      (await refusal(RegisterAppealDto, { questions: [{ summary: 'x' }] })).fieldErrors,
    );
    expect(code.filter((e) => e.field === 'questions[0].code').map((e) => e.message)).toEqual([FILL_IN]);
    for (const e of errors) expect(e.message).not.toMatch(ENGLISH);
  });

  it('words the messages of the decider and the handlers', () => {
    const cases: [string, string, string][] = [
      ['to', 'must be a non-empty string', FILL_IN],
      ['ground', 'must be one of a, b, got "c"', 'Выберите значение из списка.'],
      ['receivedAt', 'is before the request was sent (2025-03-05)', 'Дата раньше отправки запроса.'],
      ['completedAt', 'is before the final answer (2025-03-14)', 'Дата раньше окончательного ответа.'],
      [
        'sentAt',
        'is 2025-03-01 (Asia/Novokuznetsk), before the registration date 2025-03-03',
        'Дата раньше даты регистрации (03.03.2025).',
      ],
      [
        'until',
        'must be after the day of the final answer (2025-03-14)',
        'Дата должна быть позже дня окончательного ответа (14.03.2025).',
      ],
      [
        'receivedAt',
        'must lie between 2000-01-01 and 2026-12-03 (today + 1 year) in Asia/Novokuznetsk, got 1999-01-01',
        'Дата вне допустимого: с 01.01.2000 по 03.12.2026.',
      ],
      [
        'coExecutors[0].id',
        'sidorov is the responsible executor: not also a co-executor',
        'Это ответственный исполнитель: соисполнителем он быть не может.',
      ],
      ['questions[1].code', 'question 0005.0005.0056.1149 is listed twice', 'Указано дважды.'],
      [
        'questions[0].code',
        'classifier code "12345" must look like NNNN.NNNN.NNNN.NNNN (optionally .NNNN)',
        'Код вопроса — четыре или пять групп цифр: NNNN.NNNN.NNNN.NNNN.',
      ],
      [
        'questions[0].code',
        'classifier theme 0099 is not in the classifier',
        'Такого кода нет в классификаторе.',
      ],
      [
        'results[1].measuresTaken',
        'measures are taken only on a supported question',
        '«Меры приняты» — только для поддержанного вопроса.',
      ],
      [
        'decidedBy',
        'required: { name, position } of the official who decided the extension',
        'Укажите ФИО и должность.',
      ],
      ['login', 'this login is taken', 'Этот логин уже занят.'],
      [
        'notice',
        'the applicant must be notified on ground unclear_essence (59-FZ art. 11 ч.3)',
        'По этому основанию заявителю нужно сообщить о решении (ст. 11 59-ФЗ): заполните «Что сообщено заявителю».',
      ],
    ];
    for (const [field, message, words] of cases) expect(fieldWords({ field, message })).toBe(words);
    expect(fieldWords({ field: 'x', message: 'something new and English' })).toBe(UNKNOWN_WORDS);
  });

  it('takes Russian when the request prefers it', () => {
    expect(prefersRussian('ru')).toBe(true);
    expect(prefersRussian('ru-RU,ru;q=0.9,en-US;q=0.8')).toBe(true);
    expect(prefersRussian('en-US,en;q=0.9,ru;q=0.8')).toBe(false);
    expect(prefersRussian('en;q=0.5, ru')).toBe(true);
    expect(prefersRussian(undefined)).toBe(false);
    expect(prefersRussian('*')).toBe(false);
  });
});
