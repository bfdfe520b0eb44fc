import type { Queryable } from '@appeal-ledger/event-store';
import { registrationNumberTemplate } from '@appeal-ledger/appeal';
import { RegistrationBatcher, type RegistrationRequest, type RegistrationRow } from './registration-batcher';

const request = (n: number): RegistrationRequest => ({
  year: 2018,
  number: registrationNumberTemplate('{seq}', { year: 2018 }),
  streamId: `appeal-${n}`,
  event: { id: `e-${n}`, type: 'AppealRegistered', data: {}, metadata: {} as never },
  appealId: `a-${n}`,
  keySubjects: [],
  wrappedKeys: [],
});

const row = (sequence: number): RegistrationRow => ({
  outcome: 'ok',
  stream_revision: '0',
  last_position: String(sequence),
  conflicting_event_id: null,
  sequence,
});

/** Statements that end when the test says so: lone ones (register_appeal()) and batches. */
function statements() {
  const sent: Array<{ kind: 'alone' | 'batch'; streams: string[]; end(): void }> = [];
  let sequence = 0;
  const alone = (r: RegistrationRequest): Promise<RegistrationRow> =>
    new Promise((resolve) => {
      sent.push({ kind: 'alone', streams: [r.streamId], end: () => resolve(row(++sequence)) });
    });
  const pool = {
    query: (config: { values: unknown[] }) =>
      new Promise((resolve) => {
        const streams = config.values[4] as string[];
        sent.push({
          kind: 'batch',
          streams,
          end: () => resolve({ rows: streams.map((_, i) => ({ member: i + 1, ...row(++sequence) })) }),
        });
      }),
  } as unknown as Queryable;
  return { sent, alone, pool };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('RegistrationBatcher', () => {
  it('beside a running statement sends no lone registration: it waits for company or for the statement to end', async () => {
    const { sent, alone, pool } = statements();
    const batcher = new RegistrationBatcher(pool, alone, { maxSize: 64, maxInFlight: 2 });
    const answers = [1, 2].map((n) => batcher.register(request(n)));
    // the first goes at once; the second would only wait on the year's lock behind it
    expect(sent.map((s) => [s.kind, s.streams])).toEqual([['alone', ['appeal-1']]]);
    const more = [3, 4].map((n) => batcher.register(request(n)));
    // two waiting: they go together in the second slot
    expect(sent.map((s) => [s.kind, s.streams])).toEqual([
      ['alone', ['appeal-1']],
      ['batch', ['appeal-2', 'appeal-3']],
    ]);
    expect(sent).toHaveLength(2);
    const last = batcher.register(request(5));
    sent[0].end();
    await settle();
    // the first ended: the two waiting go together beside the batch still running
    expect(sent.map((s) => [s.kind, s.streams]).slice(2)).toEqual([['batch', ['appeal-4', 'appeal-5']]]);
    sent[1].end();
    sent[2].end();
    const rows = await Promise.all([...answers, ...more, last]);
    expect(rows.map((r) => r.sequence)).toEqual([1, 2, 3, 4, 5]);
  });

  it('a lone registration waiting beside a running statement goes alone when that statement ends', async () => {
    const { sent, alone, pool } = statements();
    const batcher = new RegistrationBatcher(pool, alone, { maxSize: 64, maxInFlight: 2 });
    const first = batcher.register(request(1));
    const second = batcher.register(request(2));
    expect(sent).toHaveLength(1);
    sent[0].end();
    await settle();
    expect(sent.map((s) => [s.kind, s.streams])).toEqual([
      ['alone', ['appeal-1']],
      ['alone', ['appeal-2']],
    ]);
    sent[1].end();
    expect((await Promise.all([first, second])).map((r) => r.sequence)).toEqual([1, 2]);
  });
});
