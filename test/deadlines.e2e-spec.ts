/**
 * Consideration terms through the API (docs/domain.md "Counting deadlines"): 30 calendar days from
 * registration, moved off days off by the production calendar with the configured rule, extensions
 * added to the nominal end, and the `late` flag of a final answer.
 *
 * Dates come from libs/appeal/reference/production-calendar-ru-2015-2027.json: 2018-05-09 and
 * 2018-01-01…08 are holidays, 2018-04-28 is a working Saturday, 2018-03-31 a plain Saturday.
 */
import {
  actors,
  assignBody,
  command,
  done,
  EXECUTOR,
  finalAnswerBody,
  registered,
  registration,
  type Actors,
  type AppealSummary,
  EXTENSION_DECISION,
} from './support/appeals';
import { startTestEngine, type TestEngine } from './support/test-engine';

const on = (registeredAt: string) => registration({ receivedAt: registeredAt, registeredAt });

describe('deadlines over HTTP', () => {
  let preceding: TestEngine;
  let following: TestEngine;
  let who: Actors;
  let whoF: Actors;

  beforeAll(async () => {
    // one after the other: the two cores are shared
    preceding = await startTestEngine();
    following = await startTestEngine({ env: { DEADLINE_NONWORKING_RULE: 'following' } });
    who = actors(preceding);
    whoF = actors(following);
  });
  afterAll(async () => {
    await following?.stop();
    await preceding?.stop();
  });

  describe('the day-off rule', () => {
    it.each([
      // registeredAt, nominal end, preceding, following
      ['2018-04-09', '2018-05-09 (Victory Day)', '2018-05-08', '2018-05-10'],
      ['2017-12-05', '2018-01-04 (New Year holidays)', '2017-12-29', '2018-01-09'],
      ['2018-03-01', '2018-03-31 (a Saturday)', '2018-03-30', '2018-04-02'],
      ['2018-03-29', '2018-04-28 (a working Saturday)', '2018-04-28', '2018-04-28'],
      ['2018-03-06', '2018-04-05 (a Thursday)', '2018-04-05', '2018-04-05'],
    ])(
      'registered %s → term ends %s → due %s (preceding) or %s (following)',
      async (registeredAt, _nominal, due, dueFollowing) => {
        const a = await registered(preceding, who.registrar, on(registeredAt));
        expect(a).toMatchObject({ registeredAt, dueDate: due, extended: false });
        const b = await registered(following, whoF.registrar, on(registeredAt));
        expect(b).toMatchObject({ registeredAt, dueDate: dueFollowing, extended: false });
      },
    );
  });

  describe('extensions', () => {
    // on the registration day: within the term (59-FZ art. 12 ч.2 extends only a running term)
    const extend = (t: TestEngine, token: string, appeal: AppealSummary, days: number) =>
      done(
        command(t, token, appeal.id, 'deadline-extensions', {
          ...EXTENSION_DECISION,
          days,
          reason: 'запрошены документы',
          extendedAt: appeal.registeredAt,
        }),
      );

    it('add days to the nominal end of the term, not to the adjusted due date', async () => {
      // nominal 2018-01-04 → due 2017-12-29 (preceding). +5 days from the NOMINAL end = 2018-01-09, a
      // working Tuesday; counted from the adjusted 29 December it would land on 3 January (a holiday).
      const appeal = await registered(preceding, who.registrar, on('2017-12-05'));
      expect(appeal.dueDate).toBe('2017-12-29');

      const once = await extend(preceding, who.controller, appeal, 5);
      expect(once).toMatchObject({ dueDate: '2018-01-09', extended: true, totalExtensionDays: 5 });

      // then the rule applies again: 2018-01-09 + 25 = 2018-02-03, a Saturday → Friday 2 February
      const twice = await extend(preceding, who.controller, appeal, 25);
      expect(twice).toMatchObject({ dueDate: '2018-02-02', extended: true, totalExtensionDays: 30 });
    });

    it('keep the term moved forward under the following rule', async () => {
      // nominal 2018-05-09 → due 2018-05-10 (following); +3 = 2018-05-12, a Saturday → Monday 14 May
      const appeal = await registered(following, whoF.registrar, on('2018-04-09'));
      const extended = await extend(following, whoF.controller, appeal, 3);
      expect(extended.dueDate).toBe('2018-05-14');
    });

    it('land on a working Saturday when the nominal end is one', async () => {
      // 2018-03-06 + 30 = 2018-04-05; + 23 = 2018-04-28, a working Saturday
      const appeal = await registered(preceding, who.registrar, on('2018-03-06'));
      expect((await extend(preceding, who.controller, appeal, 23)).dueDate).toBe('2018-04-28');
    });
  });

  describe('the late flag of a final answer', () => {
    async function answeredAt(registeredAt: string, sentAt: string): Promise<AppealSummary> {
      const appeal = await registered(preceding, who.registrar, on(registeredAt));
      await done(
        command(
          preceding,
          who.controller,
          appeal.id,
          'assignment',
          assignBody(EXECUTOR, 'Отдел ЖКХ', registeredAt),
        ),
      );
      return done(
        command(
          preceding,
          who.executor(EXECUTOR.id),
          appeal.id,
          'final-answer',
          finalAnswerBody(undefined, sentAt),
        ),
      );
    }

    it('is false for an answer sent on the due date', async () => {
      const a = await answeredAt('2018-04-09', '2018-05-08');
      expect(a).toMatchObject({ dueDate: '2018-05-08', late: false, state: 'final_answered' });
    });

    it('is true for an answer sent the day after the due date, even on the nominal (holiday) end of the term', async () => {
      const a = await answeredAt('2018-04-09', '2018-05-09');
      expect(a).toMatchObject({ dueDate: '2018-05-08', late: true });
    });

    it('is judged by the local date: 20:00 UTC on the due date is already the next day in Novokuznetsk', async () => {
      const late = await answeredAt('2018-04-09', '2018-05-08T20:00:00Z');
      expect(late.late).toBe(true);
      const onTime = await answeredAt('2018-04-09', '2018-05-08T16:59:59Z');
      expect(onTime.late).toBe(false);
    });

    it('follows an extension: an answer after the original but before the extended due date is on time', async () => {
      const appeal = await registered(preceding, who.registrar, on('2018-04-09'));
      await done(
        command(
          preceding,
          who.controller,
          appeal.id,
          'assignment',
          assignBody(EXECUTOR, 'Отдел ЖКХ', '2018-04-09'),
        ),
      );
      await done(
        command(preceding, who.controller, appeal.id, 'deadline-extensions', {
          ...EXTENSION_DECISION,
          days: 7,
          reason: 'документы',
          extendedAt: '2018-04-09',
        }),
      );
      const a = await done(
        command(
          preceding,
          who.executor(EXECUTOR.id),
          appeal.id,
          'final-answer',
          finalAnswerBody(undefined, '2018-05-15'),
        ),
      );
      // 2018-05-09 + 7 = 2018-05-16 (a Wednesday)
      expect(a).toMatchObject({ dueDate: '2018-05-16', late: false });
    });
  });
});
