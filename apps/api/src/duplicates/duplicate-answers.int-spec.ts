/**
 * The duplicate process's batch lookups on PostgreSQL: `prepare` reads the waiting duplicates of every
 * original a batch closes in one statement; `handle` uses each answer once and asks the table again
 * after the process changed a link itself.
 */
import {
  APPEAL_STREAM_PREFIX,
  evolve,
  initialState,
  type RegisteredAppealState,
} from '@appeal-ledger/appeal';
import { registered, withdrawn } from '@appeal-ledger/appeal/testing';
import type { RecordedEvent } from '@appeal-ledger/event-store';
import { Pool, type QueryConfig } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { DUPLICATE_LINKS_MIGRATIONS } from './duplicate-links.migrations';
import { DuplicateAnswers } from './duplicate-answers';

let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase('duplicate_answers');
  pool = new Pool({ connectionString: db.url, max: 2 });
  for (const m of DUPLICATE_LINKS_MIGRATIONS) await pool.query(m.sql);
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

/** duplicate_links holding `initial` (in that order), and every statement the process sends it. */
async function linksTable(initial: Array<{ duplicate: string; original: string }>) {
  await pool.query('TRUNCATE duplicate_links');
  for (const [i, l] of initial.entries())
    await pool.query(
      'INSERT INTO duplicate_links (duplicate_id, original_id, position) VALUES ($1, $2, $3)',
      [l.duplicate, l.original, i + 1],
    );
  const statements: string[] = [];
  const recording = {
    query: (config: string | QueryConfig, values?: unknown[]) => {
      statements.push((typeof config === 'string' ? config : config.text).replace(/\s+/g, ' ').trim());
      return pool.query(config, values);
    },
  };
  const links = async (): Promise<Array<{ duplicate: string; original: string }>> =>
    (
      await pool.query<{ duplicate: string; original: string }>(
        'SELECT duplicate_id AS duplicate, original_id AS original FROM duplicate_links ORDER BY position',
      )
    ).rows;
  return { db: recording, statements, links };
}

const open = (appealId: string): RegisteredAppealState =>
  evolve(initialState(), registered({ appealId })) as RegisteredAppealState;
const closed = (appealId: string): RegisteredAppealState =>
  evolve(open(appealId), withdrawn()) as RegisteredAppealState;

let position = 0;
const event = (appealId: string, type: string, data: Record<string, unknown> = {}): RecordedEvent => {
  position += 1;
  return {
    id: `e-${position}`,
    streamId: `${APPEAL_STREAM_PREFIX}${appealId}`,
    revision: 0,
    position,
    type,
    data,
    metadata: {},
    recordedAt: new Date(0),
  } as RecordedEvent;
};

/** `closedOriginals`: the appeals whose stream shows them closed (default: every one). */
function process(links: Awaited<ReturnType<typeof linksTable>>, closedOriginals?: ReadonlySet<string>) {
  const answered: Array<[string, string]> = [];
  const answers = new DuplicateAnswers({
    db: links.db as never,
    load: (id) => Promise.resolve(!closedOriginals || closedOriginals.has(id) ? closed(id) : open(id)),
    record: (duplicateId, command) => {
      answered.push([duplicateId, command.data.originalAppealId]);
      return Promise.resolve({ outcome: 'recorded' });
    },
    now: () => '2018-04-01T00:00:00.000Z',
    log: () => undefined,
  });
  /** delivers a batch as DeliveryConsumer does: prepare, then each event in order */
  const deliver = async (batch: RecordedEvent[]): Promise<Array<void | 'passed'>> => {
    await answers.prepare(batch);
    const outcomes: Array<void | 'passed'> = [];
    for (const e of batch) outcomes.push(await answers.handle(e));
    return outcomes;
  };
  return { answers, answered, deliver };
}

describe('DuplicateAnswers, a batch at a time (PostgreSQL)', () => {
  it('asks the table once for all the originals a batch closes, and answers the waiting duplicates', async () => {
    const links = await linksTable([{ duplicate: 'd-1', original: 'o-2' }]);
    const { answered, deliver } = process(links);
    const outcomes = await deliver([
      event('o-1', 'AppealRemovedFromControl'),
      event('o-2', 'AppealWithdrawn'),
      event('o-3', 'AppealLeftWithoutAnswer'),
      event('o-4', 'ExecutorAssigned'),
    ]);
    expect(outcomes).toEqual(['passed', undefined, 'passed', 'passed']);
    expect(answered).toEqual([['d-1', 'o-2']]);
    expect(links.statements).toEqual([
      expect.stringMatching(/^SELECT original_id, duplicate_id FROM duplicate_links WHERE original_id = ANY/),
      'DELETE FROM duplicate_links WHERE duplicate_id = $1',
    ]);
  });

  it('after a link changes within the batch, asks the table again rather than trust what it read', async () => {
    const links = await linksTable([{ duplicate: 'd-9', original: 'o-9' }]);
    const { answered, deliver } = process(links);
    await deliver([
      event('d-1', 'RelatedAppealConfirmed', { relatedAppealId: 'o-1', kind: 'duplicate' }),
      event('o-1', 'AppealRemovedFromControl'),
      event('d-9', 'RelatedAppealRejected', { relatedAppealId: 'o-9' }),
      event('o-9', 'AppealWithdrawn'),
    ]);
    // d-1 is answered when confirmed (o-1 is closed already in this fake); o-1's closing then finds
    // its link gone, and o-9's closing no longer finds the rejected d-9
    expect(answered).toEqual([['d-1', 'o-1']]);
    expect(await links.links()).toEqual([]);
  });

  it('a duplicate confirmed in the batch while its original is open is answered at the closing', async () => {
    const links = await linksTable([]);
    const closedOriginals = new Set<string>();
    const { answers, answered } = process(links, closedOriginals);
    const batch = [
      event('d-1', 'RelatedAppealConfirmed', { relatedAppealId: 'o-1', kind: 'duplicate' }),
      event('o-1', 'AppealRemovedFromControl'),
    ];
    await answers.prepare(batch); // o-1 has no duplicate yet
    await answers.handle(batch[0]); // remembered; o-1 still open
    expect(answered).toEqual([]);
    closedOriginals.add('o-1');
    await answers.handle(batch[1]);
    expect(answered).toEqual([['d-1', 'o-1']]);
  });

  it('uses what it read for an original once: a second closing in the batch asks the table', async () => {
    const links = await linksTable([]);
    const { deliver } = process(links);
    await deliver([event('o-1', 'AppealRemovedFromControl'), event('o-1', 'AppealRemovedFromControl')]);
    expect(links.statements).toEqual([
      expect.stringMatching(/^SELECT original_id, duplicate_id/),
      'SELECT duplicate_id FROM duplicate_links WHERE original_id = $1 ORDER BY position',
    ]);
  });

  it('without prepare, asks the table at every closing', async () => {
    const links = await linksTable([{ duplicate: 'd-1', original: 'o-1' }]);
    const { answers, answered } = process(links);
    expect(await answers.handle(event('o-2', 'AppealRemovedFromControl'))).toBe('passed');
    await answers.handle(event('o-1', 'AppealRemovedFromControl'));
    expect(answered).toEqual([['d-1', 'o-1']]);
    expect(links.statements.filter((s) => s.startsWith('SELECT'))).toHaveLength(2);
  });
});
