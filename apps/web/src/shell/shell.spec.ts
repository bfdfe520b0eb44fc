import { formatDate, formatDateTime, isoDateIn } from './dates';
import { escapeHtml, html, raw } from './html';
import { linksFor, startPageFor } from './nav';

describe('html', () => {
  it('escapes every interpolated value', () => {
    const evil = `<script>alert("x")</script>&'`;
    expect(html`<p title="${evil}">${evil}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p>',
    );
  });

  it('does not escape nested templates or raw markup, joins arrays, drops null/undefined/false', () => {
    const items = ['a<', 'b'].map((x) => html`<li>${x}</li>`);
    const tag = html; // (Prettier reflows templates tagged `html`; this one must stay on one line)
    const list = tag`<ul>${items}</ul>`;
    expect(html`${list}${null}${undefined}${false}${0}${raw('<br>')}`.value).toBe(
      '<ul><li>a&lt;</li><li>b</li></ul>0<br>',
    );
    expect(escapeHtml('a&b')).toBe('a&amp;b');
  });
});

describe('dates', () => {
  it('shows calendar dates as дд.мм.гггг without a zone shift', () => {
    expect(formatDate('2018-03-05', 'America/New_York')).toBe('05.03.2018');
  });

  it('shows instants in the administration time zone', () => {
    // 2018-03-04T20:30Z is 5 March 03:30 in Novokuznetsk (UTC+7)
    expect(formatDate('2018-03-04T20:30:00Z', 'Asia/Novokuznetsk')).toBe('05.03.2018');
    expect(formatDateTime(new Date('2018-03-04T20:30:00Z'), 'Asia/Novokuznetsk')).toBe('05.03.2018 03:30');
    expect(isoDateIn(new Date('2018-03-04T20:30:00Z'), 'Asia/Novokuznetsk')).toBe('2018-03-05');
    expect(formatDate(undefined, 'UTC')).toBe('');
  });
});

describe('navigation', () => {
  it('shows each role exactly its links, in the contract order', () => {
    const texts = (roles: Parameters<typeof linksFor>[0]) => linksFor(roles).map((l) => l.text);
    expect(texts(['registrar'])).toEqual(['Журнал', 'Регистрация']);
    expect(texts(['executor'])).toEqual(['Контроль', 'Напоминания']);
    expect(texts(['controller'])).toEqual(['Журнал', 'Контроль', 'Напоминания', 'Отчёты']);
    expect(texts(['supervisor'])).toEqual(['Журнал', 'Контроль', 'Отчёты']);
    expect(texts(['admin'])).toEqual(['Журнал', 'Администрирование']);
    expect(texts(['registrar', 'controller'])).toEqual([
      'Журнал',
      'Регистрация',
      'Контроль',
      'Напоминания',
      'Отчёты',
    ]);
    expect(startPageFor(['executor'])).toBe('/control');
    expect(startPageFor([])).toBe('/');
  });
});
