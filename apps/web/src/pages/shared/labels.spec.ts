import { daysLeftWords, labelOf, ruDate, STATE_LABELS } from './labels';
import { isoDayIn, ruDay } from './instant';

describe('labels and dates', () => {
  it('formats calendar dates as дд.мм.гггг and instants in the administration zone', () => {
    expect(ruDate('2018-03-06')).toBe('06.03.2018');
    expect(ruDate(null)).toBe('—');
    expect(ruDay('2018-03-05T20:00:00Z', 'Asia/Novokuznetsk')).toBe('06.03.2018');
    expect(ruDay('2018-03-05', 'Asia/Novokuznetsk')).toBe('05.03.2018');
    expect(isoDayIn(new Date('2018-03-05T20:00:00Z'), 'Asia/Novokuznetsk')).toBe('2018-03-06');
  });

  it('words states and days left in Russian', () => {
    expect(labelOf(STATE_LABELS, 'interim_answered')).toBe('Дан промежуточный ответ');
    expect(labelOf(STATE_LABELS, 'unknown')).toBe('unknown');
    expect(daysLeftWords(3)).toBe('3 раб. дн.');
    expect(daysLeftWords(0)).toBe('сегодня');
    expect(daysLeftWords(-2)).toBe('просрочено на 2 раб. дн.');
  });
});
