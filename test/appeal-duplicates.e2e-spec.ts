/**
 * A duplicate is answered once with its original (issue 15, decision 0008), over HTTP: confirmed, it
 * leaves control joined to its original and gets no reminders; when the original is closed, the
 * duplicate process records it answered with the original's answer (date, outgoing number) and
 * closes it — also when the confirmation comes after the original was closed; a replay of the
 * process records nothing twice; the annual summary counts it only under «дубликаты» (a repeat once as
 * an appeal and a repeat), and rebuilding the read models gives the same rows and counts.
 */
import { Client } from 'pg';
import { ReminderRuntime } from '../apps/api/src/reminders/reminder-runtime.service';
import { DuplicateProcess } from '../apps/api/src/duplicates/duplicate-process.service';
import {
  actors,
  assignBody,
  command,
  done,
  expectProblem,
  finalAnswerBody,
  getAppeal,
  history,
  HOUSING,
  ManualClock,
  registration,
  register,
  type Actors,
  type AppealSummary,
} from './support/appeals';
import { http, startTestEngine, type TestEngine } from './support/test-engine';

type Summary = AppealSummary & {
  onControl: boolean;
  closedReason: string | null;
  duplicateOf?: string;
  joinedTo?: string;
  answeredWithOriginal: {
    originalAppealId: string;
    originalNumber: string;
    outcome: string;
    closedAt: string;
    answer: { sentAt: string; outgoingNumber: string | null; outgoingDate: string | null } | null;
  } | null;
  questions: { code: string; result: string }[];
};
interface ControlRow {
  id: string;
  number: string;
  onControl: boolean;
  state: string;
}
interface AnnualSummary {
  appeals: { total: { current: number }; repeat: { current: number } };
  duplicates: { current: number };
}

const PERSON = {
  name: 'Кузьмина Ольга Петровна',
  address: 'с. Сосновка, ул. Лесная, д. 8',
  phone: '+7 905 111-22-33',
};
const DOCUMENT = {
  outgoingNumber: '01-12/901',
  outgoingDate: '2018-06-20',
  signedBy: { name: 'Кузнецов К.К.', position: 'глава района' },
  delivery: 'post',
};

describe('a duplicate answered once with its original', () => {
  let t: TestEngine;
  let who: Actors;
  let process: DuplicateProcess;
  const clock = new ManualClock(new Date('2018-07-10T10:00:00+07:00'));

  beforeAll(async () => {
    t = await startTestEngine({ clock });
    who = actors(t);
    process = t.engine.app.get(DuplicateProcess);
  });

  afterAll(async () => {
    await t.stop();
  });

  const registerAs = async (
    body: ReturnType<typeof registration>,
  ): Promise<Summary & { related?: { appealId: string; proposed: string }[] }> => {
    const res = await register(t, who.registrar, body);
    expect(res.status).toBe(201);
    return res.body as Summary & { related?: { appealId: string; proposed: string }[] };
  };
  const read = async (id: string): Promise<Summary> => {
    const res = await getAppeal(t, who.supervisor, id);
    expect(res.status).toBe(200);
    return res.body as Summary;
  };
  const decide = (id: string, verb: 'confirm' | 'reject', body: unknown, token = who.registrar) =>
    http<Summary>(t.url, 'POST', `/appeals/${id}/related/${verb}`, { token, body });
  const control = async (position: number, query = ''): Promise<ControlRow[]> => {
    const res = await http<{ rows: ControlRow[] }>(
      t.url,
      'GET',
      `/control?minPosition=${position}&limit=500${query}`,
      { token: who.supervisor },
    );
    expect(res.status).toBe(200);
    return res.body.rows;
  };
  const annual = async (position: number): Promise<AnnualSummary> => {
    const res = await http<AnnualSummary>(t.url, 'GET', `/reports/annual?year=2018&minPosition=${position}`, {
      token: who.controller,
    });
    expect(res.status).toBe(200);
    return res.body;
  };
  /** Waits until the duplicate process has handled the event at `position` (a fact, not a sleep). */
  const processed = async (position: number): Promise<void> => {
    expect(await process.waitForPosition(position, 10_000)).toBe(true);
  };

  it('leaves control joined, gets no reminders, and is answered when the original is closed', async () => {
    const original = await registerAs(
      registration({ applicants: [PERSON], registeredAt: '2018-06-01', receivedAt: '2018-06-01' }),
    );
    const copy = await registerAs(
      registration({
        applicants: [{ ...PERSON, name: 'КУЗЬМИНА О.П.', phone: '89051112233' }],
        registeredAt: '2018-06-04',
        receivedAt: '2018-06-04',
        source: { type: 'regional_administration', name: 'Администрация Кемеровской области' },
      }),
    );
    const before = await annual(copy.position);

    // refusals change nothing: a bad kind, a wrong role
    expectProblem(await decide(copy.id, 'confirm', { relatedAppealId: original.id, kind: 'copy' }), 400);
    expectProblem(
      await decide(
        copy.id,
        'confirm',
        { relatedAppealId: original.id, kind: 'duplicate' },
        who.executor('sidorov'),
      ),
      403,
    );
    expect((await read(copy.id)).onControl).toBe(true);

    const confirmed = await decide(copy.id, 'confirm', {
      relatedAppealId: original.id,
      kind: 'duplicate',
      decidedAt: '2018-06-04',
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({
      duplicateOf: original.id,
      joinedTo: original.id,
      onControl: false,
      state: 'registered',
      answeredWithOriginal: null,
    });
    // off the control board (on it: the original), listed among those off control
    const rows = await control(confirmed.body.position, '&onControl=true');
    expect(rows.map((r) => r.id)).toContain(original.id);
    expect(rows.map((r) => r.id)).not.toContain(copy.id);
    expect(await control(confirmed.body.position, '&onControl=false')).toContainEqual(
      expect.objectContaining({ id: copy.id, onControl: false, state: 'registered' }),
    );
    // the summary counts it only as a duplicate
    const joined = await annual(confirmed.body.position);
    expect(joined.appeals.total.current).toBe(before.appeals.total.current - 1);
    expect(joined.duplicates.current).toBe(before.duplicates.current + 1);

    // a reminder pass on 10 July: the original is overdue and reminded of, the joined duplicate is not
    const pass = await t.engine.app.get(ReminderRuntime).runPass({ minPosition: confirmed.body.position });
    const reminded = pass.issued.map((i) => i.appealId);
    expect(reminded).toContain(original.id);
    expect(reminded).not.toContain(copy.id);
    expect((await read(copy.id)).revision).toBe(confirmed.body.revision);

    // the original is answered (the duplicate waits: the answer may still be returned for rework)…
    await done(
      command(t, who.controller, original.id, 'assignment', assignBody(undefined, undefined, '2018-06-02')),
    );
    const answered = await done(
      command(t, who.executor('sidorov'), original.id, 'final-answer', {
        ...finalAnswerBody([HOUSING], '2018-06-20'),
        ...DOCUMENT,
      }),
    );
    await processed(confirmed.body.position);
    expect((await read(copy.id)).state).toBe('registered');
    expect(answered.state).toBe('final_answered');

    // …and removed from control: the duplicate is answered with it and closed
    const closed = await done(command(t, who.controller, original.id, 'closure', { closedAt: '2018-06-25' }));
    await processed(closed.position);
    const copyNow = await read(copy.id);
    expect(copyNow).toMatchObject({
      state: 'closed',
      onControl: false,
      closedReason: 'answered_with_original',
      duplicateOf: original.id,
      answeredWithOriginal: {
        originalAppealId: original.id,
        originalNumber: original.number,
        outcome: 'answered',
        answer: {
          sentAt: expect.stringMatching(/^2018-06-20T/) as unknown,
          outgoingNumber: '01-12/901',
          outgoingDate: '2018-06-20',
        },
      },
    });
    expect(copyNow).not.toHaveProperty('joinedTo');
    expect(copyNow.questions.every((q) => q.result === 'answered')).toBe(true);
    const lines = (await history(t, who.supervisor, copy.id)).body;
    expect(lines.at(-1)).toMatchObject({
      type: 'AnsweredWithOriginal',
      actor: { id: 'duplicate-process' },
    });
    // the count did not change with the answer: still one duplicate, not an appeal
    const after = await annual(copyNow.position);
    expect(after.duplicates.current).toBe(joined.duplicates.current);
    expect(after.appeals.total.current).toBe(joined.appeals.total.current);

    // a registrar can no longer undo it: the duplicate is closed
    expectProblem(
      await decide(copy.id, 'reject', {
        relatedAppealId: original.id,
        kind: 'duplicate',
        decidedAt: '2018-07-01',
      }),
      409,
    );

    // a second copy confirmed only after the original was closed is answered at once
    const late = await registerAs(
      registration({
        applicants: [{ ...PERSON, name: 'О. П. Кузьмина' }],
        registeredAt: '2018-06-05',
        receivedAt: '2018-06-05',
        source: { type: 'presidential_administration', name: 'Администрация Президента РФ' },
      }),
    );
    const lateConfirmed = await decide(late.id, 'confirm', {
      relatedAppealId: original.id,
      kind: 'duplicate',
      decidedAt: '2018-07-02',
    });
    expect(lateConfirmed.body).toMatchObject({ joinedTo: original.id, onControl: false });
    await processed(lateConfirmed.body.position);
    expect(await read(late.id)).toMatchObject({
      state: 'closed',
      closedReason: 'answered_with_original',
      answeredWithOriginal: { originalNumber: original.number, outcome: 'answered' },
    });

    // a repeat later in the year counts once as an appeal and a repeat; the duplicates stay apart
    const again = await registerAs(
      registration({ applicants: [PERSON], registeredAt: '2018-07-09', receivedAt: '2018-07-09' }),
    );
    expect(again.related?.find((r) => r.appealId === original.id)?.proposed).toBe('repeat');
    const repeat = await decide(again.id, 'confirm', {
      relatedAppealId: original.id,
      kind: 'repeat',
      decidedAt: '2018-07-09',
    });
    expect(repeat.body).toMatchObject({ repeat: true, repeatOf: original.id, onControl: true });
    const year = await annual(repeat.body.position);
    expect(year.duplicates.current).toBe(before.duplicates.current + 2);
    // the copy left the count, the late copy never entered it, the repeat did
    expect(year.appeals.total.current).toBe(before.appeals.total.current - 1 + 1);
    expect(year.appeals.repeat.current).toBe(before.appeals.repeat.current + 1);

    // the process replayed from its first event records nothing twice
    const revisions = [(await read(copy.id)).revision, (await read(late.id)).revision];
    const db = new Client({ connectionString: t.database.url });
    await db.connect();
    try {
      await process.consumer.stop();
      // forget what this instance last committed: the restarted consumer reports from its checkpoint 0 on
      process.consumer.position = null;
      await db.query(
        `UPDATE reminder_delivery_checkpoints SET position = 0 WHERE consumer = 'duplicate-answers'`,
      );
      process.consumer.start();
      await processed(repeat.body.position);
    } finally {
      await db.end();
    }
    expect([(await read(copy.id)).revision, (await read(late.id)).revision]).toEqual(revisions);

    // every read model rebuilt from the events gives the same board and counts
    const board = await control(repeat.body.position, '&onControl=false');
    for (const name of ['control', 'journal', 'statistics', 'applicant_index'])
      expect(
        (await http(t.url, 'POST', `/admin/projections/${name}/rebuild`, { token: who.admin })).status,
      ).toBe(200);
    expect(await control(repeat.body.position, '&onControl=false')).toEqual(board);
    expect(await annual(repeat.body.position)).toEqual(year);
  });

  it('a rejected duplicate is back on control and is not answered with the original', async () => {
    const original = await registerAs(
      registration({ applicants: [PERSON], registeredAt: '2018-06-11', receivedAt: '2018-06-11' }),
    );
    const copy = await registerAs(
      registration({ applicants: [PERSON], registeredAt: '2018-06-12', receivedAt: '2018-06-12' }),
    );
    await done(
      decide(copy.id, 'confirm', {
        relatedAppealId: original.id,
        kind: 'duplicate',
        decidedAt: '2018-06-12',
      }),
    );
    const rejected = await done(
      decide(copy.id, 'reject', { relatedAppealId: original.id, kind: 'duplicate', decidedAt: '2018-06-13' }),
    );
    expect(rejected).toMatchObject({ onControl: true });
    expect(rejected).not.toHaveProperty('joinedTo');
    expect((await control(rejected.position, '&onControl=true')).map((r) => r.id)).toContain(copy.id);
    const withdrawn = await done(
      command(t, who.registrar, original.id, 'withdrawal', { withdrawnAt: '2018-06-15' }),
    );
    await processed(withdrawn.position);
    expect(await read(copy.id)).toMatchObject({
      state: 'registered',
      onControl: true,
      answeredWithOriginal: null,
    });
  });
});
