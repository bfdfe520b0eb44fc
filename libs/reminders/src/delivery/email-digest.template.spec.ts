import { ProductionCalendar } from '@appeal-ledger/appeal';
import type { Reminder } from '../reminder.view';
import { inOfficeHours, localHour } from './email-digest.delivery';
import { daysLeftText, renderDigest, russianDate } from './email-digest.template';

const reminder = (over: Partial<Reminder>): Reminder => ({
  id: '00000000-0000-5000-8000-000000000001',
  appealId: 'a-1',
  number: 'П/1',
  kind: 'due_soon',
  dueDate: '2018-04-05',
  issuedAt: '2018-04-02T03:00:00.000Z',
  department: 'Отдел ЖКХ',
  executor: { id: 'sidorov', name: 'Сидоров С.С.' },
  position: 10,
  businessDate: '2018-04-02',
  ...over,
});

describe('reminder e-mail digest', () => {
  it('groups overdue, due today and due soon, with executor and working days left', () => {
    const mail = renderDigest('Отдел ЖКХ', '2018-04-02', [
      { reminder: reminder({}), daysLeft: 3 },
      {
        reminder: reminder({ number: 'Д/7', kind: 'overdue', dueDate: '2018-03-30', executor: null }),
        daysLeft: -1,
      },
      { reminder: reminder({ number: 'К/2', kind: 'due_today', dueDate: '2018-04-02' }), daysLeft: 0 },
    ]);
    expect(mail.subject).toBe(
      'Сроки обращений на 02.04.2018 — Отдел ЖКХ (просрочено: 1, срок истекает сегодня: 1, срок истекает в ближайшие дни: 1)',
    );
    expect(mail.text.split('\n')).toEqual([
      'Отдел ЖКХ',
      'Контроль сроков рассмотрения обращений на 02.04.2018',
      '',
      'Просрочено (1):',
      '  № Д/7 — срок 30.03.2018, исполнитель не назначен, просрочено на 1 раб. дн.',
      '',
      'Срок истекает сегодня (1):',
      '  № К/2 — срок 02.04.2018, Сидоров С.С., срок сегодня',
      '',
      'Срок истекает в ближайшие дни (1):',
      '  № П/1 — срок 05.04.2018, Сидоров С.С., осталось 3 раб. дн.',
      '',
      'Письмо сформировано автоматически системой учёта обращений граждан; отвечать на него не нужно.',
    ]);
    expect(mail.html).toContain('<td>Д/7</td><td>30.03.2018</td><td>исполнитель не назначен</td>');
  });

  it('lists the reports owed to sending bodies after the term sections; the term sections as before', () => {
    const mail = renderDigest('Отдел ЖКХ', '2018-05-04', [
      {
        reminder: reminder({ number: 'П/3', kind: 'report_back_overdue', dueDate: '2018-05-03' }),
        daysLeft: -1,
      },
      { reminder: reminder({ number: 'П/4', kind: 'report_back_soon', dueDate: '2018-05-08' }), daysLeft: 2 },
      { reminder: reminder({ number: 'П/5', kind: 'overdue', dueDate: '2018-05-03' }), daysLeft: -1 },
    ]);
    expect(mail.text.split('\n').slice(3, 13)).toEqual([
      'Просрочено (1):',
      '  № П/5 — срок 03.05.2018, Сидоров С.С., просрочено на 1 раб. дн.',
      '',
      'Не доложено направившему органу в срок (1):',
      '  № П/3 — срок 03.05.2018, Сидоров С.С., просрочено на 1 раб. дн.',
      '',
      'Подходит срок доклада направившему органу (1):',
      '  № П/4 — срок 08.05.2018, Сидоров С.С., осталось 2 раб. дн.',
      '',
      'Письмо сформировано автоматически системой учёта обращений граждан; отвечать на него не нужно.',
    ]);
  });

  it('escapes HTML and names the digest of appeals without an executor', () => {
    const mail = renderDigest('', '2018-04-02', [
      { reminder: reminder({ number: '<b>1</b>', department: null }), daysLeft: 3 },
    ]);
    expect(mail.html).toContain('&lt;b&gt;1&lt;/b&gt;');
    expect(mail.html).not.toContain('<b>1</b>');
    expect(mail.text.startsWith('Обращения без назначенного исполнителя\n')).toBe(true);
  });

  it('formats dates and days left the Russian office way', () => {
    expect(russianDate('2018-05-03')).toBe('03.05.2018');
    expect([daysLeftText(2), daysLeftText(0), daysLeftText(-4)]).toEqual([
      'осталось 2 раб. дн.',
      'срок сегодня',
      'просрочено на 4 раб. дн.',
    ]);
  });

  it('sends only in office hours of a working day, local time', () => {
    const calendar = ProductionCalendar.shipped();
    const hours = { from: 9, to: 18 };
    const at = (instant: string): boolean =>
      inOfficeHours(new Date(instant), hours, 'Asia/Novokuznetsk', calendar);
    expect(localHour(new Date('2018-04-02T02:00:00Z'), 'Asia/Novokuznetsk')).toBe(9);
    expect(at('2018-04-02T01:59:00Z')).toBe(false); // 08:59 Mon
    expect(at('2018-04-02T02:00:00Z')).toBe(true); // 09:00
    expect(at('2018-04-02T10:59:00Z')).toBe(true); // 17:59
    expect(at('2018-04-02T11:00:00Z')).toBe(false); // 18:00
    expect(at('2018-04-28T03:00:00Z')).toBe(true); // working Saturday 28 April
    expect(at('2018-05-01T03:00:00Z')).toBe(false); // 1 May holiday
    expect(at('2018-04-29T03:00:00Z')).toBe(false); // Sunday
  });
});
