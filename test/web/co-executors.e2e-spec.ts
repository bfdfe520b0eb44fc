/**
 * Issue 14 in real Chromium: the controller records the head's resolution on the card (a refusal
 * shown next to its field, in words), the co-executor opens the card and sends their part, the card
 * shows each co-executor's status and the history words the new events; an unrelated executor
 * cannot open the card. axe-core on each page and form.
 */
import { Pool } from 'pg';
import { committedHead } from '../../libs/reminders/src/testing';
import { checkA11y, screenshot, signIn, startWebTest, type Page, type WebTest } from '../support/browser';
import { ManualClock } from '../support/appeals';
import { http } from '../support/test-engine';

interface Summary {
  id: string;
  position: number;
  executor: { id: string; name: string } | null;
  resolution?: { text: string; responsible: { id: string } };
  coExecutors?: { id: string; contributedAt: string | null }[];
}

const HOUSING = '0005.0005.0056.1149';
const at = (date: string): string => `${date}T10:00:00+07:00`;

jest.setTimeout(180_000);

describe('the resolution with co-executors on the card (Chromium)', () => {
  const clock = new ManualClock(new Date(at('2025-03-03')));
  let web: WebTest;
  let db: Pool;
  let appealId = '';

  const api = async (path: string): Promise<Summary> => {
    const res = await http<Summary>(web.url, 'GET', path, { token: web.adminToken });
    expect(res.status).toBe(200);
    return res.body;
  };

  async function as(login: string, path: string): Promise<Page> {
    const page = await web.newPage();
    await page.goto(path);
    await signIn(page, login, web.password);
    if (!page.url().endsWith(path)) await page.goto(path);
    return page;
  }

  beforeAll(async () => {
    web = await startWebTest({ clock });
    db = new Pool({ connectionString: web.engine.database.url, max: 2 });
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
    await web.createAccount({
      login: 'petrov',
      name: 'Петров П.П.',
      roles: ['executor'],
      department: 'Дорожный отдел',
    });
    await web.createAccount({
      login: 'stranger',
      name: 'Чужой Ч.Ч.',
      roles: ['executor'],
      department: 'Отдел ЖКХ',
    });
    const registered = await http<Summary>(web.url, 'POST', '/appeals', {
      token: web.adminToken,
      body: {
        receivedAt: '2025-03-03',
        registeredAt: '2025-03-03',
        channel: 'written',
        kind: 'complaint',
        applicants: [{ name: 'Петров Пётр Петрович', address: 'п. Елань, ул. Ленина, 1' }],
        questions: [{ code: HOUSING, summary: 'Нет отопления' }],
      },
    });
    expect(registered.status).toBe(201);
    appealId = registered.body.id;
  });

  afterAll(async () => {
    await db?.end();
    await web?.stop();
  });

  it('the controller records the resolution; a co-executor who is the responsible one is refused in words', async () => {
    clock.set(at('2025-03-04'));
    const page = await as('kuznetsova', `/appeals/${appealId}`);
    await checkA11y(page);
    await page.getByRole('button', { name: 'Резолюция', exact: true }).click();
    const form = page.locator('#action-form');
    await form.getByLabel('Автор резолюции (ФИО)').fill('Кузнецов К.К.');
    await form.getByLabel('Должность').fill('глава района');
    await form.getByLabel('Текст резолюции').fill('Сидорову — ответ; Петрову — сведения о ремонте дороги');
    await expect(form.getByLabel('Дата резолюции').inputValue()).resolves.toBe('2025-03-04');
    await form.locator('select[name="responsible"]').selectOption({ label: 'Сидоров С.С. (Отдел ЖКХ)' });
    await form.locator('[name="responsible.department"]').fill('Отдел ЖКХ');
    await form.locator('select[name="coExecutors.0"]').selectOption({ label: 'Сидоров С.С. (Отдел ЖКХ)' });
    await form.locator('[name="coExecutors.0.department"]').fill('Отдел ЖКХ');
    await checkA11y(page);
    const before = await committedHead(db);
    await form.getByRole('button', { name: 'Сохранить' }).click();
    const slot = form.locator('[data-error-for="coExecutors.0.id"]');
    await slot.filter({ hasText: /./ }).waitFor();
    await expect(slot.textContent()).resolves.toBe(
      'Это ответственный исполнитель: соисполнителем он быть не может.',
    );
    await expect(form.locator('[data-form-alert]').textContent()).resolves.toContain('Проверьте');
    expect(await committedHead(db)).toBe(before);

    // the co-executor is Petrov of the roads department, his part due 20 March
    await form
      .locator('select[name="coExecutors.0"]')
      .selectOption({ label: 'Петров П.П. (Дорожный отдел)' });
    await form.locator('[name="coExecutors.0.department"]').fill('Дорожный отдел');
    await form.locator('[name="coExecutors.0.dueDate"]').fill('2025-03-20');
    await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: 'Сохранить' }).click()]);
    const resolution = page.locator('section[aria-labelledby="resolution-h"]');
    await expect(resolution.textContent()).resolves.toContain(
      'Ответственный исполнитель: Сидоров С.С., Отдел ЖКХ',
    );
    await expect(resolution.locator('tbody tr').first().textContent()).resolves.toMatch(
      /Петров П\.П\.\s*Дорожный отдел\s*20\.03\.2025\s*не представлен/,
    );
    await checkA11y(page);
    await screenshot(page, 'card-resolution');
    const recorded = await api(`/appeals/${appealId}`);
    expect(recorded.executor?.id).toBe('sidorov');
    expect(recorded.coExecutors?.map((c) => c.id)).toEqual(['petrov']);
    await page.context().close();
  });

  it('the co-executor opens the card and sends their part; he is not offered the answer', async () => {
    clock.set(at('2025-03-12'));
    const page = await as('petrov', `/appeals/${appealId}`);
    await checkA11y(page);
    await expect(
      page.getByRole('button', { name: 'Окончательный ответ', exact: true }).count(),
    ).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Резолюция', exact: true }).count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Доклад соисполнителя', exact: true }).click();
    const form = page.locator('#action-form');
    // an empty part is refused next to its field
    await form.getByRole('button', { name: 'Сохранить' }).click();
    await form.locator('[data-error-for="text"]').filter({ hasText: /./ }).waitFor();
    await form.getByLabel('Доклад (что сделано по вашей части)').fill('Ремонт дороги включён в план на май');
    await checkA11y(page);
    await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: 'Сохранить' }).click()]);
    const resolution = page.locator('section[aria-labelledby="resolution-h"]');
    await expect(resolution.textContent()).resolves.toContain('представлен 12.03.2025');
    // sent; a further part may follow
    await expect(
      page.getByRole('button', { name: 'Доклад соисполнителя', exact: true }).count(),
    ).resolves.toBe(1);
    const recorded = await api(`/appeals/${appealId}`);
    expect(recorded.coExecutors?.[0]?.contributedAt).toMatch(/^2025-03-12/);
    await page.context().close();
  });

  it('the history words the resolution and the part; an unrelated executor cannot open the card', async () => {
    const page = await as('kuznetsova', `/appeals/${appealId}`);
    const historyText = (await page.locator('section[aria-labelledby="history-h"]').textContent()) ?? '';
    expect(historyText).toContain('Резолюция');
    expect(historyText).toContain('Соисполнители: Петров П.П., Дорожный отдел (срок 20.03.2025)');
    expect(historyText).toContain('Доклад соисполнителя');
    expect(historyText).toContain('Ремонт дороги включён в план на май');
    // «Контроль» shows the co-executor and that his part is in
    const { position } = await api(`/appeals/${appealId}`);
    await page.goto(`/control?minPosition=${position}`);
    const row = page.locator('table.grid tbody tr', { hasText: 'Сидоров С.С.' }).first();
    await expect(row.textContent()).resolves.toMatch(/соисполнители:\s*Петров П\.П\. \(доклад представлен\)/);
    await checkA11y(page);
    await page.context().close();

    const stranger = await web.newPage();
    await stranger.goto('/login');
    await signIn(stranger, 'stranger', web.password);
    const response = await stranger.goto(`/appeals/${appealId}`);
    expect(response?.status()).toBe(403);
    await expect(stranger.locator('main').textContent()).resolves.not.toContain('Петров Пётр Петрович');
    await stranger.context().close();
  });
});
