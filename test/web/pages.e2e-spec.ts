/**
 * The work pages in real Chromium, one test per role walking its main flow by the contract's labels
 * (registrar → controller → executor → controller → supervisor on one collective appeal; the
 * organisational department's controller sees a reminder arrive live), a 409 and a 412 shown in
 * words, axe-core on every page, screenshots into docs/screenshots. After each flow the API says
 * what was recorded. Business time comes from a manual clock, set before each role signs in.
 */
import { Pool } from 'pg';
import { committedHead } from '../../libs/reminders/src/testing';
import { ReminderRuntime } from '../../apps/api/src/reminders/reminder-runtime.service';
import {
  ACTION_TIMEOUT_MS,
  checkA11y,
  screenshot,
  signIn,
  startWebTest,
  type Page,
  type WebTest,
} from '../support/browser';
import { ManualClock } from '../support/appeals';
import { http } from '../support/test-engine';

interface Summary {
  id: string;
  number: string;
  state: string;
  dueDate: string;
  extended: boolean;
  executor: { id: string; name: string } | null;
  department: string | null;
  collective: boolean;
  interimAnswers: number;
  questions: { code: string; result: string; measuresTaken?: boolean }[];
  applicants?: { name?: string }[];
  revision: number;
  onControl: boolean;
}

const HOUSING = '0005.0005.0056.1149';
const ROADS = '0003.0009.0097.0650';
const at = (date: string): string => `${date}T10:00:00+07:00`;

// Chromium on a shared 2-core machine: a role's flow (sign-in, pages, axe runs) can take a minute.
jest.setTimeout(180_000);

describe('work pages in a browser (Chromium)', () => {
  const clock = new ManualClock(new Date(at('2025-03-03')));
  let web: WebTest;
  let db: Pool;
  let appealId = '';
  let number = '';

  const api = async (path: string, token = web.adminToken): Promise<Summary> => {
    const res = await http<Summary>(web.url, 'GET', path, { token });
    expect(res.status).toBe(200);
    return res.body;
  };

  /** a fresh browser signed in as `login` on `path`, axe-checked */
  async function as(login: string, path: string): Promise<Page> {
    const page = await web.newPage();
    await page.goto(path);
    await signIn(page, login, web.password);
    if (!page.url().endsWith(path)) await page.goto(path);
    await checkA11y(page);
    return page;
  }

  /** clicks a card action, fills its form in `fill`, «Сохранить», waits for the card to reload */
  async function act(page: Page, button: string, fill: (form: ReturnType<Page['locator']>) => Promise<void>) {
    await page.getByRole('button', { name: button, exact: true }).click();
    const form = page.locator('#action-form');
    await fill(form);
    await checkA11y(page);
    await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: 'Сохранить' }).click()]);
  }

  beforeAll(async () => {
    web = await startWebTest({ clock, env: { REMINDER_TICK_MS: '3600000', RUN_REMINDERS: 'true' } });
    db = new Pool({ connectionString: web.engine.database.url, max: 2 });
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
    await web.createAccount({ login: 'orlov', name: 'Орлов Н.Н.', roles: ['supervisor'] });
  });

  afterAll(async () => {
    await db?.end();
    await web?.stop();
  });

  it('registrar registers a collective appeal with two questions through the registration card', async () => {
    clock.set(at('2025-03-03'));
    const page = await as('smirnova', '/appeals/new');
    await expect(page.getByLabel('Дата поступления').inputValue()).resolves.toBe('2025-03-03');
    await page.getByLabel('Канал поступления').selectOption({ label: 'Письменное' });
    await page.getByLabel('Вид обращения').selectOption({ label: 'Жалоба' });
    await page.getByLabel('ФИО заявителя').fill('Петров Пётр Петрович');
    await page.getByLabel('Адрес заявителя').fill('п. Елань, ул. Ленина, 1, кв. 2');
    await page.getByRole('button', { name: 'Добавить заявителя' }).click();
    await page.getByLabel('ФИО заявителя').nth(1).fill('Петрова Анна Ивановна');
    await page.getByLabel('Адрес заявителя').nth(1).fill('п. Елань, ул. Ленина, 1, кв. 3');
    // the picker finds classifier entries by words
    await page.getByLabel('Код вопроса').fill('жилищ');
    // a locator, not waitForFunction(string): the pages' CSP has no 'unsafe-eval'
    await page.locator('#classifier-options option').first().waitFor({ state: 'attached' });
    await expect(page.locator('#classifier-options option').first().getAttribute('value')).resolves.toMatch(
      /^0005/,
    );
    await page.getByLabel('Код вопроса').fill(HOUSING);
    await page.getByLabel('Содержание вопроса').fill('Нет отопления в доме с 1 марта');
    await page.getByRole('button', { name: 'Добавить вопрос' }).click();
    await page.getByLabel('Код вопроса').nth(1).fill(ROADS);
    await page.getByLabel('Содержание вопроса').nth(1).fill('Яма на дороге у дома');
    await page.getByLabel('Территория').fill('п. Елань');
    await page.getByLabel('Краткое содержание').fill('Отопление и дорога');
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'registration');
    await Promise.all([
      page.waitForURL(/\/appeals\/[0-9a-f-]{36}\?minPosition=\d+$/),
      page.getByRole('button', { name: 'Зарегистрировать' }).click(),
    ]);
    number = (await page.locator('[data-appeal-number]').textContent()) ?? '';
    appealId = /\/appeals\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
    expect(number).toMatch(/^П\/\d+$/);
    await expect(page.locator('main').textContent()).resolves.toContain('Петрова Анна Ивановна');
    await checkA11y(page);

    // the journal lists it at once (minPosition), and «Поиск» finds it by its number
    await page.goto('/appeals');
    await page.getByLabel('Номер обращения').fill(number.toLowerCase());
    // wait for the search's own page: count() does not wait, and would count the page before it
    await Promise.all([page.waitForURL(/[?&]number=/), page.getByRole('button', { name: 'Поиск' }).click()]);
    const row = page.locator('table.grid tbody tr');
    await expect(row.count()).resolves.toBe(1);
    await expect(row.first().textContent()).resolves.toContain('Петров Пётр Петрович, Петрова Анна Ивановна');
    await checkA11y(page);
    await page.goto('/appeals');
    await screenshot(page, 'journal');

    const recorded = await api(`/appeals/${appealId}`);
    expect(recorded).toMatchObject({
      number,
      state: 'registered',
      collective: true,
      questions: [
        { code: HOUSING, result: 'in_work' },
        { code: ROADS, result: 'in_work' },
      ],
    });
    expect(recorded.applicants?.map((a) => a.name)).toEqual([
      'Петров Пётр Петрович',
      'Петрова Анна Ивановна',
    ]);
    await page.context().close();
  });

  it('shows the API validation errors next to their fields, and registers nothing', async () => {
    const page = await as('smirnova', '/appeals/new');
    const before = await committedHead(db);
    await page.getByLabel('ФИО заявителя').fill('Иванов И.И.');
    await page.getByLabel('Код вопроса').fill('12345');
    await page.getByRole('button', { name: 'Зарегистрировать' }).click();
    const codeError = page.locator('[data-error-for="questions.0.code"]');
    await codeError.filter({ hasText: /./ }).waitFor();
    await expect(page.getByLabel('Код вопроса').getAttribute('aria-invalid')).resolves.toBe('true');
    await checkA11y(page);
    expect(await committedHead(db)).toBe(before);
    await page.context().close();
  });

  it('controller assigns the executor and extends the term; an over-long extension is refused in words (409)', async () => {
    clock.set(at('2025-03-04'));
    const page = await as('kuznetsova', `/appeals/${appealId}`);
    await act(page, 'Назначить исполнителя', async (form) => {
      await form.getByLabel('Исполнитель').selectOption({ label: 'Сидоров С.С. (Отдел ЖКХ)' });
      await expect(form.getByLabel('Подразделение').inputValue()).resolves.toBe('Отдел ЖКХ');
      await expect(form.getByLabel('Дата назначения').inputValue()).resolves.toBe('2025-03-04');
    });
    await act(page, 'Продлить срок', async (form) => {
      await form.getByLabel('На сколько дней продлить').fill('10');
      await form.getByLabel('Причина продления').fill('запрошены документы в управляющей компании');
      await form.getByLabel('Решение принял (ФИО)').fill('Глава района');
      await form.getByLabel('Должность').fill('глава района');
    });
    await expect(page.locator('main').textContent()).resolves.toContain('11.04.2025 (продлён на 10 дн.)');

    // 409: 10 + 25 days is more than the law's 30
    await page.getByRole('button', { name: 'Продлить срок', exact: true }).click();
    const form = page.locator('#action-form');
    await form.getByLabel('На сколько дней продлить').fill('25');
    await form.getByLabel('Причина продления').fill('ещё раз');
    await form.getByLabel('Решение принял (ФИО)').fill('Глава района');
    await form.getByLabel('Должность').fill('глава района');
    await form.getByRole('button', { name: 'Сохранить' }).click();
    const alert = form.locator('[data-form-alert]');
    await alert.filter({ hasText: 'Срок не продлён' }).waitFor();
    await expect(alert.textContent()).resolves.toContain('Можно продлить ещё не более чем на 20 дн.');
    await checkA11y(page);
    // the form with its alert in view (the shot is for the refusal in words)
    await screenshot(page, 'card-refusal', { show: form });

    const recorded = await api(`/appeals/${appealId}`);
    expect(recorded).toMatchObject({
      state: 'assigned',
      executor: { id: 'sidorov', name: 'Сидоров С.С.' },
      department: 'Отдел ЖКХ',
      dueDate: '2025-04-11',
      extended: true,
    });
    await page.context().close();
  });

  it('executor gives an interim and a final answer with per-question results', async () => {
    clock.set(at('2025-03-12'));
    const page = await as('sidorov', '/control');
    await expect(page.locator('main').textContent()).resolves.toContain(number);
    await screenshot(page, 'control');
    await page.getByRole('link', { name: number }).click();
    await page.waitForURL(`**/appeals/${appealId}`);
    await checkA11y(page);
    await act(page, 'Промежуточный ответ', async (form) => {
      await expect(form.getByLabel('Дата отправки').inputValue()).resolves.toBe('2025-03-12');
      await form.getByLabel('Содержание ответа').fill('Проводится проверка, ответ будет дан до 20.03.2025');
    });
    await act(page, 'Окончательный ответ', async (form) => {
      await form.getByLabel('Дата отправки').fill('2025-03-14');
      await form
        .getByLabel('Содержание ответа')
        .fill('Отопление восстановлено, ремонт дороги включён в план');
      await form.getByLabel('Результат').nth(0).selectOption({ label: 'Поддержано' });
      await form.getByLabel('Меры приняты').nth(0).check();
      await form.getByLabel('Результат').nth(1).selectOption({ label: 'Разъяснено' });
    });
    await expect(page.locator('main').textContent()).resolves.toContain('Дан окончательный ответ');

    const recorded = await api(`/appeals/${appealId}`);
    expect(recorded).toMatchObject({
      state: 'final_answered',
      interimAnswers: 1,
      questions: [
        { code: HOUSING, result: 'supported', measuresTaken: true },
        { code: ROADS, result: 'explained' },
      ],
    });
    await page.context().close();
  });

  it('controller returns the answer for rework, and after the new answer removes the appeal from control', async () => {
    clock.set(at('2025-03-17'));
    const page = await as('kuznetsova', `/appeals/${appealId}`);
    await act(page, 'Вернуть на доработку', async (form) => {
      await form.getByLabel('Причина возврата').fill('не указаны сроки ремонта дороги');
    });
    expect((await api(`/appeals/${appealId}`)).state).toBe('interim_answered');

    // the executor answers again (through the API here: the executor's page flow is the test above)
    const exe = web.engine.token('sidorov', ['executor'], { name: 'Сидоров С.С.' });
    const answered = await http(web.url, 'POST', `/appeals/${appealId}/final-answer`, {
      token: exe,
      body: {
        sentAt: '2025-03-18',
        summary: 'Ремонт дороги — до 1 июня 2025 года',
        results: [
          { questionCode: HOUSING, result: 'supported', measuresTaken: true },
          { questionCode: ROADS, result: 'supported', measuresTaken: true },
        ],
      },
    });
    expect(answered.status).toBe(200);
    await page.reload();
    await act(page, 'Снять с контроля', async (form) => {
      await form.getByLabel('Дата снятия с контроля').fill('2025-03-19');
    });
    await expect(page.locator('main').textContent()).resolves.toContain('Закрыто (снято с контроля)');
    expect(await api(`/appeals/${appealId}`)).toMatchObject({ state: 'closed', onControl: false });
    await page.context().close();
  });

  it('supervisor opens the card, reads the history in words and the state on an earlier date', async () => {
    clock.set(at('2025-03-20'));
    const page = await as('orlov', '/appeals');
    await page.getByRole('link', { name: number }).click();
    await page.waitForURL(`**/appeals/${appealId}`);
    const history = page.locator('table.history tbody tr');
    expect(await history.count()).toBeGreaterThanOrEqual(5);
    const text = (await page.locator('table.history').textContent()) ?? '';
    for (const words of [
      'Обращение зарегистрировано',
      'Назначен исполнитель',
      'Срок продлён',
      'Дан промежуточный ответ',
      'Дан окончательный ответ',
      'Ответ возвращён на доработку',
      'Снято с контроля',
      'Кузнецова О.П.',
      'На 10 дн.: срок 02.04.2025 → 11.04.2025',
    ])
      expect(text).toContain(words);
    await checkA11y(page);
    await page.getByLabel('Состояние на дату').fill('2025-03-12');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Показать' }).click()]);
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).toContain('Состояние на 12.03.2025');
    expect(main).toContain('Дан промежуточный ответ');
    expect(main).not.toContain('Снято с контроля (');
    // the history ends with the chosen day too: what came later is counted, not listed
    const historyThen = (await page.locator('table.history').textContent()) ?? '';
    expect(historyThen).toContain('Обращение зарегистрировано');
    expect(historyThen).toContain('Дан промежуточный ответ');
    for (const later of ['Дан окончательный ответ', 'Ответ возвращён на доработку', 'Снято с контроля'])
      expect(historyThen).not.toContain(later);
    await expect(page.getByRole('heading', { name: 'История по 12.03.2025' }).count()).resolves.toBe(1);
    await expect(page.locator('[data-history-cut]').textContent()).resolves.toMatch(
      /Показаны события по 12\.03\.2025 включительно; после выбранной даты — ещё \d+ запис/,
    );
    await checkA11y(page);
    await screenshot(page, 'card-as-of');
    await page.goto(`/appeals/${appealId}`);
    await screenshot(page, 'card-history', { show: page.locator('#history-h') });
    await page.goto('/reports');
    await expect(page.getByLabel('Неделя').inputValue()).resolves.toBe('2025-W12');
    await expect(page.locator('main').textContent()).resolves.toContain('Еженедельный отчёт');
    await checkA11y(page);
    await screenshot(page, 'reports');
    const xlsx = await page.getAttribute('a:has-text("Скачать XLSX")', 'href');
    const download = await page.request.get(xlsx ?? '', { timeout: ACTION_TIMEOUT_MS });
    expect(download.status()).toBe(200);
    expect(download.headers()['content-type']).toContain('spreadsheetml');
    await page.context().close();
  });

  it('a concurrent change is reported in words (412) with «Обновить»', async () => {
    clock.set(at('2025-03-20'));
    const reg = web.engine.token('smirnova', ['registrar'], { name: 'Смирнова Е.В.' });
    const created = await http<Summary>(web.url, 'POST', '/appeals', {
      token: reg,
      body: {
        receivedAt: '2025-03-04',
        registeredAt: '2025-03-04',
        channel: 'electronic',
        kind: 'application',
        applicants: [{ name: 'Васильев В.В.', email: 'v@example.ru' }],
        questions: [{ code: HOUSING, summary: 'протекает крыша' }],
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const page = await as('kuznetsova', `/appeals/${id}`);
    // someone else assigns it meanwhile
    const other = web.engine.token('boss', ['controller'], { name: 'Другой контролёр' });
    const meanwhile = await http(web.url, 'POST', `/appeals/${id}/assignment`, {
      token: other,
      body: { executor: { id: 'sidorov', name: 'Сидоров С.С.' }, department: 'Отдел ЖКХ' },
    });
    expect(meanwhile.status).toBe(200);
    await page.getByRole('button', { name: 'Продлить срок', exact: true }).click();
    const form = page.locator('#action-form');
    await form.getByLabel('Причина продления').fill('проверка');
    await form.getByLabel('Решение принял (ФИО)').fill('Глава района');
    await form.getByLabel('Должность').fill('глава района');
    await form.getByRole('button', { name: 'Сохранить' }).click();
    const alert = form.locator('[data-form-alert]');
    await alert.filter({ hasText: 'изменил кто-то другой' }).waitFor();
    await checkA11y(page);
    expect((await api(`/appeals/${id}`)).extended).toBe(false);
    await Promise.all([page.waitForNavigation(), alert.getByRole('button', { name: 'Обновить' }).click()]);
    await expect(page.locator('main').textContent()).resolves.toContain('Сидоров С.С.');
    await page.context().close();
  });

  it('the organisational department sees a reminder arrive live on «Напоминания»', async () => {
    // the second appeal (registered 2025-03-04, due Thu 03.04.2025) is 3 working days from its due date
    clock.set('2025-03-31T09:00:00+07:00');
    const page = await as('kuznetsova', '/reminders');
    await page.locator('[data-reminders][data-live="open"]').waitFor();
    const rows = page.locator('[data-reminder-rows] tr[data-position]');
    const before = await rows.count();
    const pass = await web.engine.engine.app
      .get(ReminderRuntime)
      .runPass({ minPosition: await committedHead(db) });
    expect(pass.issued.length).toBeGreaterThan(0);
    await page.locator('[data-reminder-rows] tr.fresh').first().waitFor();
    expect(await rows.count()).toBe(before + pass.issued.length);
    const text = (await page.locator('[data-reminder-rows]').textContent()) ?? '';
    expect(text).toContain('Срок подходит');
    expect(text).toContain('03.04.2025');
    await checkA11y(page);
    await screenshot(page, 'reminders');
    const feed = await http<{ appealId: string; kind: string }[]>(web.url, 'GET', '/reminders', {
      token: web.adminToken,
    });
    expect(feed.body.map((r) => r.kind)).toContain('due_soon');
    await page.context().close();
  });

  it('first load of every page (fresh cache) transfers ≤ 300 KB', async () => {
    await web.createAccount({
      login: 'all',
      name: 'Все роли',
      roles: ['registrar', 'controller', 'supervisor', 'admin'],
    });
    const signedIn = await web.newPage();
    await signedIn.goto('/login');
    await signIn(signedIn, 'all', web.password);
    const state = await signedIn.context().storageState();
    await signedIn.context().close();
    const sizes: Record<string, number> = {};
    for (const path of [
      '/login',
      '/appeals',
      '/appeals/new',
      `/appeals/${appealId}`,
      '/control',
      '/reminders',
      '/reports',
      '/admin',
    ]) {
      // the sign-in page as a person first opens it: no session
      const context = await web.browser.newContext({
        baseURL: web.url,
        ...(path === '/login' ? {} : { storageState: state }),
      });
      context.setDefaultTimeout(ACTION_TIMEOUT_MS);
      const page = await context.newPage();
      const responses: Promise<number>[] = [];
      page.on('response', (response) => {
        if (response.url().includes('/reminders/stream')) return; // the live feed stays open
        responses.push(
          response
            .finished()
            .then(() => response.request().sizes())
            .then((s) => s.responseBodySize + s.responseHeadersSize),
        );
      });
      await page.goto(path, { waitUntil: 'load' });
      expect(page.url()).toContain(path);
      sizes[path] = (await Promise.all(responses)).reduce((a, b) => a + b, 0);
      await context.close();
    }
    console.log(`first-load transfer, bytes: ${JSON.stringify(sizes)}`);
    for (const bytes of Object.values(sizes)) expect(bytes).toBeLessThanOrEqual(300 * 1024);
  });
});
