/**
 * The reminder process writes to an appeal's own stream; a reminder recorded after the revision a
 * client read must not fail that client's If-Match. A user's change still does.
 */
import { ReminderRuntime } from '../apps/api/src/reminders/reminder-runtime.service';
import { startTestEngine, type TestEngine } from './support/test-engine';
import {
  actors,
  assignBody,
  command,
  done,
  expectProblem,
  getAppeal,
  history,
  ManualClock,
  registered,
  registration,
  type Actors,
  EXTENSION_DECISION,
} from './support/appeals';

describe('If-Match and reminders', () => {
  // Mon 2 April 2018: an appeal registered on 1 March (due 30 March) is overdue.
  const clock = new ManualClock(new Date('2018-04-02T10:00:00+07:00'));
  let t: TestEngine;
  let who: Actors;

  beforeAll(async () => {
    t = await startTestEngine({ clock, env: { REMINDER_TICK_MS: '3600000', RUN_REMINDERS: 'true' } });
    who = actors(t);
  });

  afterAll(async () => {
    await t.stop();
  });

  it('accepts an If-Match read before a reminder was recorded, and refuses one read before a user change', async () => {
    const appeal = await registered(
      t,
      who.registrar,
      registration({ receivedAt: '2018-03-01', registeredAt: '2018-03-01' }),
    );
    const assigned = await done(command(t, who.controller, appeal.id, 'assignment', assignBody()));
    const seen = (await getAppeal(t, who.controller, appeal.id)).headers.get('etag');
    expect(seen).toBe(`"${assigned.revision}"`);

    const pass = await t.engine.app.get(ReminderRuntime).runPass({ minPosition: assigned.position });
    expect(pass.issued.map((r) => r.appealId)).toContain(appeal.id);
    const trail = (await history(t, who.supervisor, appeal.id)).body;
    expect(trail[trail.length - 1].type).toBe('DeadlineReminderIssued');
    expect((await getAppeal(t, who.controller, appeal.id)).headers.get('etag')).toBe(
      `"${assigned.revision + 1}"`,
    );

    const extended = await command(
      t,
      who.controller,
      appeal.id,
      'deadline-extensions',
      { ...EXTENSION_DECISION, days: 5, reason: 'запрос документов' },
      { 'If-Match': seen ?? '' },
    );
    expect(extended.status).toBe(200);
    expect(extended.body.revision).toBe(assigned.revision + 2);

    const stale = await command(
      t,
      who.controller,
      appeal.id,
      'deadline-extensions',
      { ...EXTENSION_DECISION, days: 1, reason: 'ещё' },
      { 'If-Match': seen ?? '' },
    );
    const problem = expectProblem(stale, 412);
    expect(problem).toMatchObject({
      expectedRevision: assigned.revision,
      actualRevision: assigned.revision + 2,
    });
  });
});
