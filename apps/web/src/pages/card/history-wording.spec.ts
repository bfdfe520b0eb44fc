import {
  applicantMaterialsReceived,
  assigned,
  extended,
  finalAnswered,
  registered,
  reminderIssued,
  returnedForRework,
} from '@appeal-ledger/appeal/testing';
import type { AppealEvent } from '@appeal-ledger/appeal';
import { describeHistoryEntry } from './history-wording';

const TZ = 'Asia/Novokuznetsk';
const entry = (event: AppealEvent, occurredAt = '2018-03-01T03:00:00Z', recordedAt = occurredAt) => ({
  revision: 0,
  type: event.type,
  occurredAt,
  recordedAt,
  actor: { id: 'ivanova', name: 'Иванова А.А.' },
  data: event.data,
});

describe('history in Russian words', () => {
  it('says when (in the administration zone), who and what, with the data that matters', () => {
    const line = describeHistoryEntry(entry(registered()), TZ);
    expect(line).toMatchObject({ when: '01.03.2018 10:00', recorded: null, who: 'Иванова А.А.' });
    expect(line.what).toBe('Обращение зарегистрировано');
    expect(line.details).toEqual([
      'Рег. № П/1 от 01.03.2018, поступило 01.03.2018',
      'Письменное, жалоба; непосредственно от заявителя',
      'Заявители: Петров П.П.',
      'Вопросы: 0005.0005.0056.1149, 0003.0009.0099.0742',
      'Срок: 30.03.2018',
    ]);
  });

  it('names the executor, the new due date, the results per question and the reason', () => {
    expect(describeHistoryEntry(entry(assigned()), TZ)).toMatchObject({
      what: 'Назначен исполнитель',
      details: ['Исполнитель: Иванова А.А., ЖКХ'],
    });
    expect(describeHistoryEntry(entry(extended()), TZ).what).toBe('Срок продлён');
    expect(describeHistoryEntry(entry(extended()), TZ).details[0]).toMatch(
      /^На \d+ дн\.: срок \d\d\.\d\d\.\d{4} → \d\d\.\d\d\.\d{4}$/,
    );
    expect(describeHistoryEntry(entry(finalAnswered()), TZ).details).toEqual([
      'Отправлен 28.03.2018: ответ по существу',
      '0005.0005.0056.1149: Поддержано, меры приняты',
      '0003.0009.0099.0742: Разъяснено',
    ]);
    expect(describeHistoryEntry(entry(returnedForRework()), TZ)).toMatchObject({
      what: 'Ответ возвращён на доработку',
      details: ['Причина: ответ не по существу'],
    });
    expect(describeHistoryEntry(entry(reminderIssued()), TZ).what).toBe('Напоминание о сроке');
  });

  it('says what additional materials the applicant presented, when, and how many sheets (art. 5 п.1)', () => {
    expect(describeHistoryEntry(entry(applicantMaterialsReceived()), TZ)).toMatchObject({
      what: 'Заявитель представил дополнительные материалы',
      details: ['Получены 14.03.2018, 4 л.', 'копия договора управления, фотографии подъезда'],
    });
    expect(describeHistoryEntry(entry(applicantMaterialsReceived({ pages: undefined })), TZ).details[0]).toBe(
      'Получены 14.03.2018',
    );
  });

  it('shows when a backdated fact was written down, and an erased applicant as erased', () => {
    const line = describeHistoryEntry(
      entry(
        registered({ applicants: [{ applicantId: 'p', erased: true }] }),
        '2018-03-01T03:00:00Z',
        '2018-03-05T03:00:00Z',
      ),
      TZ,
    );
    expect(line.recorded).toBe('05.03.2018 10:00');
    expect(line.details).toContain('Заявители: данные удалены');
  });

  it('keeps an unknown event type readable instead of failing', () => {
    expect(describeHistoryEntry({ ...entry(registered()), type: 'SomethingNew' }, TZ)).toMatchObject({
      what: 'SomethingNew',
      details: [],
    });
  });
});
