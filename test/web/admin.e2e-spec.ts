/**
 * «Администрирование» in a real browser: the admin creates an account through the form (a
 * validation error first, shown next to its field), changes its roles, disables it; the account
 * can sign in until disabled. axe-core on the page, and its screenshot.
 */
import { http } from '../support/test-engine';
import { checkA11y, screenshot, signIn, startWebTest, type WebTest } from '../support/browser';

// A browser flow signs in several times; on a loaded 2-core machine that is slow.
jest.setTimeout(240_000);

describe('the administration page', () => {
  let web: WebTest;

  beforeAll(async () => {
    web = await startWebTest();
  }, 120_000);
  afterAll(() => web?.stop());

  it('creates, changes and disables an account through its forms', async () => {
    const page = await web.newPage();
    await signIn(page, 'admin', web.adminPassword);
    await page.goto('/admin');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Администрирование');
    await checkA11y(page);

    const form = page.getByRole('region', { name: 'Новая учётная запись' });
    await form.getByLabel('Логин').fill('kuznetsova');
    await form.getByLabel('ФИО').fill('Кузнецова Е.В.');
    await form.getByLabel('Регистратор').check();
    await form.getByLabel('Подразделение').fill('Общий отдел');
    await form.getByLabel('Пароль', { exact: true }).fill('short');
    await form.getByRole('button', { name: 'Создать' }).click();
    // The API's 400 appears next to the password field, and nothing is created.
    const error = form.locator('.field-error');
    await error.waitFor();
    await expect(error.textContent()).resolves.toBe('Не короче 10 символов.');
    await expect(form.getByLabel('Пароль', { exact: true }).getAttribute('aria-invalid')).resolves.toBe(
      'true',
    );
    await checkA11y(page);
    expect((await http(web.url, 'GET', '/admin/users/kuznetsova', { token: web.adminToken })).status).toBe(
      404,
    );

    await form.getByLabel('Пароль', { exact: true }).fill(web.password);
    await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: 'Создать' }).click()]);
    const row = page.getByRole('row').filter({ hasText: 'kuznetsova' });
    await expect(row.textContent()).resolves.toContain('Кузнецова Е.В.');
    const created = await http(web.url, 'GET', '/admin/users/kuznetsova', { token: web.adminToken });
    expect(created.body).toMatchObject({ roles: ['registrar'], department: 'Общий отдел', disabled: false });
    await screenshot(page, 'admin');

    await row.getByText('Изменить').click();
    await row.getByLabel('Контролёр').check();
    await Promise.all([page.waitForNavigation(), row.getByRole('button', { name: 'Сохранить' }).click()]);
    const changed = await http(web.url, 'GET', '/admin/users/kuznetsova', { token: web.adminToken });
    expect(changed.body).toMatchObject({ roles: ['registrar', 'controller'] });

    const other = await web.newPage();
    await signIn(other, 'kuznetsova', web.password);
    expect(new URL(other.url()).pathname).toBe('/appeals');

    const row2 = page.getByRole('row').filter({ hasText: 'kuznetsova' });
    await row2.getByText('Изменить').click();
    await row2.getByLabel('Отключена').check();
    await Promise.all([page.waitForNavigation(), row2.getByRole('button', { name: 'Сохранить' }).click()]);
    await expect(page.getByRole('row').filter({ hasText: 'kuznetsova' }).textContent()).resolves.toContain(
      'Отключена',
    );

    // The disabled account's open session stops at once.
    await other.goto('/appeals');
    expect(new URL(other.url()).pathname).toBe('/login');
    await other.context().close();
    await page.context().close();
  });

  it('shows the projections with a rebuild button, and refuses the page to other roles', async () => {
    await web.createAccount({ login: 'clerk', roles: ['registrar'] });
    const page = await web.newPage();
    await signIn(page, 'admin', web.adminPassword);
    await page.goto('/admin');
    const projections = page.getByRole('region', { name: 'Проекции' });
    expect(await projections.getByRole('button', { name: /^Перестроить/ }).count()).toBeGreaterThan(0);
    await page.context().close();

    const clerk = await web.newPage();
    await signIn(clerk, 'clerk', web.password);
    const res = await clerk.goto('/admin');
    expect(res?.status()).toBe(403);
    await expect(clerk.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Нет доступа');
    await clerk.context().close();
  });
});
