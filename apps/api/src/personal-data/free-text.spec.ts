import type { JsonObject } from '@appeal-ledger/event-store';
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

describe('free-text paths (the domain’s EVENT_FREE_TEXT)', () => {
  const mark = (texts: string[]): Promise<string[]> => Promise.resolve(texts.map((t) => `sealed(${t})`));

  it('seals the appeal’s summary and each question’s summary, in one call, leaving the rest', async () => {
    const calls: string[][] = [];
    const data: JsonObject = {
      number: 'Ж-1',
      summary: 'о ремонте',
      questions: [{ code: '1', summary: 'крыша' }, { code: '2' }, { code: '3', summary: 'подъезд' }],
    };
    const sealed = await mapFreeText('AppealRegistered', data, (texts) => {
      calls.push(texts);
      return mark(texts);
    });
    expect(calls).toEqual([['о ремонте', 'крыша', 'подъезд']]);
    expect(sealed).toEqual({
      number: 'Ж-1',
      summary: 'sealed(о ремонте)',
      questions: [
        { code: '1', summary: 'sealed(крыша)' },
        { code: '2' },
        { code: '3', summary: 'sealed(подъезд)' },
      ],
    });
    expect((data.questions as JsonObject[])[0]).toEqual({ code: '1', summary: 'крыша' });
  });

  it('seals a top-level and a nested field of one event (grounds, notice.text)', async () => {
    const data = { grounds: 'повторяет', notice: { sentAt: 'x', text: 'сообщено' }, questionCodes: ['1'] };
    expect(await mapFreeText('CorrespondenceTerminated', data, mark)).toEqual({
      grounds: 'sealed(повторяет)',
      notice: { sentAt: 'x', text: 'sealed(сообщено)' },
      questionCodes: ['1'],
    });
  });

  it('keeps the events that hold no free text, and types it does not know', async () => {
    expect(hasFreeText('DocumentsRequested')).toBe(false);
    expect(hasFreeText('NoSuchEvent')).toBe(false);
    expect(hasFreeText('toString')).toBe(false);
    const data = { requestId: 'r', to: 'МВД' };
    expect(await mapFreeText('DocumentsRequested', data, () => Promise.reject(new Error('no text')))).toBe(
      data,
    );
  });

  it('seals what it sealed before the list moved into the domain', () => {
    for (const type of [
      'AppealRegistered',
      'ExecutorAssigned',
      'ExecutorReassigned',
      'DeadlineExtended',
      'InterimAnswerSent',
      'FinalAnswerSent',
      'AnswerReturnedForRework',
      'AppealWithdrawn',
      'CorrespondenceTerminated',
      'ResolutionRecorded',
      'ContributionRecorded',
      'AppealLeftWithoutAnswer',
    ])
      expect([type, hasFreeText(type)]).toEqual([type, true]);
  });
});
