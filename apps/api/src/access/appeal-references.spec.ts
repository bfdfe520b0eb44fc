/**
 * References to other appeals (docs/access.md): an id is shown only to a reader who may read that
 * appeal now; the facts about this appeal stay. And `readsEveryAppeal` is `mayReadAppeal(…, 'summary')`
 * for any appeal, known without one.
 */
import { ROLES, type Principal, type Role } from '../auth/principal';
import { mayReadAppeal, readsEveryAppeal, type AppealAccessFacts } from './access-policy';
import {
  eventReferencedIds,
  eventWithReadableReferences,
  flagWithReadableReference,
  referencedAppealIds,
  withReadableReferences,
} from './appeal-references';

const view = {
  id: 'this',
  repeat: true,
  repeatOf: 'earlier',
  duplicateOf: 'original',
  joinedTo: 'original',
  answeredWithOriginal: {
    originalAppealId: 'original',
    originalNumber: 'П/7',
    outcome: 'answered' as const,
    closedAt: '2018-03-20T10:00:00+07:00',
    answer: null,
  },
  correspondenceTermination: {
    decidedAt: '2018-03-20T10:00:00+07:00',
    questionCodes: ['0005.0005.0056.1149'],
    earlierAppealIds: ['earlier', 'older'],
  },
};

describe('references to other appeals', () => {
  it('names every other appeal the summary refers to, once', () => {
    expect(referencedAppealIds(view).sort()).toEqual(['earlier', 'older', 'original']);
    expect(
      referencedAppealIds({
        ...view,
        repeatOf: undefined,
        duplicateOf: undefined,
        joinedTo: undefined,
        answeredWithOriginal: null,
        correspondenceTermination: null,
      }),
    ).toEqual([]);
  });

  it('keeps every reference the reader may read, and the summary unchanged', () => {
    expect(withReadableReferences(view, new Set(['earlier', 'older', 'original']))).toEqual(view);
  });

  it('leaves out the ids (and the original number) of appeals the reader may not read; the facts of this appeal stay', () => {
    const limited = withReadableReferences(view, new Set(['older']));
    expect(limited).toEqual({
      id: 'this',
      repeat: true,
      answeredWithOriginal: { outcome: 'answered', closedAt: '2018-03-20T10:00:00+07:00', answer: null },
      correspondenceTermination: { ...view.correspondenceTermination, earlierAppealIds: ['older'] },
    });
    expect(JSON.stringify(limited)).not.toMatch(/"earlier"|"original"|П\/7/);
  });

  it("an arrival flag keeps its date and questions, and names the termination's appeal only when readable", () => {
    const flag = {
      terminationAppealId: 'other',
      decidedAt: '2018-03-20',
      questionCodes: ['x'],
      matchedBy: 'index',
    };
    expect(flagWithReadableReference(flag, new Set(['other']))).toEqual(flag);
    expect(flagWithReadableReference(flag, new Set())).toEqual({
      decidedAt: '2018-03-20',
      questionCodes: ['x'],
      matchedBy: 'index',
    });
  });

  it('readsEveryAppeal is exactly "may read the summary of any appeal", for every role with and without a department', () => {
    const appeals: AppealAccessFacts[] = [
      { department: null, executorId: null },
      { department: 'Отдел ЖКХ', executorId: 'someone' },
      { department: 'Отдел образования', executorId: 'me' },
    ];
    const principals: Principal[] = [
      { id: 'me', name: 'me', roles: [] },
      ...ROLES.flatMap((role: Role) => [
        { id: 'me', name: 'me', roles: [role] },
        { id: 'me', name: 'me', roles: [role], department: 'Отдел ЖКХ' },
        { id: 'me', name: 'me', roles: [role], department: 'Организационный отдел' },
      ]),
      { id: 'me', name: 'me', roles: ['executor', 'registrar'], department: 'Отдел ЖКХ' },
      { id: 'me', name: 'me', roles: ['executor', 'controller'] },
    ];
    for (const principal of principals) {
      const every = appeals.every((facts) => mayReadAppeal(principal, facts, 'summary'));
      expect({ principal, every: readsEveryAppeal(principal) }).toEqual({ principal, every });
    }
  });
  it("the history's events name other appeals only when readable (an original's number goes with its id)", () => {
    const events: [string, Record<string, unknown>][] = [
      ['AppealRegistered', { number: 'П/9', repeatOf: 'earlier' }],
      ['RelatedAppealConfirmed', { relatedAppealId: 'earlier', kind: 'repeat', decidedAt: 'x' }],
      ['RelatedAppealRejected', { relatedAppealId: 'older', kind: 'duplicate', decidedAt: 'x' }],
      ['AnsweredWithOriginal', { originalAppealId: 'original', originalNumber: 'П/7', outcome: 'answered' }],
      ['AppealLeftWithoutAnswer', { ground: 'correspondence_terminated', terminationAppealId: 'older' }],
      ['CorrespondenceTerminated', { earlierAppealIds: ['earlier', 'older'], grounds: 'x' }],
      ['FinalAnswerSent', { summary: 'earlier' }],
    ];
    expect(events.flatMap(([type, data]) => eventReferencedIds(type, data))).toEqual([
      'earlier',
      'earlier',
      'older',
      'original',
      'older',
      'earlier',
      'older',
    ]);
    const all = new Set(['earlier', 'older', 'original']);
    for (const [type, data] of events) expect(eventWithReadableReferences(type, data, all)).toBe(data);
    const limited = events.map(([type, data]) => eventWithReadableReferences(type, data, new Set(['older'])));
    expect(limited).toEqual([
      { number: 'П/9' },
      { kind: 'repeat', decidedAt: 'x' },
      { relatedAppealId: 'older', kind: 'duplicate', decidedAt: 'x' },
      { outcome: 'answered' },
      { ground: 'correspondence_terminated', terminationAppealId: 'older' },
      { earlierAppealIds: ['older'], grounds: 'x' },
      { summary: 'earlier' }, // not a reference: free text is left alone
    ]);
  });
});
