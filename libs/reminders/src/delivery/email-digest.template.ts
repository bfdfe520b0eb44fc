/**
 * The department's e-mail digest in Russian, plain text and HTML: what is overdue, due today and due
 * soon, then the reports owed to sending bodies (overdue, due soon), with the executor and the
 * working days left as of the digest's day.
 */
import type { IsoDate, ReminderKind } from '@appeal-ledger/appeal';
import type { Reminder } from '../reminder.view';

export interface DigestItem {
  reminder: Reminder;
  /** working days from the digest's day to the due date: negative once overdue */
  daysLeft: number;
}

export interface DigestMail {
  subject: string;
  text: string;
  html: string;
}

const SECTIONS: readonly { kind: ReminderKind; title: string }[] = [
  { kind: 'overdue', title: 'Просрочено' },
  { kind: 'due_today', title: 'Срок истекает сегодня' },
  { kind: 'due_soon', title: 'Срок истекает в ближайшие дни' },
  // the report the sending body asked for (source.reportBackBy): «срок» is the date it asked for
  { kind: 'report_back_overdue', title: 'Не доложено направившему органу в срок' },
  { kind: 'report_back_soon', title: 'Подходит срок доклада направившему органу' },
];

export const NO_DEPARTMENT_LABEL = 'Обращения без назначенного исполнителя';

/** `2018-05-03` → `03.05.2018`, as Russian office documents write dates. */
export const russianDate = (date: IsoDate): string =>
  `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;

export function daysLeftText(daysLeft: number): string {
  if (daysLeft > 0) return `осталось ${daysLeft} раб. дн.`;
  if (daysLeft === 0) return 'срок сегодня';
  return `просрочено на ${-daysLeft} раб. дн.`;
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderDigest(
  department: string,
  businessDate: IsoDate,
  items: readonly DigestItem[],
): DigestMail {
  const heading = department === '' ? NO_DEPARTMENT_LABEL : department;
  const title = `Контроль сроков рассмотрения обращений на ${russianDate(businessDate)}`;
  const sections = SECTIONS.map((s) => ({
    ...s,
    items: items.filter((i) => i.reminder.kind === s.kind),
  })).filter((s) => s.items.length > 0);
  const executor = (i: DigestItem): string => i.reminder.executor?.name ?? 'исполнитель не назначен';

  const text = [
    `${heading}`,
    title,
    '',
    ...sections.flatMap((s) => [
      `${s.title} (${s.items.length}):`,
      ...s.items.map(
        (i) =>
          `  № ${i.reminder.number} — срок ${russianDate(i.reminder.dueDate)}, ${executor(i)}, ${daysLeftText(i.daysLeft)}`,
      ),
      '',
    ]),
    'Письмо сформировано автоматически системой учёта обращений граждан; отвечать на него не нужно.',
  ].join('\n');

  const html = [
    '<!doctype html><html lang="ru"><head><meta charset="utf-8"></head><body>',
    `<h2>${escapeHtml(heading)}</h2>`,
    `<p>${escapeHtml(title)}</p>`,
    ...sections.map(
      (s) =>
        `<h3>${escapeHtml(s.title)} (${s.items.length})</h3>` +
        '<table border="1" cellpadding="4" cellspacing="0">' +
        '<tr><th>№ обращения</th><th>Срок</th><th>Исполнитель</th><th>Осталось</th></tr>' +
        s.items
          .map(
            (i) =>
              `<tr><td>${escapeHtml(i.reminder.number)}</td><td>${russianDate(i.reminder.dueDate)}</td>` +
              `<td>${escapeHtml(executor(i))}</td><td>${escapeHtml(daysLeftText(i.daysLeft))}</td></tr>`,
          )
          .join('') +
        '</table>',
    ),
    '<p><small>Письмо сформировано автоматически системой учёта обращений граждан.</small></p>',
    '</body></html>',
  ].join('\n');

  const counts = sections.map((s) => `${s.title.toLowerCase()}: ${s.items.length}`).join(', ');
  return { subject: `Сроки обращений на ${russianDate(businessDate)} — ${heading} (${counts})`, text, html };
}
