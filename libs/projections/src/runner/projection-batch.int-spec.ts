/**
 * `applyBatch` on PostgreSQL: the checkpoint row is taken and moved, and the progress NOTIFY queued,
 * in one statement — a live batch costs BEGIN, that statement, the savepoint around the events and
 * COMMIT — with the checkpoint rule kept: a moved checkpoint or another version refuses the batch and
 * commits nothing; the NOTIFY is sent at commit only.
 */
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { CheckpointMovedError } from '../consumer/checkpoint';
import type { Projection, SqlExecutor } from '../projection.port';
import type { RecordedEvent } from '../shared/event-store';
import { applyBatch } from './projection-batch';
import { ensureProjectionSchemas, PROGRESS_CHANNEL } from './projection-schema';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** One row per event: what it saw applied. */
class Seen implements Projection {
  readonly name = 'batch_seen';
  readonly tables = ['seen'] as const;
  constructor(readonly version = 1) {}

  createTables(schema: string): readonly string[] {
    return [`CREATE TABLE ${schema}.seen (position bigint PRIMARY KEY)`];
  }

  createIndexes(): readonly string[] {
    return [];
  }

  async handle(events: readonly RecordedEvent[], tx: SqlExecutor, schema: string): Promise<void> {
    await tx.query(`INSERT INTO ${schema}.seen SELECT unnest($1::bigint[])`, [events.map((e) => e.position)]);
  }
}

const event = (position: number): RecordedEvent =>
  ({
    id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    streamId: 'appeal-x',
    revision: position - 1,
    position,
    type: 'Noted',
    data: {},
    metadata: {},
    recordedAt: new Date(0).toISOString(),
  }) as unknown as RecordedEvent;

describe('applyBatch (PostgreSQL)', () => {
  let db: TestDatabase;
  let client: Client;
  let listener: Client;
  const schema = 'rm_batch_seen';
  const notified: string[] = [];
  const sent: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('projection_batch');
    client = new Client({ connectionString: db.url });
    await client.connect();
    await ensureProjectionSchemas(client, [new Seen()]);
    listener = new Client({ connectionString: db.url });
    await listener.connect();
    listener.on('notification', (n) => notified.push(n.payload ?? ''));
    await listener.query(`LISTEN ${PROGRESS_CHANNEL}`);
    // every statement the batch sends
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    (client as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = (...args) => {
      const [first] = args;
      sent.push(typeof first === 'string' ? first : String((first as { text?: string }).text));
      return query(...args);
    };
  });
  afterAll(async () => {
    await client.end();
    await listener.end();
    await db.drop();
  });

  const stored = async (): Promise<{ position: number; seen: number[] }> => {
    const cp = await listener.query<{ position: string }>(
      `SELECT position::text AS position FROM ${schema}.projection_checkpoint`,
    );
    const seen = await listener.query<{ position: string }>(
      `SELECT position::text AS position FROM ${schema}.seen ORDER BY position`,
    );
    return { position: Number(cp.rows[0].position), seen: seen.rows.map((r) => Number(r.position)) };
  };
  const options = { ownTransaction: true, notify: true, logger: quiet };

  it('takes and moves the checkpoint with its NOTIFY in one statement, then applies the events', async () => {
    sent.length = 0;
    expect(await applyBatch(client, new Seen(), schema, 0, [event(1), event(2), event(3)], options)).toBe(3);
    expect(sent.map((s) => s.trim().split(/\s+/)[0])).toEqual([
      'BEGIN',
      'WITH',
      'SAVEPOINT',
      'INSERT',
      'RELEASE',
      'COMMIT',
    ]);
    expect(await stored()).toEqual({ position: 3, seen: [1, 2, 3] });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(notified).toEqual(['batch_seen:3']);
  });

  it('refuses a batch when the checkpoint is not where the writer left it, committing nothing', async () => {
    notified.length = 0;
    await expect(applyBatch(client, new Seen(), schema, 2, [event(4)], options)).rejects.toEqual(
      new CheckpointMovedError(2, 3),
    );
    await expect(applyBatch(client, new Seen(2), schema, 3, [event(4)], options)).rejects.toThrow(
      /holds version 1 of projection "batch_seen"; this instance runs version 2/,
    );
    expect(await stored()).toEqual({ position: 3, seen: [1, 2, 3] });
    // and goes on from where it is
    expect(await applyBatch(client, new Seen(), schema, 3, [event(4)], options)).toBe(4);
    expect(await stored()).toEqual({ position: 4, seen: [1, 2, 3, 4] });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(notified).toEqual(['batch_seen:4']);
  });
});
