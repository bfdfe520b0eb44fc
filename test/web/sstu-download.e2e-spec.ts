/**
 * «Отчёты» in Chromium: a controller of the whole administration downloads the ССТУ.РФ export of a
 * month with «Скачать для ССТУ.РФ» (the file the API answers, named for the month); a department's
 * controller and the supervisor are not offered it.
 */
import { readFile } from 'node:fs/promises';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkA11y, signIn, startWebTest, type WebTest } from '../support/browser';
import { http } from '../support/test-engine';

const OWN_ID = '7d3c1a52-5e0b-4c7e-9a51-2f6d0c8e4b19';

jest.setTimeout(180_000);

describe('the ССТУ.РФ export on «Отчёты» (Chromium)', () => {
  let web: WebTest;
  let dir: string;
  let number = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sstu-web-'));
    const directory = join(dir, 'departments.json');
    writeFileSync(directory, '{}');
    web = await startWebTest({ env: { SSTU_DEPARTMENT_ID: OWN_ID, SSTU_DEPARTMENTS_FILE: directory } });
    await web.createAccount({ login: 'kuznetsova', name: 'Кузнецова Е.В.', roles: ['controller'] });
    await web.createAccount({ login: 'zhkh', roles: ['controller'], department: 'Отдел ЖКХ' });
    await web.createAccount({ login: 'head', roles: ['supervisor'] });
    const res = await http<{ number: string }>(web.url, 'POST', '/appeals', {
      token: web.adminToken,
      body: {
        receivedAt: '2018-12-03',
        registeredAt: '2018-12-03',
        channel: 'electronic',
        kind: 'application',
        applicants: [{ name: 'Петров Пётр Петрович', email: 'petrov@example.ru' }],
        questions: [{ code: '0005.0005.0056.1149' }],
      },
    });
    expect(res.status).toBe(201);
    number = res.body.number;
  });

  afterAll(async () => {
    await web?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a controller picks the month and downloads the file', async () => {
    const page = await web.newPage();
    await signIn(page, 'kuznetsova', web.password);
    await page.goto('/reports');
    const section = page.getByRole('region', { name: 'Выгрузка в ССТУ.РФ' });
    await section.getByLabel('Месяц').fill('2018-12');
    await checkA11y(page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      section.getByRole('button', { name: 'Скачать для ССТУ.РФ' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('sstu-2018-12.json');
    const file = JSON.parse(await readFile(await download.path(), 'utf8')) as {
      departmentId: string;
      month: string;
      appeals: { registrationNumber: string; name: string; format: string }[];
    };
    expect(file).toMatchObject({ departmentId: OWN_ID, month: '2018-12' });
    expect(file.appeals).toEqual([
      expect.objectContaining({
        registrationNumber: number,
        name: 'Петров Пётр Петрович',
        format: 'Electronic',
      }),
    ]);
    await page.context().close();
  });

  it('is not offered to a department’s controller nor to the supervisor', async () => {
    for (const login of ['zhkh', 'head']) {
      const page = await web.newPage();
      await signIn(page, login, web.password);
      await page.goto('/reports');
      await expect(page.locator('main').textContent()).resolves.toContain('Еженедельный отчёт');
      expect(await page.locator('form[action="/reports/sstu"]').count()).toBe(0);
      await page.context().close();
    }
  });
});
