/**
 * What a person reads when the engine refuses, and what a person does without a mouse, in real
 * Chromium:
 *
 * - field errors (400) of the registration card and the administration forms are in Russian words
 *   (apps/api/src/http/field-words.ts), next to their fields, with no English;
 * - a refusal of the appeal's state (409) in words: «Действие не выполнено: обращение в состоянии
 *   «…». Сейчас можно: …» (pages.js refusalText), after another tab removed the appeal from control;
 * - the keyboard alone (Tab, Enter, Space, arrows, Escape) signs in, registers an appeal and assigns
 *   its executor on the card, with the focus visible on the way.
 */
import { ManualClock } from '../support/appeals';
import { checkA11y, signIn, startWebTest, type Page, type WebTest } from '../support/browser';
import { http } from '../support/test-engine';

const HOUSING = '0005.0005.0056.1149';
const at = (date: string): string => `${date}T10:00:00+07:00`;

/** English words of the API's messages: none may reach a page. */
const ENGLISH = /\b(must|should|required|before|after|characters?|string|empty|one of|listed|not|invalid)\b/i;

interface Summary {
  id: string;
  number: string;
  state: string;
  kind: string;
  executor: { id: string; name: string } | null;
  applicants?: { name?: string }[];
}

// Chromium on a shared 2-core machine: a flow with several sign-ins can take minutes.
jest.setTimeout(240_000);

/** The focused element's accessible name: its label, aria-label or text. */
function focusedName(page: Page): Promise<string> {
  return page.evaluate(`(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return '';
    if (el.labels && el.labels.length > 0) return el.labels[0].textContent.trim();
    return (el.getAttribute('aria-label') || el.textContent || '').trim();
  })()`);
}

/** Presses Tab until the element named `name` has the focus (at most `max` presses). */
async function tabTo(page: Page, name: string, max = 80): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const now = await focusedName(page);
    if (now === name) return;
    seen.push(now);
  }
  throw new Error(`«${name}» not reached by Tab; focused in turn: ${seen.join(' | ')}`);
}

/** The focus ring is drawn (app.css :focus-visible) on the focused element. */
async function expectFocusVisible(page: Page): Promise<void> {
  const outline = await page.evaluate<string>(
    `(() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.outlineWidth; })()`,
  );
  expect(outline).not.toMatch(/^none|\s0px$/);
}

describe('refusals in words and the keyboard (Chromium)', () => {
  const clock = new ManualClock(new Date(at('2025-03-03')));
  let web: WebTest;

  const api = async (path: string): Promise<Summary> => {
    const res = await http<Summary>(web.url, 'GET', path, { token: web.adminToken });
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    web = await startWebTest({ clock });
    await web.createAccount({ login: 'smirnova', name: 'Смирнова Е.В.', roles: ['registrar'] });
    await web.createAccount({
      login: 'kuznetsova',
      name: 'Кузнецова О.П.',
      roles: ['controller'],
      department: 'Организационный отдел',
    });
    await web.createAccount({
      login: 'sidorov',
      name: 'Сидоров С.С.',
      roles: ['executor'],
      department: 'Отдел ЖКХ',
    });
    await web.createAccount({ login: 'keys', name: 'Клавишин К.К.', roles: ['registrar', 'controller'] });
  }, 120_000);

  afterAll(() => web?.stop());

  it('words the field errors of the registration card in Russian, next to their fields', async () => {
    const page = await web.newPage();
    await page.goto('/appeals/new');
    await signIn(page, 'smirnova', web.password);
    if (!page.url().endsWith('/appeals/new')) await page.goto('/appeals/new');
    const form = page.locator('form[data-api-form]');
    const slot = (field: string) => form.locator(`[data-error-for="${field}"]`);
    const submit = async (): Promise<void> => {
      await page.getByRole('button', { name: 'Зарегистрировать' }).click();
      await form.locator('[data-form-alert]').filter({ hasText: 'Проверьте' }).waitFor();
    };
    const noEnglish = async (): Promise<void> => {
      const text = (await form.locator('[data-form-alert]').textContent()) ?? '';
      const slots = await form.locator('[data-error-for]').allTextContents();
      for (const words of [text, ...slots]) expect(words).not.toMatch(ENGLISH);
    };

    // the DTO's rules: too long, not an e-mail, a question without its code
    await page.getByLabel('ФИО заявителя').fill('Я'.repeat(301));
    await page.getByLabel('Электронная почта').fill('не адрес');
    await page.getByLabel('Содержание вопроса').fill('Нет отопления');
    await submit();
    await expect(slot('applicants.0.name').textContent()).resolves.toBe('Не длиннее 300 символов.');
    await expect(slot('applicants.0.email').textContent()).resolves.toBe(
      'Введите адрес электронной почты, например ivanov@example.ru.',
    );
    await expect(slot('questions.0.code').textContent()).resolves.toBe('Заполните поле.');
    await expect(page.getByLabel('ФИО заявителя').getAttribute('aria-invalid')).resolves.toBe('true');
    await noEnglish();
    await checkA11y(page);

    // the fact window: a date long before the ledger's
    await page.getByLabel('ФИО заявителя').fill('Петров Пётр Петрович');
    await page.getByLabel('Электронная почта').fill('petrov@example.ru');
    await page.getByLabel('Код вопроса').fill('12345');
    await page.getByLabel('Дата поступления').fill('1999-12-31');
    await submit();
    await expect(slot('receivedAt').textContent()).resolves.toMatch(
      /^Дата вне допустимого: с 01\.01\.2000 по \d\d\.\d\d\.\d{4}\.$/,
    );
    await noEnglish();

    // the decider's rule: the classifier code's shape
    await page.getByLabel('Дата поступления').fill('2025-03-03');
    await submit();
    await expect(slot('questions.0.code').textContent()).resolves.toBe(
      'Код вопроса — четыре или пять групп цифр: NNNN.NNNN.NNNN.NNNN.',
    );
    await expect(slot('receivedAt').textContent()).resolves.toBe('');
    await noEnglish();
    await page.context().close();
  });

  it('words the field errors of the administration forms in Russian', async () => {
    await web.createAccount({ login: 'petrov', name: 'Петров П.П.', roles: ['executor'] });
    const page = await web.newPage();
    await signIn(page, 'admin', web.adminPassword);
    await page.goto('/admin');
    const create = page.getByRole('region', { name: 'Новая учётная запись' });
    await create.getByLabel('Логин').fill('Кузьмина');
    await create.getByLabel('ФИО').fill('Кузьмина А.А.');
    await create.getByLabel('Пароль', { exact: true }).fill('short');
    await create.getByRole('button', { name: 'Создать' }).click();
    await create.locator('.field-error').first().waitFor();
    const errors = await create.locator('.field-error').allTextContents();
    expect(errors).toEqual([
      'Логин: от 1 до 64 латинских букв, цифр, «.», «_», «@» или «-», первой — буква или цифра.',
      'Не короче 10 символов.',
    ]);
    const summary = (await create.locator('[data-form-error]').textContent()) ?? '';
    expect(summary).toContain('Проверьте заполнение полей.');
    expect(summary).toContain('Пароль: не короче 10 символов.');
    for (const words of [summary, ...errors]) expect(words).not.toMatch(ENGLISH);
    await checkA11y(page);

    // the account's own form: a new password too short
    const row = page.getByRole('row').filter({ hasText: 'petrov' });
    await row.getByText('Изменить').click();
    await row.getByLabel('Новый пароль').fill('short');
    await row.getByRole('button', { name: 'Сохранить' }).click();
    await row.locator('.field-error').waitFor();
    await expect(row.locator('.field-error').textContent()).resolves.toBe('Не короче 10 символов.');
    expect((await http(web.url, 'GET', '/admin/users/кузьмина', { token: web.adminToken })).status).not.toBe(
      200,
    );
    await page.context().close();
  });

  it('refuses an action on an appeal another tab removed from control, in words (409)', async () => {
    clock.set(at('2025-03-03'));
    const registrar = web.engine.token('smirnova', ['registrar'], { name: 'Смирнова Е.В.' });
    const controller = web.engine.token('kuznetsova', ['controller'], { name: 'Кузнецова О.П.' });
    const executor = web.engine.token('sidorov', ['executor'], { name: 'Сидоров С.С.' });
    const created = await http<Summary>(web.url, 'POST', '/appeals', {
      token: registrar,
      body: {
        receivedAt: '2025-03-03',
        channel: 'written',
        kind: 'complaint',
        applicants: [{ name: 'Гусев Г.Г.', address: 'п. Елань, ул. Мира, 5' }],
        questions: [{ code: HOUSING, summary: 'течёт крыша' }],
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const assigned = await http(web.url, 'POST', `/appeals/${id}/assignment`, {
      token: controller,
      body: { executor: { id: 'sidorov', name: 'Сидоров С.С.' }, department: 'Отдел ЖКХ' },
    });
    expect(assigned.status).toBe(200);
    const answered = await http(web.url, 'POST', `/appeals/${id}/final-answer`, {
      token: executor,
      body: {
        sentAt: '2025-03-03',
        summary: 'Крыша отремонтирована',
        results: [{ questionCode: HOUSING, result: 'supported' }],
      },
    });
    expect(answered.status).toBe(200);

    // one person, two tabs of the same card
    const first = await web.newPage();
    await first.goto(`/appeals/${id}`);
    await signIn(first, 'kuznetsova', web.password);
    if (!first.url().includes(id)) await first.goto(`/appeals/${id}`);
    const second = await first.context().newPage();
    await second.goto(`/appeals/${id}`);

    // the first tab removes it from control
    await first.getByRole('button', { name: 'Снять с контроля', exact: true }).click();
    await Promise.all([
      first.waitForNavigation(),
      first.locator('#action-form').getByRole('button', { name: 'Сохранить' }).click(),
    ]);
    expect((await api(`/appeals/${id}`)).state).toBe('closed');

    // the second tab still offers «Вернуть на доработку»: its If-Match is stale, so 412 first…
    await second.getByRole('button', { name: 'Вернуть на доработку', exact: true }).click();
    const form = second.locator('#action-form');
    await form.getByLabel('Причина возврата').fill('нет фотографий');
    await form.getByRole('button', { name: 'Сохранить' }).click();
    const alert = form.locator('[data-form-alert]');
    await alert.filter({ hasText: 'изменил кто-то другой' }).waitFor();
    // …and without If-Match (an older page, a retry) the state itself refuses it: 409, in words
    await second.route(`**/appeals/${id}/**`, (route) => {
      const headers = { ...route.request().headers() };
      delete headers['if-match'];
      return route.continue({ headers });
    });
    await form.getByRole('button', { name: 'Сохранить' }).click();
    await alert.filter({ hasText: 'Действие не выполнено' }).waitFor();
    const words = (await alert.textContent()) ?? '';
    expect(words).toMatch(
      /^Действие не выполнено: обращение в состоянии «закрыто»\. (Сейчас можно: [^.]+\.|Сейчас с ним ничего сделать нельзя\.)$/,
    );
    expect(words).not.toMatch(ENGLISH);
    await checkA11y(second);
    expect((await api(`/appeals/${id}`)).state).toBe('closed');
    await first.context().close();
  });

  it('signs in, registers an appeal and assigns its executor with the keyboard alone', async () => {
    clock.set(at('2025-03-04'));
    const page = await web.newPage();
    await page.goto('/login');
    await tabTo(page, 'Логин');
    await expectFocusVisible(page);
    await page.keyboard.type('keys');
    await tabTo(page, 'Пароль');
    await page.keyboard.type(web.password);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);

    // the skip link comes first and takes the focus to the page's content
    await page.goto('/appeals/new');
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe('Перейти к содержанию');
    await expectFocusVisible(page);
    await page.keyboard.press('Enter');
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('main');

    await tabTo(page, 'Вид обращения');
    const kindBefore = await page.getByLabel('Вид обращения').inputValue();
    await page.keyboard.press('ArrowDown');
    const kind = await page.getByLabel('Вид обращения').inputValue();
    expect(kind).not.toBe(kindBefore);
    await tabTo(page, 'ФИО заявителя');
    await page.keyboard.type('Клавдиев Кирилл Петрович');
    await tabTo(page, 'Адрес заявителя');
    await page.keyboard.type('п. Елань, ул. Садовая, 7');
    await tabTo(page, 'Код вопроса');
    await page.keyboard.type(HOUSING);
    await tabTo(page, 'Содержание вопроса');
    await page.keyboard.type('Не вывозят мусор');
    await tabTo(page, 'Зарегистрировать');
    await expectFocusVisible(page);
    await Promise.all([
      page.waitForURL(/\/appeals\/[0-9a-f-]{36}\?minPosition=\d+$/),
      page.keyboard.press('Enter'),
    ]);
    const id = /\/appeals\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
    const registered = await api(`/appeals/${id}`);
    expect(registered).toMatchObject({ state: 'registered', kind });
    expect(registered.applicants?.[0]?.name).toBe('Клавдиев Кирилл Петрович');

    // the card: Space opens the action's form with the focus in it, Escape closes it and gives the
    // focus back to its button, Enter opens it again; an arrow picks the executor
    await tabTo(page, 'Назначить исполнителя');
    await expectFocusVisible(page);
    await page.keyboard.press('Space');
    expect(await focusedName(page)).toBe('Исполнитель');
    await page.keyboard.press('Escape');
    await expect(page.locator('#action-form form').count()).resolves.toBe(0);
    expect(await focusedName(page)).toBe('Назначить исполнителя');
    await page.keyboard.press('Enter');
    expect(await focusedName(page)).toBe('Исполнитель');
    const form = page.locator('#action-form');
    // the arrows walk the executors (in the directory's order) up to Sidorov
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('ArrowDown');
      if ((await form.getByLabel('Исполнитель').inputValue()).includes('"id":"sidorov"')) break;
    }
    await expect(form.getByLabel('Исполнитель').inputValue()).resolves.toContain('"id":"sidorov"');
    await expect(form.getByLabel('Подразделение').inputValue()).resolves.toBe('Отдел ЖКХ');
    await tabTo(page, 'Сохранить');
    await expectFocusVisible(page);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(await api(`/appeals/${id}`)).toMatchObject({
      state: 'assigned',
      executor: { id: 'sidorov', name: 'Сидоров С.С.' },
    });
    await checkA11y(page);
    await page.context().close();
  });
});
