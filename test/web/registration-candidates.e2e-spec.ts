/**
 * Repeats and duplicates in the browser (issue 15): after registering, the registration page lists
 * the earlier appeals of the same applicant — written another way — with links, state and dates, and
 * links the new card, whose «Связанные обращения» lists them too; a confirmed duplicate's card says it
 * is joined to its original and, once the original is closed, that it was answered with it (date,
 * outgoing number). axe-core on each page.
 */
import { DuplicateProcess } from '../../apps/api/src/duplicates/duplicate-process.service';
import { checkA11y, signIn, startWebTest, type Page, type WebTest } from '../support/browser';
import { ManualClock, registration } from '../support/appeals';
import { http } from '../support/test-engine';

const HOUSING = '0005.0005.0056.1149';
const at = (date: string): string => `${date}T10:00:00+07:00`;

interface Summary {
  id: string;
  number: string;
  position: number;
  state: string;
}

jest.setTimeout(180_000);

describe('registration candidates and duplicates on the web pages (Chromium)', () => {
  const clock = new ManualClock(new Date(at('2025-03-05')));
  let web: WebTest;

  const post = async (path: string, body: unknown, status = 200): Promise<Summary> => {
    const res = await http<Summary>(web.url, 'POST', path, { token: web.adminToken, body });
    expect({ path, status: res.status }).toEqual({ path, status });
    return res.body;
  };

  async function as(login: string, path: string): Promise<Page> {
    const page = await web.newPage();
    await page.goto(path);
    await signIn(page, login, web.password);
    if (!page.url().endsWith(path)) await page.goto(path);
    await checkA11y(page);
    return page;
  }

  beforeAll(async () => {
    web = await startWebTest({ clock });
    await web.createAccount({ login: 'smirnova', name: 'Смирнова Е.В.', roles: ['registrar'] });
  });

  afterAll(async () => {
    await web?.stop();
  });

  it('shows the earlier appeal after registering, then the duplicate joined and answered with it', async () => {
    const original = await post(
      '/appeals',
      registration({
        receivedAt: '2025-03-03',
        registeredAt: '2025-03-03',
        applicants: [
          {
            name: 'Фёдорова Анна Сергеевна',
            address: '653000, Кемеровская обл., пос. Каменный, ул. Садовая, д. 3, кв. 1',
          },
        ],
      }),
      201,
    );

    // the registrar registers the same letter, come through the region, written another way
    const page = await as('smirnova', '/appeals/new');
    await page.getByLabel('Вид обращения').selectOption({ label: 'Жалоба' });
    await page.getByLabel('Источник', { exact: true }).selectOption({ label: 'Из администрации области' });
    await page.getByLabel('Наименование органа').fill('Администрация Кемеровской области');
    await page.getByLabel('ФИО заявителя').fill('ФЕДОРОВА А.С.');
    await page.getByLabel('Адрес заявителя').fill('п. Каменный ул.Садовая д.3 кв.1');
    await page.getByLabel('Код вопроса').fill(HOUSING);
    await page.getByRole('button', { name: 'Зарегистрировать' }).click();

    const result = page.locator('[data-registration-result]');
    await result.waitFor({ state: 'visible' });
    await expect(page.locator('form[data-api-form]').isHidden()).resolves.toBe(true);
    const row = result.locator('tbody tr');
    await expect(row.count()).resolves.toBe(1);
    await expect(row.first().getByRole('link', { name: original.number }).getAttribute('href')).resolves.toBe(
      `/appeals/${original.id}`,
    );
    const cells = await row.first().locator('td').allTextContents();
    expect(cells).toEqual([
      original.number,
      '03.03.2025',
      'зарегистрировано',
      expect.stringMatching(/^\d\d\.04\.2025$/) as unknown,
      'ФИО, адрес',
      'тот же вопрос',
      'дубликат',
    ]);
    await checkA11y(page);

    // «Открыть карточку»: the new card, with the same appeal under «Связанные обращения»
    const cardLink = result.getByRole('link', { name: /^Открыть карточку обращения № / });
    await Promise.all([page.waitForURL(/\/appeals\/[0-9a-f-]{36}\?minPosition=\d+$/), cardLink.click()]);
    const copyId = /\/appeals\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
    const related = page.locator('section[aria-labelledby="related-h"]');
    await expect(related.textContent()).resolves.toContain(original.number);
    await checkA11y(page);

    // confirmed a duplicate: the card says it is joined to the original, off control
    const confirmed = await post(`/appeals/${copyId}/related/confirm`, {
      relatedAppealId: original.id,
      kind: 'duplicate',
    });
    await page.goto(`/appeals/${copyId}?minPosition=${confirmed.position}`);
    const facts = page.locator('.card-summary');
    await expect(facts.textContent().then((t) => (t ?? '').replace(/\s+/g, ' '))).resolves.toContain(
      `присоединено к обращению № ${original.number}: снято с контроля`,
    );
    await checkA11y(page);

    // the original answered and removed from control: the duplicate was answered with it
    await post(`/appeals/${original.id}/assignment`, {
      executor: { id: 'sidorov', name: 'Сидоров С.С.' },
      department: 'Отдел ЖКХ',
      assignedAt: '2025-03-04',
    });
    await post(`/appeals/${original.id}/final-answer`, {
      sentAt: '2025-03-05',
      summary: 'дан ответ по существу',
      results: [{ questionCode: HOUSING, result: 'explained' }],
      outgoingNumber: '01-12/55',
      outgoingDate: '2025-03-05',
      signedBy: { name: 'Кузнецов К.К.', position: 'глава района' },
      delivery: 'post',
    });
    const closed = await post(`/appeals/${original.id}/closure`, { closedAt: '2025-03-05' });
    expect(await web.engine.engine.app.get(DuplicateProcess).waitForPosition(closed.position, 10_000)).toBe(
      true,
    );
    await page.goto(`/appeals/${copyId}`);
    const text = ((await facts.textContent()) ?? '').replace(/\s+/g, ' ');
    expect(text).toContain(`ответ дан вместе с обращением № ${original.number}`);
    expect(text).toContain('ответ от 05.03.2025, исх. № 01-12/55 от 05.03.2025');
    expect(text).toContain('Закрыто (ответ дан вместе с первоначальным)');
    await checkA11y(page);
    await page.context().close();
  });
});
