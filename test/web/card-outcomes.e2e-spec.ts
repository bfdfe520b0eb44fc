/**
 * Issue 14 in real Chromium: the card's forms of the control outcomes — a document request and its
 * reply (59-FZ art. 10 ч.2), leaving an appeal without an answer (art. 11), the report of the result
 * to the body that sent it, further control until the measures are taken — each saved once and each
 * refused once in words (a 400 next to its field, or a 409 in the form's alert), the refusal changing
 * nothing; «Связанные обращения» confirmed and rejected from the card; the journal, the control board
 * and GET /control filtered by the law flags, a bad filter value refused (400) in words or as
 * problem+json. axe-core on every page and form. Business time from a manual clock.
 */
import { WITHOUT_ANSWER_GROUND_LABELS } from '../../apps/web/src/pages/shared/labels';
import { checkA11y, screenshot, signIn, startWebTest, type Page, type WebTest } from '../support/browser';
import { expectProblem, HOUSING, ManualClock } from '../support/appeals';
import { http } from '../support/test-engine';

interface Summary {
  id: string;
  number: string;
  state: string;
  onControl: boolean;
  closedReason: string | null;
  repeat: boolean;
  duplicateOf?: string;
  withoutAnswerGround: string | null;
  pendingDocumentRequests: { requestId: string; to: string; reference?: string }[];
  sourceReport: { reportBackBy: string; sentAt: string | null; reference: string | null } | null;
  furtherControl: { until: string; reason: string; completedAt: string | null } | null;
  revision: number;
  position: number;
}
interface ControlPageBody {
  rows: { id: string; extended: boolean; withoutAnswerGround: string | null }[];
}

const at = (date: string): string => `${date}T10:00:00+07:00`;
const REGION = { type: 'regional_administration', name: 'Администрация Кемеровской области' };

jest.setTimeout(240_000);

describe('card outcome forms, related appeals and the flag filters in a browser (Chromium)', () => {
  const clock = new ManualClock(new Date(at('2025-03-03')));
  let web: WebTest;
  let registrar: string;
  let controller: string;
  let executor: string;
  let lastPosition = 0;

  async function post(token: string, path: string, body: unknown): Promise<Summary> {
    const res = await http<Summary>(web.url, 'POST', path, { token, body });
    if (res.status !== 200 && res.status !== 201)
      throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    if (typeof res.body.position === 'number') lastPosition = Math.max(lastPosition, res.body.position);
    return res.body;
  }

  const appeal = async (id: string): Promise<Summary> => {
    const res = await http<Summary>(web.url, 'GET', `/appeals/${id}`, { token: web.adminToken });
    expect(res.status).toBe(200);
    return res.body;
  };

  function register(name: string, extra: Record<string, unknown> = {}): Promise<Summary> {
    return post(registrar, '/appeals', {
      receivedAt: '2025-03-03',
      registeredAt: '2025-03-03',
      channel: 'written',
      kind: 'complaint',
      applicants: [{ name, address: `п. Елань, ул. ${name.split(' ')[0]}, 1` }],
      questions: [{ code: HOUSING, summary: 'нет отопления' }],
      ...extra,
    });
  }

  /** a fresh browser signed in as `login` on `path`, axe-checked */
  async function as(login: string, path: string): Promise<Page> {
    const page = await web.newPage();
    await page.goto(path);
    await signIn(page, login, web.password);
    if (!page.url().includes(path)) await page.goto(path);
    await checkA11y(page);
    return page;
  }

  const form = (page: Page) => page.locator('#action-form');

  /** opens an action's form from the card's buttons */
  async function open(page: Page, button: string): Promise<void> {
    await page.getByRole('button', { name: button, exact: true }).click();
    await form(page).locator('form').waitFor();
  }

  /** «Сохранить», and the card reloads */
  async function save(page: Page): Promise<void> {
    await checkA11y(page);
    await Promise.all([
      page.waitForNavigation(),
      form(page).getByRole('button', { name: 'Сохранить' }).click(),
    ]);
  }

  /** «Сохранить», and the refusal shown in the field's slot (a 400) */
  async function refusedAt(page: Page, field: string, words: string): Promise<void> {
    await form(page).getByRole('button', { name: 'Сохранить' }).click();
    await form(page).locator(`[data-error-for="${field}"]`).filter({ hasText: words }).waitFor();
    await form(page).locator('[data-form-alert]').filter({ hasText: 'Проверьте' }).waitFor();
    await checkA11y(page);
  }

  /** «Сохранить», and the refusal in the form's alert (a 409) */
  async function refusedInAlert(page: Page, words: string): Promise<void> {
    await form(page).getByRole('button', { name: 'Сохранить' }).click();
    await form(page).locator('[data-form-alert]').filter({ hasText: words }).waitFor();
    await checkA11y(page);
  }

  beforeAll(async () => {
    web = await startWebTest({ clock, env: { REMINDER_TICK_MS: '3600000' } });
    await web.createAccount({ login: 'smirnova', name: 'Смирнова Е.В.', roles: ['registrar'] });
    await web.createAccount({ login: 'kuznetsova', name: 'Кузнецова О.П.', roles: ['controller'] });
    await web.createAccount({
      login: 'sidorov',
      name: 'Сидоров С.С.',
      roles: ['executor'],
      department: 'Отдел ЖКХ',
    });
    registrar = web.engine.token('smirnova', ['registrar'], { name: 'Смирнова Е.В.' });
    controller = web.engine.token('kuznetsova', ['controller'], { name: 'Кузнецова О.П.' });
    executor = web.engine.token('sidorov', ['executor'], { name: 'Сидоров С.С.', department: 'Отдел ЖКХ' });
  });

  afterAll(async () => {
    await web?.stop();
  });

  let sent: Summary; // sent by the region, asking for the result by 01.04.2025
  let leftOut: Summary;

  it('executor requests documents from another body and records the reply; bad dates are refused in words', async () => {
    clock.set(at('2025-03-03'));
    sent = await register('Алексеев А.А.', { source: { ...REGION, reportBackBy: '2025-04-01' } });
    await post(controller, `/appeals/${sent.id}/assignment`, {
      executor: { id: 'sidorov', name: 'Сидоров С.С.' },
      department: 'Отдел ЖКХ',
    });

    clock.set(at('2025-03-05'));
    let page = await as('sidorov', `/appeals/${sent.id}`);
    // nobody asked yet: no reply to record
    await expect(page.getByRole('button', { name: 'Ответ на запрос документов' }).count()).resolves.toBe(0);
    await open(page, 'Запросить документы');
    await expect(form(page).getByLabel('Дата отправки запроса').inputValue()).resolves.toBe('2025-03-05');
    await refusedAt(page, 'to', 'Заполните поле.');
    expect((await appeal(sent.id)).pendingDocumentRequests).toEqual([]);
    await form(page).getByLabel('Куда направлен запрос').fill('Управление Росреестра');
    await form(page).getByLabel('Исходящий номер запроса').fill('01-12/7');
    await save(page);
    expect((await appeal(sent.id)).pendingDocumentRequests).toEqual([
      expect.objectContaining({
        to: 'Управление Росреестра',
        reference: '01-12/7',
        replyDueDate: '2025-03-20',
      }),
    ]);

    await page.context().close();

    // a week later (a new session: the idle session ended on the manual clock)
    clock.set(at('2025-03-12'));
    page = await as('sidorov', `/appeals/${sent.id}`);
    await open(page, 'Ответ на запрос документов');
    await expect(form(page).getByLabel('Запрос').textContent()).resolves.toContain(
      'Управление Росреестра, исх. № 01-12/7, ответ до 20.03.2025',
    );
    await form(page).getByLabel('Дата получения ответа').fill('2025-03-04');
    await refusedAt(page, 'receivedAt', 'Дата раньше отправки запроса.');
    expect((await appeal(sent.id)).pendingDocumentRequests).toHaveLength(1);
    await form(page).getByLabel('Дата получения ответа').fill('2025-03-12');
    await save(page);
    expect((await appeal(sent.id)).pendingDocumentRequests).toEqual([]);
    await page.context().close();
  });

  it('controller reports the result to the sending body and keeps the answered appeal on further control until the measures are taken', async () => {
    clock.set(at('2025-03-14'));
    await post(executor, `/appeals/${sent.id}/final-answer`, {
      sentAt: '2025-03-14',
      summary: 'Отопление восстановлено',
      results: [{ questionCode: HOUSING, result: 'supported', measuresTaken: false }],
    });

    clock.set(at('2025-03-17'));
    const page = await as('kuznetsova', `/appeals/${sent.id}`);
    // the region asked for the result: removal from control is refused (409) in words
    await open(page, 'Снять с контроля');
    await refusedInAlert(page, 'направивший орган просил сообщить ему результат, а он ещё не сообщён');
    expect((await appeal(sent.id)).onControl).toBe(true);

    await open(page, 'Сообщить результат направившему органу');
    await expect(form(page).textContent()).resolves.toContain('просил сообщить результат до 01.04.2025');
    await refusedAt(page, 'reference', 'Заполните поле.');
    expect((await appeal(sent.id)).sourceReport?.sentAt).toBeNull();
    await form(page).getByLabel('Исходящий номер письма').fill('01-15/99');
    await save(page);
    expect((await appeal(sent.id)).sourceReport).toMatchObject({ reference: '01-15/99' });
    await expect(
      page.getByRole('button', { name: 'Сообщить результат направившему органу' }).count(),
    ).resolves.toBe(0);

    await open(page, 'Поставить на дополнительный контроль');
    await form(page).getByLabel('На контроле до').fill('2025-03-14');
    await form(page).getByLabel('Какие меры ожидаются').fill('замена участка теплотрассы');
    await refusedAt(page, 'until', 'Дата должна быть позже дня окончательного ответа (14.03.2025).');
    expect((await appeal(sent.id)).furtherControl).toBeNull();
    await form(page).getByLabel('На контроле до').fill('2025-06-01');
    await save(page);
    expect((await appeal(sent.id)).furtherControl).toEqual({
      until: '2025-06-01',
      reason: 'замена участка теплотрассы',
      completedAt: null,
    });

    // on further control: removal refused (409) in words
    await open(page, 'Снять с контроля');
    await refusedInAlert(page, 'обращение на дополнительном контроле, пока меры не приняты');
    await expect(page.locator('.card-summary').textContent()).resolves.toContain(
      'до 01.06.2025: замена участка теплотрассы',
    );
    await screenshot(page, 'card-further-control');

    await open(page, 'Отметить принятие мер');
    await expect(form(page).textContent()).resolves.toContain('На дополнительном контроле до 01.06.2025');
    await form(page).getByLabel('Дата принятия мер').fill('2025-03-13');
    await refusedAt(page, 'completedAt', 'Дата раньше окончательного ответа.');
    expect((await appeal(sent.id)).furtherControl?.completedAt).toBeNull();
    await form(page).getByLabel('Дата принятия мер').fill('2025-03-17');
    await save(page);
    expect((await appeal(sent.id)).furtherControl?.completedAt).not.toBeNull();

    await open(page, 'Снять с контроля');
    await save(page);
    expect(await appeal(sent.id)).toMatchObject({ state: 'closed', onControl: false });
    const history = (await page.locator('table.history').textContent()) ?? '';
    for (const words of [
      'Запрошены документы в другом органе',
      'Получен ответ на запрос документов',
      'Результат сообщён направившему органу',
      'Поставлено на дополнительный контроль',
      'Меры приняты, дополнительный контроль завершён',
      'Снято с контроля',
    ])
      expect(history).toContain(words);
    await page.context().close();
  });

  it('registrar leaves an appeal without an answer on an art. 11 ground; a missing ground or notice is refused in words', async () => {
    clock.set(at('2025-03-03'));
    leftOut = await register('Борисов Б.Б.');
    clock.set(at('2025-03-05'));
    const page = await as('smirnova', `/appeals/${leftOut.id}`);
    await open(page, 'Оставить без ответа');
    await refusedAt(page, 'ground', 'Выберите значение из списка.');
    const ground = form(page).getByLabel('Основание (ст. 11 59-ФЗ)');
    // the published answer's address is asked only for that ground
    await expect(form(page).getByLabel('Адрес опубликованного ответа').isVisible()).resolves.toBe(false);
    await ground.selectOption({ label: WITHOUT_ANSWER_GROUND_LABELS.answer_published });
    await expect(form(page).getByLabel('Адрес опубликованного ответа').isVisible()).resolves.toBe(true);
    await ground.selectOption({ label: WITHOUT_ANSWER_GROUND_LABELS.unclear_essence });
    await refusedAt(page, 'notice.text', 'заявителю нужно сообщить о решении');
    expect((await appeal(leftOut.id)).state).toBe('registered');
    await form(page).getByLabel('Что сообщено заявителю').fill('Из обращения нельзя понять суть вопроса');
    await save(page);
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).toContain('Закрыто (оставлено без ответа по существу)');
    expect(main).toContain(WITHOUT_ANSWER_GROUND_LABELS.unclear_essence);
    await screenshot(page, 'card-without-answer');
    expect(await appeal(leftOut.id)).toMatchObject({
      state: 'closed',
      closedReason: 'left_without_answer',
      withoutAnswerGround: 'unclear_essence',
    });
    await page.context().close();
  });

  it('registrar confirms and then rejects a duplicate from «Связанные обращения» on the card', async () => {
    clock.set(at('2025-03-03'));
    const first = await register('Фёдорова Анна Сергеевна');
    clock.set(at('2025-03-06'));
    const copy = await post(registrar, '/appeals', {
      receivedAt: '2025-03-06',
      registeredAt: '2025-03-06',
      channel: 'written',
      kind: 'complaint',
      source: REGION,
      applicants: [{ name: 'Фёдорова Анна Сергеевна', address: 'п. Елань, ул. Фёдорова, 1' }],
      questions: [{ code: HOUSING }],
    });
    const page = await as('smirnova', `/appeals/${copy.id}`);
    const related = page.locator('table.related');
    await expect(related.textContent()).resolves.toContain(first.number);
    await expect(related.textContent()).resolves.toContain('не принято');
    await Promise.all([
      page.waitForNavigation(),
      related.getByRole('button', { name: `Подтвердить: дубликат к № ${first.number}` }).click(),
    ]);
    await expect(page.locator('table.related').textContent()).resolves.toContain('подтверждено: дубликат');
    expect((await appeal(copy.id)).duplicateOf).toBe(first.id);
    await checkA11y(page);
    // confirmed: only the undo is offered
    await expect(
      page.getByRole('button', { name: `Подтвердить: дубликат к № ${first.number}` }).count(),
    ).resolves.toBe(0);
    await Promise.all([
      page.waitForNavigation(),
      page
        .locator('table.related')
        .getByRole('button', { name: `Отклонить: дубликат к № ${first.number}` })
        .click(),
    ]);
    await expect(page.locator('table.related').textContent()).resolves.toContain('отклонено: дубликат');
    expect((await appeal(copy.id)).duplicateOf).toBeUndefined();
    await page.context().close();

    // the supervisor reads the list and has no buttons
    await web.createAccount({ login: 'orlov', name: 'Орлов Н.Н.', roles: ['supervisor'] });
    const reader = await as('orlov', `/appeals/${copy.id}`);
    await expect(reader.locator('table.related').textContent()).resolves.toContain(first.number);
    await expect(reader.locator('table.related button').count()).resolves.toBe(0);
    await reader.context().close();
  });

  describe('filters by the law flags', () => {
    let extended: Summary;
    let obscene: Summary;
    let owed: Summary;
    let plain: Summary;

    beforeAll(async () => {
      clock.set(at('2025-03-03'));
      extended = await register('Васильев В.В.');
      await post(controller, `/appeals/${extended.id}/assignment`, {
        executor: { id: 'sidorov', name: 'Сидоров С.С.' },
        department: 'Отдел ЖКХ',
      });
      await post(controller, `/appeals/${extended.id}/deadline-extensions`, {
        days: 10,
        reason: 'проверка',
        decidedBy: { name: 'Глава района', position: 'глава района' },
      });
      obscene = await register('Григорьев Г.Г.');
      await post(registrar, `/appeals/${obscene.id}/without-answer`, { ground: 'obscene' });
      owed = await register('Дмитриев Д.Д.', { source: { ...REGION, reportBackBy: '2025-03-20' } });
      plain = await register('Егоров Е.Е.');
    });

    const numbersIn = async (page: Page, selector: string): Promise<string[]> =>
      page.locator(`${selector} a[href^="/appeals/"]`).allTextContents();

    it('GET /control filters by extended, leftWithoutAnswer, withoutAnswerGround; unknown values are 400 problem+json', async () => {
      const list = async (query: string): Promise<string[]> => {
        const res = await http<ControlPageBody>(
          web.url,
          'GET',
          `/control?minPosition=${lastPosition}&limit=500&${query}`,
          { token: controller },
        );
        expect(res.status).toBe(200);
        return res.body.rows.map((r) => r.id);
      };
      const onExtended = await list('extended=true');
      expect(onExtended).toContain(extended.id);
      expect(onExtended).not.toContain(plain.id);
      expect(await list('extended=false')).toContain(plain.id);
      const left = await list('leftWithoutAnswer=true');
      expect(left.sort()).toEqual([obscene.id, leftOut.id].sort());
      expect(await list('leftWithoutAnswer=false')).not.toContain(obscene.id);
      expect(await list('withoutAnswerGround=obscene')).toEqual([obscene.id]);
      expect(await list('reportToSourcePending=true')).toEqual([owed.id]);
      for (const bad of ['withoutAnswerGround=rude', 'extended=maybe', 'leftWithoutAnswer=1']) {
        const res = await http(web.url, 'GET', `/control?${bad}`, { token: controller });
        const problem = expectProblem(res, 400);
        expect(problem.errors?.[0]?.field).toBe(bad.split('=')[0]);
      }
    });

    it('the journal filters by the flags (page and CSV); a bad value is refused in words', async () => {
      const page = await as('kuznetsova', `/appeals?minPosition=${lastPosition}`);
      await page.getByText('Фильтры', { exact: true }).click();
      await page.getByLabel('Продление срока').selectOption({ label: 'срок продлён' });
      await checkA11y(page);
      await Promise.all([
        page.waitForURL(/extended=true/),
        page.getByRole('button', { name: 'Применить' }).click(),
      ]);
      let numbers = await numbersIn(page, 'table.grid tbody');
      expect(numbers).toContain(extended.number);
      expect(numbers).not.toContain(plain.number);
      await expect(page.locator('table.grid tbody').textContent()).resolves.toContain('срок продлён');

      await page.goto('/appeals?leftWithoutAnswer=true&withoutAnswerGround=obscene');
      numbers = await numbersIn(page, 'table.grid tbody');
      expect(numbers).toEqual([obscene.number]);
      await expect(page.getByLabel('Основание (ст. 11)').inputValue()).resolves.toBe('obscene');
      await expect(page.locator('table.grid tbody').textContent()).resolves.toContain(
        `без ответа: ${WITHOUT_ANSWER_GROUND_LABELS.obscene}`,
      );
      await checkA11y(page);

      const refused = await page.goto('/appeals?extended=maybe');
      expect(refused?.status()).toBe(400);
      await expect(page.locator('main p.form-alert[role="alert"]').textContent()).resolves.toContain(
        'Фильтр не применён: «Продление срока» — выберите значение из списка',
      );
      await checkA11y(page);
      const ground = await page.goto('/appeals?withoutAnswerGround=rude');
      expect(ground?.status()).toBe(400);
      await expect(page.locator('main').textContent()).resolves.toContain('«Основание (ст. 11)»');

      // as the page's «Скачать CSV» link asks for it (a page, not the API)
      const csv = await page.request.get('/appeals?format=csv&reportToSourcePending=true', {
        headers: { accept: 'text/html' },
      });
      expect(csv.status()).toBe(200);
      const text = await csv.text();
      expect(text).toContain(owed.number);
      expect(text).not.toContain(plain.number);
      expect(text).toContain('ждёт ответа направившему органу');
      await page.context().close();
    });

    it('the control board filters by the flags; a bad value is refused in words', async () => {
      const page = await as('kuznetsova', `/control?minPosition=${lastPosition}`);
      await page.getByLabel('Ответ направившему органу').selectOption({ label: 'ожидается (не сообщён)' });
      await Promise.all([
        page.waitForURL(/reportToSourcePending=true/),
        page.getByRole('button', { name: 'Применить' }).click(),
      ]);
      const numbers = await numbersIn(page, 'main section.control-group');
      expect(numbers).toEqual([owed.number]);
      await expect(page.locator('main').textContent()).resolves.toContain('ждёт ответа направившему органу');
      await checkA11y(page);
      await screenshot(page, 'control-filtered');

      await page.goto('/control?extended=true');
      const onExtended = await numbersIn(page, 'main section.control-group');
      expect(onExtended).toEqual([extended.number]);

      const refused = await page.goto('/control?onFurtherControl=nope');
      expect(refused?.status()).toBe(400);
      await expect(page.locator('main p.form-alert[role="alert"]').textContent()).resolves.toContain(
        'Фильтр не применён: «Дополнительный контроль»',
      );
      await checkA11y(page);
      await page.context().close();
    });
  });
});
