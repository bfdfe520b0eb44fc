import { hasFreeText, mapFreeText } from './free-text';

describe('free text of events', () => {
  it('seals the notice text of an appeal left without answer (nested), and nothing else of it', async () => {
    expect(hasFreeText('AppealLeftWithoutAnswer')).toBe(true);
    const data = {
      ground: 'unclear_essence',
      decidedAt: '2018-03-12T10:00:00+07:00',
      notice: { sentAt: '2018-03-12T10:00:00+07:00', text: 'паспорт 3201 123456' },
      link: 'https://adm.example.ru/faq/1',
    };
    const sealed = await mapFreeText('AppealLeftWithoutAnswer', data, (texts) =>
      Promise.resolve(texts.map((t) => `sealed(${t})`)),
    );
    expect(sealed).toEqual({
      ...data,
      notice: { sentAt: '2018-03-12T10:00:00+07:00', text: 'sealed(паспорт 3201 123456)' },
    });
    const without = { ground: 'anonymous', decidedAt: '2018-03-12T10:00:00+07:00' };
    expect(
      await mapFreeText('AppealLeftWithoutAnswer', without, () => Promise.reject(new Error('no text'))),
    ).toEqual(without);
  });
});
