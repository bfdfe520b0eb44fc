/**
 * Terminating correspondence (59-FZ art. 11 ч.5) on the card, in real Chromium: the controller opens
 * «Прекратить переписку», the earlier appeals are offered from «Связанные обращения»; a choice that does
 * not hold is refused in words (409) and records nothing; the decision shows on the card, and a later
 * appeal of the same applicant (written another way) carries the flag; with the applicant index held
 * back, the flag still shows and the ground is saved at once; a 429 on the way is told in words with
 * its wait. axe-core on each step.
 */
import { Pool } from 'pg';
import { committedHead } from '../../libs/reminders/src/testing';
import { checkA11y, signIn, startWebTest, type Page, type WebTest } from '../support/browser';
import { ManualClock, registration } from '../support/appeals';
import { http } from '../support/test-engine';

const HOUSING = '0005.0005.0056.1149';
const OTHER_HOUSING = '0005.0005.0057.1160'; // the same theme, another question
const at = (date: string): string => `${date}T10:00:00+07:00`;
const HER = [
  { name: 'Фёдорова Анна Сергеевна', address: 'пос. Каменный, ул. Садовая, д. 3, кв. 1' },
  { name: 'ФЕДОРОВА А.С.', address: 'п. Каменный, улица Садовая, дом 3, квартира 1' },
  { name: 'Федорова А. С.', address: 'Каменный пос., Садовая ул., д.3, кв.1' },
];

interface Summary {
  id: string;
  number: string;
  revision: number;
  correspondenceTermination?: { questionCodes: string[] } | null;
  correspondenceTerminated?: { terminationAppealId: string; questionCodes: string[] };
  state?: string;
  withoutAnswerGround?: string | null;
}

jest.setTimeout(180_000);

describe('terminating correspondence on the card (Chromium)', () => {
  const clock = new ManualClock(new Date(at('2025-06-02')));
  let web: WebTest;
  let db: Pool;

  const api = async (method: string, path: string, body?: unknown): Promise<Summary> => {
    const res = await http<Summary>(web.url, method, path, { token: web.adminToken, body });
    if (res.status !== 200 && res.status !== 201)
      throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  /** An appeal of `applicant` on `code`, registered on `day` and answered on the merits on `answeredOn`. */
  async function answered(
    applicant: object,
    code: string,
    day: string,
    answeredOn: string,
  ): Promise<Summary> {
    const appeal = await api(
      'POST',
      '/appeals',
      registration({ applicants: [applicant], questions: [{ code }], receivedAt: day, registeredAt: day }),
    );
    await api('POST', `/appeals/${appeal.id}/assignment`, {
      executor: { id: 'sidorov', name: 'Сидоров С.С.' },
      department: 'Отдел ЖКХ',
      assignedAt: day,
    });
    return api('POST', `/appeals/${appeal.id}/final-answer`, {
      sentAt: answeredOn,
      summary: 'дан ответ по существу',
      results: [{ questionCode: code, result: 'explained' }],
    });
  }

  async function as(login: string, path: string): Promise<Page> {
    const page = await web.newPage();
    await page.goto(path);
    await signIn(page, login, web.password);
    if (!page.url().endsWith(path)) await page.goto(path);
    await checkA11y(page);
    return page;
  }

  beforeAll(async () => {
    web = await startWebTest({ clock, env: { REMINDER_TICK_MS: '3600000' } });
    db = new Pool({ connectionString: web.engine.database.url, max: 2 });
    await web.createAccount({
      login: 'kuznetsova',
      name: 'Кузнецова О.П.',
      roles: ['controller'],
      department: 'Организационный отдел',
    });
  });

  afterAll(async () => {
    await db?.end();
    await web?.stop();
  });

  it('controller records the head’s decision; a wrong choice is refused in words; a later appeal is flagged', async () => {
    const first = await answered(HER[0], HOUSING, '2025-03-03', '2025-03-20');
    const second = await answered(HER[1], HOUSING, '2025-04-01', '2025-04-20');
    await answered(HER[0], OTHER_HOUSING, '2025-04-02', '2025-04-21');
    const trigger = await api(
      'POST',
      '/appeals',
      registration({ applicants: [HER[2]], receivedAt: '2025-05-12', registeredAt: '2025-05-12' }),
    );

    const page = await as('kuznetsova', `/appeals/${trigger.id}`);
    await page.getByRole('button', { name: 'Прекратить переписку', exact: true }).click();
    const form = page.locator('#action-form');
    await form.getByLabel('Решение принял (ФИО)').fill('Петров П.П.');
    await expect(form.getByLabel('Должность').inputValue()).resolves.toBe('глава района');
    await form.getByLabel('Основания решения').fill('ответы по существу даны дважды, новых доводов нет');
    // offered: the related appeals answered, latest first — the first two chosen (one of them on another question)
    await expect(
      form.getByLabel('Прежнее обращение 1', { exact: true }).locator('option').count(),
    ).resolves.toBe(4);
    const before = await committedHead(db);
    await form.getByRole('button', { name: 'Сохранить' }).click();
    const alert = form.locator('[data-form-alert]');
    await alert.filter({ hasText: 'Переписка не прекращена' }).waitFor();
    const words = (await alert.textContent()) ?? '';
    expect(words).toContain('нет ответа по существу на вопрос 0005.0005.0056.1149');
    expect(words).toContain('ответов по существу 1, нужно не менее 2');
    expect(words).toMatch(/обращению № [^ ]+ от 02\.04\.2025/);
    await checkA11y(page);
    expect(await committedHead(db)).toBe(before);

    // the two answered on the question
    await form.getByLabel('Прежнее обращение 1', { exact: true }).selectOption(first.id);
    await form.getByLabel('Прежнее обращение 2', { exact: true }).selectOption(second.id);
    await form.getByLabel('Заявитель уведомлён').fill('2025-06-02');
    await form.getByLabel('Текст уведомления').fill('Переписка с Вами по вопросу прекращена.');
    await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: 'Сохранить' }).click()]);
    const note = page.locator('[data-correspondence-termination]');
    await expect(note.textContent()).resolves.toContain(
      `Переписка с заявителем по вопросам ${HOUSING} прекращена`,
    );
    await expect(note.textContent()).resolves.toContain('Заявитель уведомлён 02.06.2025');
    await expect(
      page.getByRole('button', { name: 'Прекратить переписку', exact: true }).count(),
    ).resolves.toBe(0);
    await checkA11y(page);
    expect((await api('GET', `/appeals/${trigger.id}`)).correspondenceTermination?.questionCodes).toEqual([
      HOUSING,
    ]);

    // her next appeal on the question, written another way: the card shows the flag
    const later = await api(
      'POST',
      '/appeals',
      registration({ applicants: [HER[1]], receivedAt: '2025-06-02', registeredAt: '2025-06-02' }),
    );
    expect(later.correspondenceTerminated).toMatchObject({
      terminationAppealId: trigger.id,
      questionCodes: [HOUSING],
    });
    await page.goto(`/appeals/${later.id}`);
    const flag = page.locator('[data-correspondence-terminated]');
    await expect(flag.textContent()).resolves.toContain('можно оставить без ответа по этому основанию');
    await expect(flag.locator('a').getAttribute('href')).resolves.toBe(`/appeals/${trigger.id}`);
    await checkA11y(page);

    // The applicant index held back (its table locked against writes, reads go on): her newest appeal's
    // card still shows the flag, and leaving it without answer on the ground is saved at once — the
    // decisions the index has not applied are read from the store.
    const lock = await db.connect();
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE rm_applicant_index.entries IN EXCLUSIVE MODE');
    const leave = page.locator('#action-form');
    let newest: Summary;
    try {
      newest = await api(
        'POST',
        '/appeals',
        registration({ applicants: [HER[2]], receivedAt: '2025-06-02', registeredAt: '2025-06-02' }),
      );
      await page.goto(`/appeals/${newest.id}`);
      await expect(page.locator('[data-correspondence-terminated]').textContent()).resolves.toContain(
        'можно оставить без ответа по этому основанию',
      );
      // «Связанные обращения» come from the read models: the card says the list may be incomplete
      await expect(page.locator('[data-related-incomplete]').textContent()).resolves.toContain(
        'список может быть неполным',
      );
      await checkA11y(page);
      await page.getByRole('button', { name: 'Оставить без ответа', exact: true }).click();
      await leave.getByLabel('Основание (ст. 11 59-ФЗ)').selectOption('correspondence_terminated');

      // a 429 on the way (the per-principal limit's answer, given here at the browser's edge) is told
      // in words with its wait, and nothing is stored
      const head = await committedHead(db);
      const url = `**/appeals/${newest.id}/without-answer`;
      await page.route(url, (route) =>
        route.fulfill({
          status: 429,
          headers: { 'content-type': 'application/problem+json', 'retry-after': '7' },
          body: JSON.stringify({
            type: 'https://appeal-ledger.dev/problems/too-many-requests',
            title: 'Too many requests',
            status: 429,
            detail: 'more than 600 requests a minute',
            retryAfterSeconds: 7,
          }),
        }),
      );
      await leave.getByRole('button', { name: 'Сохранить' }).click();
      const busy = leave.locator('[data-form-alert]');
      await busy.filter({ hasText: 'слишком много запросов' }).waitFor();
      await expect(busy.textContent()).resolves.toContain('Повторите через 7 с.');
      await checkA11y(page);
      expect(await committedHead(db)).toBe(head);
      await page.unroute(url);

      await Promise.all([page.waitForNavigation(), leave.getByRole('button', { name: 'Сохранить' }).click()]);
    } finally {
      await lock.query('COMMIT');
      lock.release();
    }
    expect(await api('GET', `/appeals/${newest.id}`)).toMatchObject({
      state: 'closed',
      withoutAnswerGround: 'correspondence_terminated',
    });
    await page.context().close();
  });
});
