/**
 * The card's «Дополнительные материалы» form in real Chromium (59-FZ art. 5 п.1; a form declared with
 * its action's words): saved once, refused in words — a 400 next to its field, a 409 in the form's
 * alert — each refusal recording nothing; the history words it; axe-core on the card and the form.
 */
import { checkA11y, screenshot, signIn, startWebTest, type Page, type WebTest } from '../support/browser';
import { HOUSING, ManualClock } from '../support/appeals';
import { http } from '../support/test-engine';

interface Summary {
  id: string;
  state: string;
  applicantMaterials: { receivedAt: string; pages?: number }[];
  revision: number;
}

const at = (date: string): string => `${date}T10:00:00+07:00`;

jest.setTimeout(240_000);

describe('«Дополнительные материалы» on the card in a browser (Chromium)', () => {
  const clock = new ManualClock(new Date(at('2025-03-03')));
  let web: WebTest;
  let registrar: string;
  let controller: string;
  let executor: string;

  async function post(token: string, path: string, body: unknown): Promise<Summary> {
    const res = await http<Summary>(web.url, 'POST', path, { token, body });
    if (res.status !== 200 && res.status !== 201)
      throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
  const appeal = async (id: string): Promise<Summary> => {
    const res = await http<Summary>(web.url, 'GET', `/appeals/${id}`, { token: web.adminToken });
    expect(res.status).toBe(200);
    return res.body;
  };

  async function as(login: string, path: string): Promise<Page> {
    const page = await web.newPage();
    await page.goto(path);
    await signIn(page, login, web.password);
    if (!page.url().includes(path)) await page.goto(path);
    await checkA11y(page);
    return page;
  }
  const form = (page: Page) => page.locator('#action-form');
  async function open(page: Page): Promise<void> {
    await page.getByRole('button', { name: 'Дополнительные материалы', exact: true }).click();
    await form(page).locator('form').waitFor();
    await checkA11y(page);
  }
  async function refusedAt(page: Page, field: string, words: string): Promise<void> {
    await form(page).getByRole('button', { name: 'Сохранить' }).click();
    await form(page).locator(`[data-error-for="${field}"]`).filter({ hasText: words }).waitFor();
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

  let id: string;

  it('registrar attaches the materials the applicant brought; a bad date and an empty description are refused in words', async () => {
    id = (
      await post(registrar, '/appeals', {
        receivedAt: '2025-03-03',
        registeredAt: '2025-03-03',
        channel: 'written',
        kind: 'complaint',
        applicants: [{ name: 'Алексеев А.А.', address: 'п. Елань, ул. Мира, 1' }],
        questions: [{ code: HOUSING, summary: 'нет отопления' }],
      })
    ).id;
    clock.set(at('2025-03-06'));
    const page = await as('smirnova', `/appeals/${id}`);
    await open(page);
    await expect(form(page).getByLabel('Дата получения').inputValue()).resolves.toBe('2025-03-06');
    await refusedAt(page, 'description', 'Заполните поле.');
    await form(page)
      .getByLabel('Что представил заявитель')
      .fill('копия договора управления, фотографии батарей');
    await form(page).getByLabel('Листов').fill('5');
    await form(page).getByLabel('Дата получения').fill('2025-03-01');
    await refusedAt(page, 'receivedAt', 'Дата раньше даты регистрации (03.03.2025).');
    expect((await appeal(id)).applicantMaterials).toEqual([]);
    await form(page).getByLabel('Дата получения').fill('2025-03-05');
    await form(page).locator('form').scrollIntoViewIfNeeded();
    await screenshot(page, 'card-applicant-materials');
    await Promise.all([
      page.waitForNavigation(),
      form(page).getByRole('button', { name: 'Сохранить' }).click(),
    ]);
    expect((await appeal(id)).applicantMaterials).toEqual([
      { receivedAt: expect.stringMatching(/^2025-03-05T/) as unknown, pages: 5 },
    ]);
    await checkA11y(page);
    await page.context().close();
  });

  it('the controller reads it in the history; once answered, the form is refused (409) in words and nothing is recorded', async () => {
    await post(controller, `/appeals/${id}/assignment`, {
      executor: { id: 'sidorov', name: 'Сидоров С.С.' },
      department: 'Отдел ЖКХ',
    });
    clock.set(at('2025-03-10'));
    const page = await as('kuznetsova', `/appeals/${id}`);
    const row = page
      .locator('table.history tr')
      .filter({ hasText: 'Заявитель представил дополнительные материалы' });
    await expect(row.textContent()).resolves.toContain('Получены 05.03.2025, 5 л.');
    await expect(row.textContent()).resolves.toContain('копия договора управления, фотографии батарей');
    await open(page);
    // meanwhile the executor answers; a client without If-Match then meets the state (409)
    await post(executor, `/appeals/${id}/final-answer`, {
      sentAt: '2025-03-10',
      summary: 'Отопление восстановлено',
      results: [{ questionCode: HOUSING, result: 'supported' }],
    });
    await form(page).getByLabel('Что представил заявитель').fill('ещё фотографии');
    await page.evaluate("document.querySelector('#action-form form').removeAttribute('data-if-match')");
    await form(page).getByRole('button', { name: 'Сохранить' }).click();
    await form(page)
      .locator('[data-form-alert]')
      .filter({
        hasText: 'Действие не выполнено: обращение в состоянии «дан окончательный ответ». Сейчас можно:',
      })
      .waitFor();
    await checkA11y(page);
    const after = await appeal(id);
    expect([after.state, after.applicantMaterials]).toEqual(['final_answered', [expect.anything()]]);
    await page.context().close();

    // and the card offers the form no more
    const again = await as('kuznetsova', `/appeals/${id}`);
    await expect(again.getByRole('button', { name: 'Дополнительные материалы' }).count()).resolves.toBe(0);
    await again.context().close();
  });
});
