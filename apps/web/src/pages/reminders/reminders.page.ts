/**
 * «Напоминания»: reminders as issued, newest first; the page's script appends the ones that arrive
 * on the SSE feed (/reminders/stream, resumed after the newest shown) and counts them in the nav.
 */
import type { Reminder } from '@appeal-ledger/reminders';
import { html, type Html } from '../../shell/html';
import { REMINDER_KIND_LABELS, ruDate } from '../shared/labels';
import { ruDateTime } from '../shared/instant';

export interface RemindersView {
  /** newest first */
  reminders: readonly Reminder[];
  /** position of the newest reminder the person may read (the stream resumes after it) */
  since: number;
  timeZone: string;
}

export function reminderRow(r: Reminder, timeZone: string): Html {
  return html`<tr class="reminder-${r.kind}" data-position="${r.position}">
    <td>${ruDateTime(r.issuedAt, timeZone)}</td>
    <td>${REMINDER_KIND_LABELS[r.kind]}</td>
    <td><a href="/appeals/${r.appealId}">${r.number}</a></td>
    <td>${ruDate(r.dueDate)}</td>
    <td>${r.department ?? '—'}</td>
    <td>${r.executor?.name ?? '—'}</td>
  </tr>`;
}

export function renderReminders(view: RemindersView): Html {
  return html`<h1>Напоминания о сроках</h1>
    <p class="live-status" role="status" data-live-status>Новые напоминания появляются здесь сами.</p>
    <table class="grid" data-reminders data-stream="/reminders/stream" data-since="${view.since}">
      <caption class="visually-hidden">
        Напоминания, новые сверху
      </caption>
      <thead>
        <tr>
          <th scope="col">Выдано</th>
          <th scope="col">Вид</th>
          <th scope="col">Рег. №</th>
          <th scope="col">Срок</th>
          <th scope="col">Подразделение</th>
          <th scope="col">Исполнитель</th>
        </tr>
      </thead>
      <tbody data-reminder-rows>
        ${
          view.reminders.length === 0
            ? html`<tr data-empty>
                <td colspan="6">Напоминаний пока нет</td>
              </tr>`
            : ''
        }
        ${view.reminders.map((r) => reminderRow(r, view.timeZone))}
      </tbody>
    </table>`;
}
