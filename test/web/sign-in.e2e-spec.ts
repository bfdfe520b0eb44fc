/**
 * Sign-in in a real browser: by the contract's labels, the wrong-password message, the navigation
 * each role sees, sign-out, axe-core on the sign-in page; screenshot of the sign-in page.
 */
import { checkA11y, screenshot, signIn, startWebTest, type WebTest } from '../support/browser';

// A browser flow signs in several times; on a loaded 2-core machine that is slow.
jest.setTimeout(240_000);

describe('sign-in in the browser', () => {
  let web: WebTest;

  beforeAll(async () => {
    web = await startWebTest();
    await web.createAccount({ login: 'ivanova', name: 'Иванова А.А.', roles: ['registrar'] });
    await web.createAccount({ login: 'petrov', name: 'Петров П.П.', roles: ['controller'] });
    await web.createAccount({
      login: 'sidorov',
      name: 'Сидоров С.С.',
      roles: ['executor'],
      department: 'Отдел ЖКХ',
    });
    await web.createAccount({ login: 'orlova', name: 'Орлова О.О.', roles: ['supervisor'] });
  }, 120_000);
  afterAll(() => web?.stop());

  it('opens the sign-in page at /, accessible, with the fields «Логин», «Пароль» and the button «Войти»', async () => {
    const page = await web.newPage();
    await page.goto('/');
    expect(new URL(page.url()).pathname).toBe('/login');
    await expect(page.getByLabel('Логин').isVisible()).resolves.toBe(true);
    await expect(page.getByLabel('Пароль').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Войти' }).isVisible()).resolves.toBe(true);
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    await checkA11y(page);
    await screenshot(page, 'login');
    await page.context().close();
  });

  it('answers a wrong password with «Неверный логин или пароль», accessibly', async () => {
    const page = await web.newPage();
    await signIn(page, 'ivanova', 'not-the-password');
    expect(new URL(page.url()).pathname).toBe('/login');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Неверный логин или пароль');
    await checkA11y(page);
    await page.context().close();
  });

  it.each([
    ['ivanova', ['Журнал', 'Регистрация'], '/appeals'],
    ['petrov', ['Журнал', 'Контроль', 'Напоминания', 'Отчёты'], '/appeals'],
    ['sidorov', ['Контроль', 'Напоминания'], '/control'],
    ['orlova', ['Журнал', 'Контроль', 'Отчёты'], '/appeals'],
  ])(
    'signs %s in to the first page of the role, with exactly the links of the role',
    async (login, links, start) => {
      const page = await web.newPage();
      await signIn(page, login, web.password);
      expect(new URL(page.url()).pathname).toBe(start);
      const nav = page.getByRole('navigation', { name: 'Основная навигация' });
      expect(await nav.getByRole('link').allTextContents()).toEqual(links);
      await expect(nav.getByRole('button', { name: 'Выйти' }).isVisible()).resolves.toBe(true);
      await page.context().close();
    },
  );

  it('returns to the page asked for after signing in, and «Выйти» ends the session', async () => {
    const page = await web.newPage();
    await page.goto('/reports');
    expect(new URL(page.url()).pathname).toBe('/login');
    await signIn(page, 'petrov', web.password);
    expect(new URL(page.url()).pathname).toBe('/reports');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Выйти' }).click()]);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.goto('/control');
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.context().close();
  });

  it('signs the first admin in with the generated password, to «Администрирование»', async () => {
    const page = await web.newPage();
    await signIn(page, 'admin', web.adminPassword);
    const nav = page.getByRole('navigation', { name: 'Основная навигация' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Журнал', 'Администрирование']);
    await page.context().close();
  });
});
