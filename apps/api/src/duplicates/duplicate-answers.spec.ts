import {
  APPEAL_STREAM_PREFIX,
  evolve,
  initialState,
  type RegisteredAppealState,
} from '@appeal-ledger/appeal';
import { registered, withdrawn } from '@appeal-ledger/appeal/testing';
import type { RecordedEvent } from '@appeal-ledger/event-store';
import { DuplicateAnswers } from './duplicate-answers';

/** duplicate_links in memory, answering the process's statements as PostgreSQL would. */
function linksTable(initial: Array<{ duplicate: string; original: string }>) {
  const links = initial.map((l, i) => ({ ...l, position: i + 1 }));
  const statements: string[] = [];
  const db = {
    query: (config: string | { text: string; values?: unknown[] }, params?: unknown[]) => {
      const text = typeof config === 'string' ? config : config.text;
      const values = (typeof config === 'string' ? params : config.values) ?? [];
      statements.push(text.replace(/\s+/g, ' ').trim());
      const byPosition = [...links].sort((a, b) => a.position - b.position);
      if (text.startsWith('SELECT original_id, duplicate_id')) {
        const originals = values[0] as string[];
        const rows = byPosition
          .filter((l) => originals.includes(l.original))
          .map((l) => ({ original_id: l.original, duplicate_id: l.duplicate }));
        return Promise.resolve({ rows });
      }
      if (text.startsWith('SELECT duplicate_id')) {
        const rows = byPosition
          .filter((l) => l.original === values[0])
          .map((l) => ({ duplicate_id: l.duplicate }));
        return Promise.resolve({ rows });
      }
      if (text.startsWith('INSERT INTO duplicate_links')) {
        const [duplicate, original, position] = values as [string, string, number];
        const i = links.findIndex((l) => l.duplicate === duplicate);
        if (i >= 0) links.splice(i, 1);
        links.push({ duplicate, original, position });
        return Promise.resolve({ rows: [] });
      }
      if (text.startsWith('DELETE FROM duplicate_links')) {
        const [duplicate, original] = values as [string, string | undefined];
        for (let i = links.length - 1; i >= 0; i--)
          if (links[i].duplicate === duplicate && (original === undefined || links[i].original === original))
            links.splice(i, 1);
        return Promise.resolve({ rows: [] });
      }
      throw new Error(`unexpected statement ${text}`);
    },
  };
  return { db, statements, links };
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
function process(links: ReturnType<typeof linksTable>, closedOriginals?: ReadonlySet<string>) {
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

describe('DuplicateAnswers, a batch at a time', () => {
  it('asks the table once for all the originals a batch closes, and answers the waiting duplicates', async () => {
    const links = linksTable([{ duplicate: 'd-1', original: 'o-2' }]);
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
    const links = linksTable([{ duplicate: 'd-9', original: 'o-9' }]);
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
    expect(links.links).toEqual([]);
  });

  it('a duplicate confirmed in the batch while its original is open is answered at the closing', async () => {
    const links = linksTable([]);
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
    const links = linksTable([]);
    const { deliver } = process(links);
    await deliver([event('o-1', 'AppealRemovedFromControl'), event('o-1', 'AppealRemovedFromControl')]);
    expect(links.statements).toEqual([
      expect.stringMatching(/^SELECT original_id, duplicate_id/),
      'SELECT duplicate_id FROM duplicate_links WHERE original_id = $1 ORDER BY position',
    ]);
  });

  it('without prepare, asks the table at every closing', async () => {
    const links = linksTable([{ duplicate: 'd-1', original: 'o-1' }]);
    const { answers, answered } = process(links);
    expect(await answers.handle(event('o-2', 'AppealRemovedFromControl'))).toBe('passed');
    await answers.handle(event('o-1', 'AppealRemovedFromControl'));
    expect(answered).toEqual([['d-1', 'o-1']]);
    expect(links.statements.filter((s) => s.startsWith('SELECT'))).toHaveLength(2);
  });
});
