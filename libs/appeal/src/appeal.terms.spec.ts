/**
 * The terms of 59-FZ the decider enforces since the law pass (issue 14, items 1, 2, 5, 6): no
 * extension after the term expired (art. 12 ч.2) and who decided it; a per-appeal term only shorter than
 * the law's 30 days, with its norm (art. 12 ч.1, ч.1.1); the registration term of art. 8 ч.2; the
 * electronic routes of art. 4 п.1 by receipt date (547-FZ). Old events fold unchanged.
 */
import { isRegistered, rehydrate } from './appeal.decider';
import { appealRules } from './appeal.rules';
import { toAppealView } from './appeal.view';
import { registeredLateOf, registrationDueDate } from './registration-term';
import {
  HEAD,
  assigned,
  extendDeadline,
  extended,
  given,
  legacyRegistered,
  registerAppeal,
  registered,
  testRules,
} from './testing';

const view = (events: Parameters<typeof rehydrate>[0]) => {
  const state = rehydrate(events);
  if (!isRegistered(state)) throw new Error('not registered');
  return toAppealView(state);
};

describe('extension (59-FZ art. 12 ч.2)', () => {
  // registered 2018-03-01: due Friday 2018-03-30 (31 March is a Saturday)
  it('is accepted on the last day of the term and records who decided and the notice', () => {
    given([registered(), assigned()])
      .when(
        extendDeadline({
          days: 10,
          extendedAt: '2018-03-30T17:00:00+07:00',
          applicantNotifiedAt: '2018-03-30T17:30:00+07:00',
        }),
      )
      .then([
        extended({
          extendedAt: '2018-03-30T17:00:00+07:00',
          applicantNotifiedAt: '2018-03-30T17:30:00+07:00',
          decidedBy: HEAD,
        }),
      ]);
  });

  it('is refused as term_expired the day after the term ended, and nothing changes', () => {
    const refusal = given([registered(), assigned()])
      .when(extendDeadline({ extendedAt: '2018-03-31T09:00:00+07:00' }))
      .thenRefused({ reason: 'term_expired', dueDate: '2018-03-30', on: '2018-03-31' });
    expect(refusal.message).toMatch(/art\. 12/);
  });

  it('judges the local date: 23:30 UTC of the due date is already the next day in Novokuznetsk', () => {
    given([registered()])
      .when(extendDeadline({ extendedAt: '2018-03-30T17:30:00Z' }))
      .thenRefused({ reason: 'term_expired', on: '2018-03-31' });
  });

  it('counts from the due date in force: a second extension within the extended term is accepted', () => {
    given([registered(), extended()])
      .when(extendDeadline({ days: 5, extendedAt: '2018-04-09T10:00:00+07:00' }))
      .then([
        extended({
          days: 5,
          extendedAt: '2018-04-09T10:00:00+07:00',
          previousDueDate: '2018-04-10',
          nominalDueDate: '2018-04-15',
          dueDate: '2018-04-13',
          totalExtensionDays: 15,
        }),
      ]);
    given([registered(), extended()])
      .when(extendDeadline({ days: 5, extendedAt: '2018-04-11T10:00:00+07:00' }))
      .thenRefused({ reason: 'term_expired', dueDate: '2018-04-10' });
  });

  it.each([
    ['missing', undefined, 'decidedBy'],
    ['without a position', { name: 'Глава района' }, 'decidedBy.position'],
    ['with an empty name', { name: ' ', position: 'глава' }, 'decidedBy.name'],
  ])('requires decidedBy: %s is invalid', (_what, decidedBy, field) => {
    const refusal = given([registered()])
      .when(extendDeadline({ decidedBy: decidedBy as typeof HEAD }))
      .thenRefused({ reason: 'invalid' });
    expect(refusal.reason === 'invalid' && refusal.errors.map((e) => e.field)).toContain(field);
  });

  it('takes the notice as a local date too, and refuses one before registration', () => {
    given([registered()])
      .when(extendDeadline({ applicantNotifiedAt: '2018-03-21' }))
      .then([extended({ applicantNotifiedAt: '2018-03-21' })]);
    const refusal = given([registered()])
      .when(extendDeadline({ applicantNotifiedAt: '2018-02-28' }))
      .thenRefused({ reason: 'invalid' });
    expect(refusal.message).toMatch(/applicantNotifiedAt: is before the registration date 2018-03-01/);
  });

  it('refuses a notice before registration', () => {
    const refusal = given([registered()])
      .when(extendDeadline({ applicantNotifiedAt: '2018-02-01T10:00:00+07:00' }))
      .thenRefused({ reason: 'invalid' });
    expect(refusal.reason === 'invalid' && refusal.errors.map((e) => e.field)).toEqual([
      'applicantNotifiedAt',
    ]);
  });

  it('folds an extension recorded before the law pass (no decidedBy, after the due date) unchanged', () => {
    const { decidedBy: _d, ...old } = extended({ extendedAt: '2018-04-02T10:00:00+07:00' }).data;
    const v = view([registered(), { type: 'DeadlineExtended', data: old }]);
    expect(v).toMatchObject({ dueDate: '2018-04-10', extended: true, totalExtensionDays: 10 });
  });
});

describe('term of consideration (59-FZ art. 12 ч.1, ч.1.1)', () => {
  it('takes a shorter term with its basis, to the day', () => {
    // registered 2018-03-01 + 20 = 2018-03-21, a Wednesday
    const state = given([])
      .when(registerAppeal({ termDays: 20, termBasis: '59-ФЗ ст. 12 ч. 1.1' }))
      .then([
        registered({
          termDays: 20,
          termBasis: '59-ФЗ ст. 12 ч. 1.1',
          nominalDueDate: '2018-03-21',
          dueDate: '2018-03-21',
        }),
      ]);
    expect(isRegistered(state) && toAppealView(state)).toMatchObject({
      termDays: 20,
      termBasis: '59-ФЗ ст. 12 ч. 1.1',
      dueDate: '2018-03-21',
    });
  });

  it.each([
    ['longer than the law', { termDays: 31, termBasis: 'закон области' }, 'termDays'],
    ['the old 90-day profile', { termDays: 90, termBasis: 'закон области' }, 'termDays'],
    ['a term without its basis', { termDays: 20 }, 'termBasis'],
    ['a basis without a term', { termBasis: 'закон области' }, 'termBasis'],
    ['an empty basis', { termDays: 20, termBasis: '' }, 'termBasis'],
  ])('refuses %s', (_what, data, field) => {
    const refusal = given([]).when(registerAppeal(data)).thenRefused({ reason: 'invalid' });
    expect(refusal.reason === 'invalid' && refusal.errors.map((e) => e.field)).toContain(field);
  });

  it('accepts 30 days with a basis (e.g. a regional law restating it)', () => {
    given([])
      .when(registerAppeal({ termDays: 30, termBasis: '59-ФЗ ст. 12 ч. 1' }))
      .then([registered({ termBasis: '59-ФЗ ст. 12 ч. 1' })]);
  });

  it('rules refuse a default term above the law', () => {
    expect(() => appealRules({ termDays: 31 })).toThrow(/termDays: must be a whole number from 1 to 30/);
    expect(appealRules({ termDays: 20 }).termDays).toBe(20);
  });
});

describe('registration term (59-FZ art. 8 ч.2: 3 calendar days from receipt)', () => {
  it.each([
    // receivedAt, registeredAt, registrationDueDate, late
    ['2018-04-02', '2018-04-05', '2018-04-05', false], // Monday → Thursday: the third day
    ['2018-04-02', '2018-04-06', '2018-04-05', true], // the fourth day
    ['2018-04-05', '2018-04-09', '2018-04-09', false], // third day Sunday 8 April → Monday
    ['2018-04-05', '2018-04-10', '2018-04-09', true],
    ['2018-03-05', '2018-03-12', '2018-03-12', false], // third day 8 March (holiday), 9–11 March off
    ['2018-03-05', '2018-03-05', '2018-03-12', false],
  ])('received %s, registered %s: due %s, late %s', (receivedAt, registeredAt, due, late) => {
    expect(registrationDueDate(receivedAt, testRules.calendar)).toBe(due);
    const decision = given([]).when(registerAppeal({ receivedAt, registeredAt })).decision;
    const [event] = decision.ok ? decision.events : [];
    expect(event?.type === 'AppealRegistered' && event.data).toMatchObject({
      receivedAt,
      registeredAt,
      registrationDueDate: due,
      registeredLate: late,
    });
  });

  it('shows registeredLate on the summary', () => {
    expect(view([registered({ receivedAt: '2018-02-20', registeredAt: '2018-03-01' })]).registeredLate).toBe(
      true,
    );
    expect(view([registered()]).registeredLate).toBe(false);
  });

  it('judges an event recorded before the flag by plain calendar days', () => {
    expect(
      view([legacyRegistered({ receivedAt: '2018-02-25', registeredAt: '2018-02-28' })]).registeredLate,
    ).toBe(false);
    expect(
      view([legacyRegistered({ receivedAt: '2018-02-24', registeredAt: '2018-02-28' })]).registeredLate,
    ).toBe(true);
    expect(
      registeredLateOf({ receivedAt: '2018-03-01', registeredAt: '2018-03-09', registeredLate: false }),
    ).toBe(false);
  });
});

describe('electronic routes (59-FZ art. 4 п.1 as amended by 547-FZ, in force 2025-03-30)', () => {
  const electronic = (receivedAt: string, electronicRoute: 'epgu' | 'email' | 'official_site') =>
    registerAppeal({ channel: 'electronic', receivedAt, registeredAt: receivedAt, electronicRoute });

  it('accepts an e-mail received up to 29 March 2025', () => {
    const decision = given([]).when(electronic('2025-03-28', 'email')).decision;
    expect(
      decision.ok && decision.events[0]?.type === 'AppealRegistered' && decision.events[0].data,
    ).toMatchObject({ channel: 'electronic', form: 'electronic', electronicRoute: 'email' });
  });

  it('refuses an e-mail received from 30 March 2025 as not an appeal in electronic form', () => {
    const refusal = given([]).when(electronic('2025-03-31', 'email')).thenRefused({ reason: 'invalid' });
    expect(refusal.message).toMatch(/electronicRoute: .*547-FZ/);
  });

  it('accepts the Gosuslugi portal and the official site after 30 March 2025', () => {
    expect(given([]).when(electronic('2025-03-31', 'epgu')).decision.ok).toBe(true);
    expect(given([]).when(electronic('2025-03-30', 'official_site')).decision.ok).toBe(true);
  });

  it('refuses a route on a channel that is not electronic', () => {
    const refusal = given([])
      .when(registerAppeal({ channel: 'written', electronicRoute: 'epgu' }))
      .thenRefused({ reason: 'invalid' });
    expect(refusal.message).toMatch(/electronicRoute: only for channel electronic/);
  });
});
