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
  it("seals the further control's reason (and the resolution's and a contribution's text), nothing else of them", async () => {
    const seal = (texts: string[]) => Promise.resolve(texts.map((t) => `sealed(${t})`));
    const further = { until: '2018-06-30', reason: 'диагноз заявителя', setAt: '2018-03-29T10:00:00+07:00' };
    expect(hasFreeText('FurtherControlSet')).toBe(true);
    expect(await mapFreeText('FurtherControlSet', further, seal)).toEqual({
      ...further,
      reason: 'sealed(диагноз заявителя)',
    });
    expect(hasFreeText('MeasuresCompleted')).toBe(false);
    expect(await mapFreeText('ResolutionRecorded', { text: 'поручение', decidedAt: 'x' }, seal)).toEqual({
      text: 'sealed(поручение)',
      decidedAt: 'x',
    });
    expect(await mapFreeText('ContributionRecorded', { text: 'часть', coExecutorId: 'c' }, seal)).toEqual({
      text: 'sealed(часть)',
      coExecutorId: 'c',
    });
  });
});
