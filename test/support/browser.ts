/**
 * Browser-test harness: real Chromium (from the @sparticuz/chromium package, driven by
 * playwright-core), the engine in this process, accounts made through the API, sign-in through the
 * form by its labels, axe-core on the page, screenshots into docs/screenshots.
 *
 *   const web = await startWebTest();                       // engine + browser
 *   await web.createAccount({ login: 'ivanova', roles: ['registrar'] });
 *   const page = await web.newPage();
 *   await signIn(page, 'ivanova', web.password);
 *   await checkA11y(page);
 *   await screenshot(page, 'journal');
 *   await web.stop();
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium as playwright, type Browser, type Locator, type Page } from 'playwright-core';
import { chromium } from './chromium';
import { http, startTestEngine, type TestEngine } from './test-engine';

export type { Browser, Locator, Page } from 'playwright-core';

/** The password every account made by createAccount gets unless told otherwise. */
export const TEST_PASSWORD = 'correct-horse-battery';

/** The bound on one browser action or in-page request (Playwright's default is 30 s). */
export const ACTION_TIMEOUT_MS = 90_000;

let executable: Promise<string> | undefined;

/** Real headless Chromium (extracted to /tmp by @sparticuz/chromium on first use). */
export async function launchBrowser(): Promise<Browser> {
  executable ??= chromium.executablePath();
  // Its flags are for AWS Lambda: one process (closing a context would end the browser) and web
  // security off; a browser test wants several contexts and the real same-origin rules and CSP.
  const dropped = new Set(['--single-process', '--disable-web-security', '--allow-running-insecure-content']);
  // Russian UI language: native date inputs show дд.мм.гггг. The headless shell takes its locale from
  // the environment (LANGUAGE, LANG), not from --lang alone; the week input's words stay English (the
  // package ships no Russian UI strings).
  const args = [...chromium.args.filter((a) => !dropped.has(a) && !a.startsWith('--lang=')), '--lang=ru-RU'];
  return playwright.launch({
    executablePath: await executable,
    args,
    headless: true,
    env: { ...process.env, LANGUAGE: 'ru', LANG: 'ru_RU.UTF-8', LC_ALL: 'ru_RU.UTF-8' },
  });
}

export interface AccountInput {
  login: string;
  name?: string;
  roles: string[];
  department?: string;
  password?: string;
}

export interface WebTest {
  engine: TestEngine;
  browser: Browser;
  url: string;
  /** a bearer token of an admin, for API calls */
  adminToken: string;
  /** the generated password of the first `admin` (DATA_DIR/secrets/initial-admin-password) */
  adminPassword: string;
  password: string;
  createAccount(account: AccountInput): Promise<void>;
  /** a fresh browser context (no cookies) at 1280×800, Russian locale, the engine's time zone */
  newPage(): Promise<Page>;
  stop(): Promise<void>;
}

export async function startWebTest(options: Parameters<typeof startTestEngine>[0] = {}): Promise<WebTest> {
  const engine = await startTestEngine(options);
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (error) {
    await engine.stop();
    throw error;
  }
  const adminToken = engine.token('test-admin', ['admin']);
  return {
    engine,
    browser,
    url: engine.url,
    adminToken,
    adminPassword: readFileSync(join(engine.dataDir, 'secrets', 'initial-admin-password'), 'utf8').trim(),
    password: TEST_PASSWORD,
    async createAccount(account) {
      const res = await http(engine.url, 'POST', '/admin/users', {
        token: adminToken,
        body: {
          login: account.login,
          name: account.name ?? account.login,
          roles: account.roles,
          ...(account.department ? { department: account.department } : {}),
          password: account.password ?? TEST_PASSWORD,
        },
      });
      if (res.status !== 201)
        throw new Error(`creating ${account.login}: ${res.status} ${JSON.stringify(res.body)}`);
    },
    async newPage() {
      const context = await browser.newContext({
        baseURL: engine.url,
        viewport: { width: 1280, height: 800 },
        locale: 'ru-RU',
        timezoneId: engine.config.timeZone,
      });
      // Playwright's 30 s per action is shorter than a slow step on a saturated machine; the tests wait
      // for facts, so a longer bound only changes how long a real failure takes to report.
      context.setDefaultTimeout(ACTION_TIMEOUT_MS);
      return context.newPage();
    },
    async stop() {
      await browser.close().catch(() => undefined);
      await engine.stop();
    },
  };
}

/** Signs in through the form, by its labels; waits for the page after it. */
export async function signIn(page: Page, login: string, password: string, path = '/login'): Promise<void> {
  if (!page.url().includes('/login')) await page.goto(path);
  await page.getByLabel('Логин').fill(login);
  await page.getByLabel('Пароль').fill(password);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Войти' }).click()]);
}

const AXE = require.resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** axe-core on the page as it is: fails on any serious or critical violation. */
export async function checkA11y(page: Page): Promise<void> {
  const loaded = await page.evaluate(() => 'axe' in globalThis);
  // CSP forbids inline scripts: axe is injected through the DevTools protocol, not a <script>.
  if (!loaded) await page.evaluate(readFileSync(AXE, 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run()).violations;
  });
  const bad = (violations as AxeViolation[]).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) {
    const report = bad
      .map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`)
      .join('\n');
    throw new Error(
      `axe-core found ${bad.length} serious/critical violation(s) on ${page.url()}:\n${report}`,
    );
  }
}

const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');

export interface ScreenshotOptions {
  /**
   * 'top' (the default): the top of the page, as a person first sees it. 'keep': the viewport where
   * the test has scrolled or focused (a form's answer, a section brought into view).
   */
  scroll?: 'top' | 'keep';
  /** this element brought into view (its top at the viewport's top); the shot is still the viewport */
  show?: Locator;
}

/** docs/screenshots/<name>.png at 1280×800 (the viewport, not the full page). */
export async function screenshot(page: Page, name: string, options: ScreenshotOptions = {}): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  if (options.show) {
    await options.show.evaluate((el) =>
      (el as unknown as { scrollIntoView(o: { block: string }): void }).scrollIntoView({ block: 'start' }),
    );
  } else if ((options.scroll ?? 'top') === 'top') {
    await page.evaluate(() =>
      (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0),
    );
  }
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}
