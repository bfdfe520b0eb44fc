/**
 * Single sign-on in a real browser (issue 13): with OIDC_* configured, the sign-in page offers
 * «Войти через …»; it leads through a real OpenID Connect provider (`oidc-provider`, started here:
 * its own login and consent pages) back to the application, signed in with the roles and department
 * the provider gives — the authorization-code flow with PKCE, state and nonce. Local accounts keep
 * working beside it; a provider login equal to a local account's is refused.
 */
import { freePort } from '../support/engine-process';
import { startOidcProvider, type OidcProvider } from '../support/oidc-provider';
import { checkA11y, signIn, startWebTest, type Page, type WebTest } from '../support/browser';
import { http } from '../support/test-engine';

jest.setTimeout(240_000);

const CLIENT = { clientId: 'appeal-ledger-web', clientSecret: 'appeal-ledger-web-secret-0123456789' };

describe('single sign-on through OpenID Connect', () => {
  let idp: OidcProvider;
  let web: WebTest;

  beforeAll(async () => {
    const port = await freePort();
    const redirectUri = `http://127.0.0.1:${port}/login/oidc/callback`;
    idp = await startOidcProvider({
      web: { ...CLIENT, redirectUri },
      users: {
        Kuznetsova: {
          name: 'Кузнецова К.К.',
          roles: ['controller', 'not-a-role'],
          department: 'Отдел ЖКХ',
        },
        ivanova: { name: 'Иванова (в поставщике)', roles: ['admin'] },
      },
    });
    web = await startWebTest({
      env: {
        PORT: String(port),
        OIDC_ISSUER_URL: idp.issuer,
        OIDC_CLIENT_ID: CLIENT.clientId,
        OIDC_CLIENT_SECRET: CLIENT.clientSecret,
        OIDC_REDIRECT_URL: redirectUri,
        OIDC_SCOPES: 'openid profile appeal',
        OIDC_PROVIDER_NAME: 'Тестовый поставщик',
      },
    });
    await web.createAccount({ login: 'ivanova', name: 'Иванова А.А.', roles: ['registrar'] });
  }, 180_000);
  afterAll(async () => {
    await web?.stop();
    await idp?.stop();
  });

  /** The provider's own pages: its login form (any password), then its consent page. */
  async function throughProvider(page: Page, login: string): Promise<void> {
    await page.getByRole('link', { name: 'Войти через Тестовый поставщик' }).click();
    await page.waitForURL((url) => url.origin === idp.issuer);
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any-password');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign-in' }).click()]);
    if (new URL(page.url()).origin === idp.issuer)
      await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => url.origin === web.url);
  }

  it('offers «Войти через …» and signs in through the provider with its roles, landing on /appeals', async () => {
    const page = await web.newPage();
    // The provider's pages load a web font from outside; nothing leaves this machine.
    await page.route(
      (url) => !url.host.startsWith('127.0.0.1'),
      (route) => route.abort(),
    );
    const toProvider: URL[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin === idp.issuer && url.searchParams.has('response_type')) toProvider.push(url);
    });
    await page.goto('/login');
    await checkA11y(page);
    await throughProvider(page, 'Kuznetsova');
    expect(new URL(page.url()).pathname).toBe('/appeals');
    // The authorization request: code flow with PKCE (S256), state and nonce.
    const authorization = toProvider[0].searchParams;
    expect(authorization.get('response_type')).toBe('code');
    expect(authorization.get('code_challenge_method')).toBe('S256');
    expect(authorization.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorization.get('state')).toBeTruthy();
    expect(authorization.get('nonce')).toBeTruthy();
    const nav = page.getByRole('navigation', { name: 'Основная навигация' });
    const links = await nav.getByRole('link').allTextContents();
    expect(links.map((l) => l.trim())).toEqual(
      expect.arrayContaining(['Журнал', 'Контроль', 'Напоминания', 'Отчёты']),
    );
    expect(links.map((l) => l.trim())).not.toContain('Регистрация');
    await expect(page.locator('body').textContent()).resolves.toContain('Кузнецова К.К.');
    // The session is the engine's own: the API sees the mapped principal.
    const me = await page.evaluate(async () =>
      (await fetch('/me', { headers: { accept: 'application/json' } })).json(),
    );
    expect(me).toEqual({
      id: 'kuznetsova',
      name: 'Кузнецова К.К.',
      roles: ['controller'],
      department: 'Отдел ЖКХ',
    });
    // The account exists now (login = the provider's sub in lower case), without a password.
    const users = await http<{ login: string; roles: string[] }[]>(web.url, 'GET', '/admin/users', {
      token: web.adminToken,
    });
    expect(users.body.find((u) => u.login === 'kuznetsova')).toMatchObject({ roles: ['controller'] });
    await page.context().close();
  });

  it('keeps local accounts working beside it', async () => {
    const page = await web.newPage();
    await signIn(page, 'ivanova', web.password);
    expect(new URL(page.url()).pathname).toBe('/appeals');
    await page.context().close();
  });

  it("refuses a provider login that is a local account's, in words, and opens no session", async () => {
    const page = await web.newPage();
    await page.route(
      (url) => !url.host.startsWith('127.0.0.1'),
      (route) => route.abort(),
    );
    await page.goto('/login');
    await throughProvider(page, 'ivanova');
    expect(new URL(page.url()).pathname).toBe('/login/oidc/callback');
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'Учётная запись с этим именем уже есть',
    );
    const me = await page.evaluate(
      async () => (await fetch('/me', { headers: { accept: 'application/json' } })).status,
    );
    expect(me).toBe(401);
    await page.context().close();
  });

  it('refuses a callback without the pending sign-in of this browser (forged state): 400, no session', async () => {
    const page = await web.newPage();
    const res = await page.goto('/login/oidc/callback?code=forged&state=forged');
    expect(res?.status()).toBe(400);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Единый вход не выполнен');
    await page.context().close();
  });
});
