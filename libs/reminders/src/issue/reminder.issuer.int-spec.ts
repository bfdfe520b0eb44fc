import { appealStreamId } from '@appeal-ledger/appeal';
import {
  assigned,
  extended,
  finalAnswered,
  registered,
  reportedToSource,
  testRules,
} from '@appeal-ledger/appeal/testing';
import { PostgresEventStore } from '@appeal-ledger/event-store';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { reminderId } from '../schedule/reminder.schedule';
import { appendAppealEvents, StreamAppealAccess } from '../testing';
import { ReminderIssuer } from './reminder.issuer';

// The fixture appeal: registered 1 March 2018, due Fri 30 March.
const APPEAL = 'a-0001';
const ISSUED_AT = '2018-03-27T02:00:00.000Z'; // 09:00 in Novokuznetsk

describe('ReminderIssuer on PostgreSQL', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase('reminder_issuer');
    pool = new Pool({ connectionString: db.url, max: 6 });
    store = new PostgresEventStore(pool);
    await store.migrate();
  });

  afterAll(async () => {
    await store.close();
    await pool.end();
    await db.drop();
  });

  const issuer = (access: StreamAppealAccess) =>
    new ReminderIssuer({ access, rules: testRules, daysBefore: 3, schemaVersion: 1 });

  async function seed(appealId: string, ...more: Parameters<typeof appendAppealEvents>[2]): Promise<void> {
    await appendAppealEvents(store, appealId, [registered({ appealId }), assigned(), ...more]);
  }

  const reminderEvents = async (appealId: string) =>
    (await store.readStream(appealStreamId(appealId))).filter((e) => e.type === 'DeadlineReminderIssued');

  it('records a race between two instances once: both decided on the same state, the store keeps one', async () => {
    const appealId = `${APPEAL}-race`;
    await seed(appealId);
    const [left, right] = [new StreamAppealAccess(store), new StreamAppealAccess(store)];
    // neither appends before both have read the stream
    let arrived = 0;
    let release: () => void = () => undefined;
    const bothLoaded = new Promise<void>((resolve) => (release = resolve));
    const barrier = async (): Promise<void> => {
      arrived += 1;
      if (arrived === 2) release();
      await bothLoaded;
    };
    left.afterLoad = barrier;
    right.afterLoad = barrier;

    const outcomes = await Promise.all([
      issuer(left).issue(appealId, '2018-03-27', ISSUED_AT),
      issuer(right).issue(appealId, '2018-03-27', ISSUED_AT),
    ]);
    const events = await reminderEvents(appealId);
    expect(events).toHaveLength(1);
    // both were answered with the one event the store kept
    expect(outcomes).toEqual([
      expect.objectContaining({ status: 'issued', position: events[0].position }),
      expect.objectContaining({ status: 'issued', position: events[0].position }),
    ]);
    expect(events[0].id).toBe(reminderId(appealId, 'due_soon', '2018-03-30'));
    expect(events[0].data).toMatchObject({
      kind: 'due_soon',
      dueDate: '2018-03-30',
      businessDate: '2018-03-27',
    });
    expect(events[0].metadata).toMatchObject({ actor: { id: 'reminder-process' }, occurredAt: ISSUED_AT });
  });

  it('works out the kind from the due date on the stream, not a stale one', async () => {
    const appealId = `${APPEAL}-extended`;
    // extended by 10 days: due Tue 10 April instead of Fri 30 March
    await seed(
      appealId,
      extended({
        days: 10,
        nominalDueDate: '2018-04-10',
        dueDate: '2018-04-10',
        previousDueDate: '2018-03-30',
      }),
    );
    const outcome = await issuer(new StreamAppealAccess(store)).issue(
      appealId,
      '2018-04-02',
      '2018-04-02T02:00:00.000Z',
    );
    expect(outcome).toEqual({ status: 'not_applicable' });
    const soon = await issuer(new StreamAppealAccess(store)).issue(
      appealId,
      '2018-04-05',
      '2018-04-05T02:00:00.000Z',
    );
    expect(soon).toMatchObject({ status: 'issued', kind: 'due_soon', dueDate: '2018-04-10' });
  });

  it('issues nothing after a final answer, and nothing for an unknown appeal', async () => {
    const appealId = `${APPEAL}-answered`;
    await seed(appealId, finalAnswered());
    expect(
      await issuer(new StreamAppealAccess(store)).issue(appealId, '2018-04-02', '2018-04-02T02:00:00.000Z'),
    ).toEqual({
      status: 'not_applicable',
    });
    expect(
      await issuer(new StreamAppealAccess(store)).issue('nobody', '2018-04-02', '2018-04-02T02:00:00.000Z'),
    ).toEqual({
      status: 'not_found',
    });
    expect(await reminderEvents(appealId)).toEqual([]);
  });

  it('report_back: reminds an answered appeal of the report owed to the sending body, until it is recorded', async () => {
    const appealId = `${APPEAL}-report-back`;
    await appendAppealEvents(store, appealId, [
      registered({
        appealId,
        source: { type: 'other_body', name: 'Прокуратура', reportBackBy: '2018-04-02' },
      }),
      assigned(),
      finalAnswered(),
    ]);
    const access = new StreamAppealAccess(store);
    // the term is no longer reminded of once answered
    expect(await issuer(access).issue(appealId, '2018-04-03', '2018-04-03T02:00:00.000Z')).toEqual({
      status: 'not_applicable',
    });
    const outcome = await issuer(access).issue(
      appealId,
      '2018-04-03',
      '2018-04-03T02:00:00.000Z',
      'report_back',
    );
    expect(outcome).toMatchObject({ status: 'issued', kind: 'report_back_overdue', dueDate: '2018-04-02' });
    const events = await reminderEvents(appealId);
    expect(events).toHaveLength(1);
    expect(events[0].id).toBe(reminderId(appealId, 'report_back_overdue', '2018-04-02'));
    expect(events[0].data).toMatchObject({ kind: 'report_back_overdue', dueDate: '2018-04-02' });
    await appendAppealEvents(store, appealId, [reportedToSource()]);
    expect(
      await issuer(new StreamAppealAccess(store)).issue(
        appealId,
        '2018-04-04',
        '2018-04-04T02:00:00.000Z',
        'report_back',
      ),
    ).toEqual({ status: 'not_applicable' });
  });

  it('retries a pass after a restart without a second event', async () => {
    const appealId = `${APPEAL}-again`;
    await seed(appealId);
    const first = await issuer(new StreamAppealAccess(store)).issue(
      appealId,
      '2018-04-02',
      '2018-04-02T02:00:00.000Z',
    );
    const again = await issuer(new StreamAppealAccess(store)).issue(
      appealId,
      '2018-04-03',
      '2018-04-03T02:00:00.000Z',
    );
    expect(first).toMatchObject({ status: 'issued', kind: 'overdue' });
    expect(again).toMatchObject({
      status: 'already_issued',
      kind: 'overdue',
      reminderId: first.status === 'issued' ? first.reminderId : '',
    });
    expect(await reminderEvents(appealId)).toHaveLength(1);
  });
});
