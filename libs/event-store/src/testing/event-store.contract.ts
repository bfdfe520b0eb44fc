/**
 * The one contract suite every EventStore adapter passes: port semantics only, no adapter knobs.
 * Call it from the adapter's int-spec with a factory that returns a NEW, EMPTY store each time
 * (it is called before every test) and a teardown that releases it.
 */
import { randomUUID } from 'node:crypto';
import {
  DuplicateEventIdError,
  StreamNotFoundError,
  WrongExpectedRevisionError,
} from '../event-store.errors';
import type {
  AllSubscription,
  AppendResult,
  EventMetadata,
  EventStore,
  ExpectedRevision,
  JsonObject,
  NewEvent,
  RecordedEvent,
} from '../event-store.port';
import { METADATA_NOT_READ, RECORDED_AT_NOT_READ } from '../event-store.port';

export interface EventStoreUnderTest {
  store: EventStore;
  teardown(): Promise<void>;
}

/** How long a test waits for a fact (events delivered) before failing. */
const FACT_TIMEOUT_MS = 15_000;

export function describeEventStoreContract(name: string, factory: () => Promise<EventStoreUnderTest>): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let teardown: (() => Promise<void>) | undefined;

    beforeEach(async () => {
      const underTest = await factory();
      store = underTest.store;
      teardown = () => underTest.teardown();
    });

    afterEach(async () => {
      await teardown?.();
      teardown = undefined;
    });

    describe('append and readStream', () => {
      it('stores events as given: data (Cyrillic text, nested JSON) and metadata unchanged', async () => {
        const streamId = newStreamId('appeal');
        const data: JsonObject = {
          applicant: { name: 'Иванов Иван Иванович', address: 'г. Москва, ул. Тверская, д. 1, кв. «5»' },
          text: 'Прошу разобраться с уборкой снега во дворе.\nС уважением — жители дома № 7',
          questions: [{ code: '0003.0009.0097.0686', result: null }],
          pages: 3,
          share: 0.25,
          urgent: false,
          attachments: [],
          extra: {},
        };
        const metadata = newMetadata({ actor: { id: 'user-7', name: 'Петрова А. С.' }, tenant: 'region-77' });
        const event = newEvent('AppealRegistered', data, metadata);

        const result = await store.append(streamId, [event], 'no_stream');
        const [recorded] = await store.readStream(streamId);

        expect(recorded).toEqual({
          id: event.id,
          streamId,
          type: 'AppealRegistered',
          revision: 0,
          position: result.position,
          data,
          metadata,
          recordedAt: expect.any(Date) as Date,
        });
        expect(result.nextExpectedRevision).toBe(0);
      });

      it('numbers revisions contiguously from 0 across appends; positions strictly increase', async () => {
        const streamId = newStreamId('appeal');
        const first = await store.append(
          streamId,
          [newEvent('A'), newEvent('B'), newEvent('C')],
          'no_stream',
        );
        const second = await store.append(streamId, [newEvent('D')], 2);
        const third = await store.append(streamId, [newEvent('E'), newEvent('F')], 3);

        const events = await store.readStream(streamId);
        expect(events.map((e) => [e.revision, e.type])).toEqual([
          [0, 'A'],
          [1, 'B'],
          [2, 'C'],
          [3, 'D'],
          [4, 'E'],
          [5, 'F'],
        ]);
        expectStrictlyIncreasing(events.map((e) => e.position));
        expect([first, second, third]).toEqual([
          { nextExpectedRevision: 2, position: events[2].position },
          { nextExpectedRevision: 3, position: events[3].position },
          { nextExpectedRevision: 5, position: events[5].position },
        ]);
      });

      it('reads forwards and backwards, from a revision, with a maximum count', async () => {
        const streamId = newStreamId('appeal');
        await store.append(streamId, [newEvent('E0'), newEvent('E1'), newEvent('E2')], 'no_stream');
        await store.append(streamId, [newEvent('E3'), newEvent('E4')], 2);
        const revisions = async (options: Parameters<EventStore['readStream']>[1]): Promise<number[]> =>
          (await store.readStream(streamId, options)).map((e) => e.revision);

        expect(await revisions({})).toEqual([0, 1, 2, 3, 4]);
        expect(await revisions({ fromRevision: 2 })).toEqual([2, 3, 4]);
        expect(await revisions({ maxCount: 2 })).toEqual([0, 1]);
        expect(await revisions({ fromRevision: 1, maxCount: 2 })).toEqual([1, 2]);
        expect(await revisions({ fromRevision: 5 })).toEqual([]);
        expect(await revisions({ direction: 'backwards' })).toEqual([4, 3, 2, 1, 0]);
        expect(await revisions({ direction: 'backwards', fromRevision: 2 })).toEqual([2, 1, 0]);
        expect(await revisions({ direction: 'backwards', maxCount: 2 })).toEqual([4, 3]);
        expect(await revisions({ direction: 'backwards', fromRevision: 3, maxCount: 2 })).toEqual([3, 2]);
      });

      it('throws StreamNotFoundError for a stream without events, in both directions', async () => {
        const streamId = newStreamId('missing');
        await store.append(newStreamId('other'), [newEvent('A')], 'no_stream');

        for (const direction of ['forwards', 'backwards'] as const) {
          const error = await rejectionOf(store.readStream(streamId, { direction }), StreamNotFoundError);
          expect(error.streamId).toBe(streamId);
        }
      });
    });

    describe('expected revision', () => {
      const cases: {
        title: string;
        existing: number;
        expected: ExpectedRevision;
        outcome: { revision: number } | { actual: number };
      }[] = [
        { title: 'no_stream on a new stream', existing: 0, expected: 'no_stream', outcome: { revision: 0 } },
        {
          title: 'no_stream on an existing stream',
          existing: 2,
          expected: 'no_stream',
          outcome: { actual: 1 },
        },
        { title: 'any on a new stream', existing: 0, expected: 'any', outcome: { revision: 0 } },
        { title: 'any on an existing stream', existing: 2, expected: 'any', outcome: { revision: 2 } },
        {
          title: 'stream_exists on a new stream',
          existing: 0,
          expected: 'stream_exists',
          outcome: { actual: -1 },
        },
        {
          title: 'stream_exists on an existing stream',
          existing: 2,
          expected: 'stream_exists',
          outcome: { revision: 2 },
        },
        { title: 'the current revision', existing: 2, expected: 1, outcome: { revision: 2 } },
        { title: 'a stale revision', existing: 2, expected: 0, outcome: { actual: 1 } },
        { title: 'a revision ahead of the stream', existing: 2, expected: 5, outcome: { actual: 1 } },
        { title: 'a revision on a new stream', existing: 0, expected: 0, outcome: { actual: -1 } },
      ];

      it.each(cases)('$title', async ({ existing, expected, outcome }) => {
        const streamId = newStreamId('appeal');
        if (existing > 0) {
          const { position } = await store.append(
            streamId,
            times(existing, (i) => newEvent(`Existing${i}`)),
            'no_stream',
          );
          await settled(store, position);
        }
        const headBefore = await store.headPosition();
        const append = store.append(streamId, [newEvent('Next')], expected);

        if ('revision' in outcome) {
          const result = await append;
          expect(result.nextExpectedRevision).toBe(outcome.revision);
          const events = await store.readStream(streamId);
          expect(events.map((e) => e.revision)).toEqual(times(existing + 1, (i) => i));
          expect(result.position).toBe(events[events.length - 1].position);
        } else {
          const error = await rejectionOf(append, WrongExpectedRevisionError);
          expect({ streamId: error.streamId, expected: error.expected, actual: error.actual }).toEqual({
            streamId,
            expected,
            actual: outcome.actual,
          });
          expect(await store.headPosition()).toBe(headBefore);
        }
      });
    });

    describe('idempotent appends by event id', () => {
      it('a retry returns the original result and writes nothing, whatever the expected revision', async () => {
        const streamId = newStreamId('appeal');
        const registered = [newEvent('Registered'), newEvent('Classified')];
        const original = await store.append(streamId, registered, 'no_stream');
        const assigned = [newEvent('Assigned')];
        const next = await store.append(streamId, assigned, 1);
        await settled(store, next.position);
        const allBefore = await store.readAll();

        for (const expected of ['no_stream', 'any', 'stream_exists', 0, 1, 2, 7] as const) {
          expect(await store.append(streamId, registered, expected)).toEqual(original);
          expect(await store.append(streamId, assigned, expected)).toEqual(next);
        }

        expect(await store.readStream(streamId)).toHaveLength(3);
        // $all stops below any write transaction still in flight: wait until it shows the head again
        await settled(store, next.position);
        expect(await store.readAll()).toEqual(allBefore);
        expect(await store.headPosition()).toBe(next.position);
      });

      it('an id already stored in another stream is a DuplicateEventIdError, and nothing is written', async () => {
        const event = newEvent('Registered');
        await store.append(newStreamId('appeal'), [event], 'no_stream');
        const otherStream = newStreamId('appeal');

        const error = await rejectionOf(
          store.append(otherStream, [newEvent('Other'), event], 'any'),
          DuplicateEventIdError,
        );
        expect({ streamId: error.streamId, eventId: error.eventId }).toEqual({
          streamId: otherStream,
          eventId: event.id,
        });
        await rejectionOf(store.readStream(otherStream), StreamNotFoundError);
      });

      it('ids stored in this stream but not as this very append are a DuplicateEventIdError', async () => {
        const streamId = newStreamId('appeal');
        const [a, b] = [newEvent('A'), newEvent('B')];
        await store.append(streamId, [a, b], 'no_stream');

        const partial = await rejectionOf(
          store.append(streamId, [b, newEvent('C')], 'any'),
          DuplicateEventIdError,
        );
        expect(partial.eventId).toBe(b.id);
        await rejectionOf(store.append(streamId, [b, a], 'any'), DuplicateEventIdError);
        expect(await store.readStream(streamId)).toHaveLength(2);
      });
    });

    describe('readEvent', () => {
      it('reads the event with an id from its stream; undefined for an id the stream does not hold', async () => {
        const streamId = newStreamId('appeal');
        const events = [newEvent('A'), newEvent('B'), newEvent('C')];
        await store.append(streamId, events, 'no_stream');
        const stored = await store.readStream(streamId);
        expect(await store.readEvent(streamId, events[1].id)).toEqual(stored[1]);
        expect(await store.readEvent(streamId, events[0].id)).toEqual(stored[0]);
        expect(await store.readEvent(streamId, randomUUID())).toBeUndefined();
        // an id of another stream, and a stream without events
        const other = newStreamId('appeal');
        await store.append(other, [newEvent('D')], 'no_stream');
        expect(await store.readEvent(other, events[1].id)).toBeUndefined();
        expect(await store.readEvent(newStreamId('appeal'), events[1].id)).toBeUndefined();
      });
    });

    describe('readAll and headPosition', () => {
      it('headPosition is 0 on an empty store, then the position of the last event', async () => {
        expect(await store.headPosition()).toBe(0);
        await store.append(newStreamId('appeal'), [newEvent('A')], 'no_stream');
        const last = await store.append(newStreamId('appeal'), [newEvent('B'), newEvent('C')], 'no_stream');
        await settled(store, last.position);
        // never back, though the boundary may step back for a moment (another database's
        // transaction ending between the snapshot and the activity view)
        expect(await store.headPosition()).toBe(last.position);
        expect(await store.headPosition()).toBe(last.position);
      });

      it('reads $all in position order, after a position, with a maximum count, backwards', async () => {
        const written = await appendInterleaved(store);
        const all = await store.readAll();

        expect(all.map((e) => e.id)).toEqual(written.map((e) => e.id));
        expectStrictlyIncreasing(all.map((e) => e.position));
        expect(all[all.length - 1].position).toBe(await store.headPosition());

        const ids = (events: RecordedEvent[]): string[] => events.map((e) => e.id);
        expect(ids(await store.readAll({ after: all[2].position }))).toEqual(ids(all.slice(3)));
        expect(ids(await store.readAll({ maxCount: 4 }))).toEqual(ids(all.slice(0, 4)));
        expect(ids(await store.readAll({ after: all[1].position, maxCount: 3 }))).toEqual(
          ids(all.slice(2, 5)),
        );
        expect(await store.readAll({ after: all[all.length - 1].position })).toEqual([]);
        expect(ids(await store.readAll({ direction: 'backwards' }))).toEqual(ids([...all].reverse()));
        const newestTwo = ids(all.slice(-2).reverse());
        expect(ids(await store.readAll({ direction: 'backwards', maxCount: 2 }))).toEqual(newestTwo);
        // backwards, `after` is still the exclusive lower bound: the newest events above it first
        expect(
          ids(await store.readAll({ direction: 'backwards', after: all[all.length - 3].position })),
        ).toEqual(newestTwo);
        expect(
          ids(await store.readAll({ direction: 'backwards', after: all[0].position, maxCount: 3 })),
        ).toEqual(ids(all.slice(-3).reverse()));
      });

      it('reads $all leanly (fields: fold): the same events and pages, placeholders for metadata and recordedAt', async () => {
        await appendInterleaved(store);
        const full = await store.readAll();
        const lean = await store.readAll({ fields: 'fold' });
        expect(lean.length).toBeGreaterThan(5);
        expect(lean.map(folded)).toEqual(full.map(folded));
        expect(lean.every((e) => e.metadata === METADATA_NOT_READ)).toBe(true);
        expect(lean.every((e) => e.recordedAt === RECORDED_AT_NOT_READ)).toBe(true);
        expect(full.every((e) => e.metadata !== METADATA_NOT_READ && e.recordedAt.getTime() > 0)).toBe(true);
        // after, maxCount, backwards and the filter mean what they mean for the full read
        const third = full[2];
        expect(
          (await store.readAll({ after: third.position, maxCount: 3, fields: 'fold' })).map(folded),
        ).toEqual(full.slice(3, 6).map(folded));
        expect(
          (await store.readAll({ direction: 'backwards', maxCount: 2, fields: 'fold' })).map(folded),
        ).toEqual(full.slice(-2).reverse().map(folded));
        const filter = { streamPrefixes: ['alpha-'] };
        expect((await store.readAll({ filter, fields: 'fold' })).map(folded)).toEqual(
          (await store.readAll({ filter })).map(folded),
        );
        await expect(store.readAll({ fields: 'lean' as unknown as 'fold' })).rejects.toThrow(
          /fields must be 'all' or 'fold'/,
        );
      });

      it('reads $all up to a head in stream order, in keyset pages (adapters that have readAllByStream)', async () => {
        const readAllByStream = store.readAllByStream?.bind(store);
        if (!readAllByStream) return; // optional: rebuilds then replay in position order
        // the store was empty: the events up to the head are exactly these
        const written = await appendInterleaved(store);
        const head = await store.headPosition();
        const all = await readAllByStream({ upTo: head, maxCount: 1000 });
        expect(all.map((e) => e.id).sort()).toEqual(written.map((e) => e.id).sort());
        expect(all.every((e) => e.position <= head)).toBe(true);
        // the store grows past the head, in a new stream and in one already read: those events are not read
        await store.append(newStreamId('appeal'), [newEvent('Later')], 'no_stream');
        const later = await store.append(all[0].streamId, [newEvent('LaterToo')], 'any');
        await settled(store, later.position);
        const key = (e: RecordedEvent): string => `${e.streamId}@${e.revision}`;
        expect((await readAllByStream({ upTo: head, maxCount: 1000 })).map(key)).toEqual(all.map(key));
        // each stream once, whole, its revisions in order
        const streams: string[] = [];
        for (const [i, e] of all.entries()) {
          const previous = all[i - 1];
          if (previous?.streamId === e.streamId) expect(e.revision).toBe(previous.revision + 1);
          else {
            expect(streams).not.toContain(e.streamId);
            expect(e.revision).toBe(0);
            streams.push(e.streamId);
          }
        }
        expect(streams.length).toBeGreaterThan(1);
        // keyset pages of 2 give the same sequence
        const paged: RecordedEvent[] = [];
        for (;;) {
          const last = paged[paged.length - 1];
          const page = await readAllByStream({
            upTo: head,
            maxCount: 2,
            ...(last ? { after: { streamId: last.streamId, revision: last.revision } } : {}),
          });
          paged.push(...page);
          if (page.length < 2) break;
        }
        expect(paged.map(key)).toEqual(all.map(key));
        expect(paged.map((e) => e.id)).toEqual(all.map((e) => e.id));
        expect(await readAllByStream({ upTo: 0, maxCount: 10 })).toEqual([]);
      });

      it('reads $all in stream order leanly (fields: fold): the same events, placeholders for metadata and recordedAt', async () => {
        const readAllByStream = store.readAllByStream?.bind(store);
        if (!readAllByStream) return;
        await appendInterleaved(store);
        const head = await store.headPosition();
        const full = await readAllByStream({ upTo: head, maxCount: 1000 });
        const lean = await readAllByStream({ upTo: head, maxCount: 1000, fields: 'fold' });
        expect(lean.length).toBeGreaterThan(5);
        expect(lean.map(folded)).toEqual(full.map(folded));
        expect(lean.every((e) => e.metadata === METADATA_NOT_READ)).toBe(true);
        expect(lean.every((e) => e.recordedAt === RECORDED_AT_NOT_READ)).toBe(true);
        expect(RECORDED_AT_NOT_READ.getTime()).toBe(0);
        // the full read is the events' own
        expect(
          full.every(
            (e) => e.metadata !== METADATA_NOT_READ && e.metadata.commandId !== METADATA_NOT_READ.commandId,
          ),
        ).toBe(true);
        expect(full.every((e) => e.recordedAt.getTime() > 0)).toBe(true);
        // keyset pages of 3 give the same sequence
        const paged: RecordedEvent[] = [];
        for (;;) {
          const last = paged[paged.length - 1];
          const page = await readAllByStream({
            upTo: head,
            maxCount: 3,
            fields: 'fold',
            ...(last ? { after: { streamId: last.streamId, revision: last.revision } } : {}),
          });
          paged.push(...page);
          if (page.length < 3) break;
        }
        expect(paged.map(folded)).toEqual(full.map(folded));
        expect(await readAllByStream({ upTo: 0, maxCount: 10, fields: 'fold' })).toEqual([]);
      });

      it('filters $all by stream prefix and by event type (prefixes match literally)', async () => {
        await appendInterleaved(store);
        const all = await store.readAll();
        const select = (predicate: (e: RecordedEvent) => boolean): string[] =>
          all.filter(predicate).map((e) => e.id);
        const read = async (
          filter: { streamPrefixes?: string[]; eventTypes?: string[] },
          backwards = false,
        ) =>
          (await store.readAll({ filter, direction: backwards ? 'backwards' : 'forwards' })).map((e) => e.id);

        expect(await read({ streamPrefixes: ['alpha-'] })).toEqual(
          select((e) => e.streamId.startsWith('alpha-')),
        );
        expect(await read({ streamPrefixes: ['alpha-', 'a_b-'] })).toEqual(
          select((e) => e.streamId.startsWith('alpha-') || e.streamId.startsWith('a_b-')),
        );
        expect(await read({ streamPrefixes: ['a_b'] })).toEqual(select((e) => e.streamId.startsWith('a_b')));
        expect(await read({ streamPrefixes: ['a%'] })).toEqual([]);
        expect(await read({ eventTypes: ['Assigned', 'Closed'] })).toEqual(
          select((e) => ['Assigned', 'Closed'].includes(e.type)),
        );
        expect(await read({ streamPrefixes: ['beta-'], eventTypes: ['Assigned'] })).toEqual(
          select((e) => e.streamId.startsWith('beta-') && e.type === 'Assigned'),
        );
        expect(await read({ eventTypes: ['Registered'] }, true)).toEqual(
          select((e) => e.type === 'Registered').reverse(),
        );
      });
    });

    describe('subscribeToAll', () => {
      it('catches up, then delivers live events, in position order', async () => {
        const early = await appendEach(store, newStreamId('appeal'), ['Registered', 'Assigned']);
        const subscription = store.subscribeToAll();
        const iterator = subscription[Symbol.asyncIterator]();

        const caughtUp = [await nextEvent(iterator), await nextEvent(iterator)];
        expect(caughtUp.map((e) => e.id)).toEqual(early.map((e) => e.id));

        const pending = nextEvent(iterator); // waiting while nothing is new
        const late = await appendEach(store, newStreamId('appeal'), ['Registered', 'Closed']);
        const live = [await pending, await nextEvent(iterator)];
        expect(live.map((e) => e.id)).toEqual(late.map((e) => e.id));
        expect(live[1]).toEqual((await store.readAll())[3]);
        expectStrictlyIncreasing([...caughtUp, ...live].map((e) => e.position));
        await subscription.stop();
      });

      it('starts after the given position', async () => {
        const streamId = newStreamId('appeal');
        await appendEach(store, streamId, ['A', 'B', 'C', 'D']);
        const all = await store.readAll();

        const delivered = take(store.subscribeToAll({ after: all[1].position }), 3);
        const [live] = await appendEach(store, streamId, ['E']);
        expect((await delivered).map((e) => e.id)).toEqual([all[2].id, all[3].id, live.id]);
      });

      it('delivers only events that match its filter, caught up and live', async () => {
        await appendInterleaved(store);
        const wanted = (e: RecordedEvent): boolean => e.streamId.startsWith('beta-') && e.type !== 'Closed';
        const expectedCaughtUp = (await store.readAll()).filter(wanted);

        const delivered = take(
          store.subscribeToAll({
            filter: { streamPrefixes: ['beta-'], eventTypes: ['Registered', 'Assigned'] },
          }),
          expectedCaughtUp.length + 1,
        );
        await appendEach(store, newStreamId('alpha'), ['Registered', 'Assigned']);
        const [, live] = await appendEach(store, newStreamId('beta'), ['Closed', 'Assigned']);

        expect((await delivered).map((e) => e.id)).toEqual([...expectedCaughtUp.map((e) => e.id), live.id]);
      });

      it('stop() ends the iteration, also while waiting for events', async () => {
        await appendEach(store, newStreamId('appeal'), ['A']);
        const subscription = store.subscribeToAll();
        const iterator = subscription[Symbol.asyncIterator]();
        await nextEvent(iterator);

        const waiting = iterator.next();
        await subscription.stop();
        expect(await withTimeout(waiting, 'the pending next() after stop()')).toEqual({
          done: true,
          value: undefined,
        });

        const again = store.subscribeToAll();
        const seen: RecordedEvent[] = [];
        for await (const event of again) {
          seen.push(event);
          await again.stop();
        }
        expect(seen).toHaveLength(1);
      });
    });

    describe('concurrency', () => {
      it('many appenders on many streams: contiguous revisions, every event once in $all and in a subscription', async () => {
        const appenders = 24;
        const streamsPerAppender = 4;
        const appendsPerStream = 4;
        const total = appenders * streamsPerAppender * appendsPerStream * 2; // two events per append
        const subscription = store.subscribeToAll();
        const delivered = take(subscription, total);

        const streams = await Promise.all(
          times(appenders, async (appender) => {
            const mine = times(streamsPerAppender, (s) => newStreamId(`appender${appender}s${s}`));
            for (let i = 0; i < appendsPerStream; i += 1) {
              for (const streamId of mine) {
                const events = [newEvent(`Step${i}a`), newEvent(`Step${i}b`)];
                const result = await store.append(streamId, events, i === 0 ? 'no_stream' : 2 * i - 1);
                expect(result.nextExpectedRevision).toBe(2 * i + 1);
              }
            }
            return mine;
          }),
        );

        let lastPosition = 0;
        for (const streamId of streams.flat()) {
          const events = await store.readStream(streamId);
          expect(events.map((e) => e.revision)).toEqual(times(appendsPerStream * 2, (i) => i));
          expect(events.map((e) => e.type)).toEqual(
            times(appendsPerStream, (i) => [`Step${i}a`, `Step${i}b`]).flat(),
          );
          expectStrictlyIncreasing(events.map((e) => e.position));
          lastPosition = Math.max(lastPosition, events[events.length - 1].position);
        }
        await settled(store, lastPosition);
        const all = await store.readAll();
        expect(all).toHaveLength(total);
        expect(new Set(all.map((e) => e.id)).size).toBe(total);
        expectStrictlyIncreasing(all.map((e) => e.position));
        expect((await delivered).map((e) => e.id)).toEqual(all.map((e) => e.id));
        // 1,536 appends: a safety net for a loaded machine (every wait inside is for a fact)
      }, 180_000);

      it('racing appenders with the same expected revision: exactly one wins each round', async () => {
        const racers = 8;
        const rounds = 6;
        const streamId = newStreamId('appeal');

        const created = await Promise.allSettled(
          times(racers, () => store.append(streamId, [newEvent('Registered')], 'no_stream')),
        );
        await expectOneWinner(created, streamId, 'no_stream');

        for (let round = 0; round < rounds; round += 1) {
          const outcomes = await Promise.allSettled(
            times(racers, () => store.append(streamId, [newEvent(`Round${round}`)], round)),
          );
          await expectOneWinner(outcomes, streamId, round);
        }
        const stream = await store.readStream(streamId);
        expect(stream.map((e) => e.revision)).toEqual(times(rounds + 1, (i) => i));
        await settled(store, stream[stream.length - 1].position);
        expect(await store.readAll()).toHaveLength(rounds + 1);
      });
    });
  });
}

/** What a lean read (`fields: 'fold'`) reads of an event: everything but its metadata and recordedAt. */
function folded(e: RecordedEvent): Omit<RecordedEvent, 'metadata' | 'recordedAt'> {
  return {
    id: e.id,
    streamId: e.streamId,
    revision: e.revision,
    position: e.position,
    type: e.type,
    data: e.data,
  };
}

async function expectOneWinner(
  outcomes: PromiseSettledResult<AppendResult>[],
  streamId: string,
  expected: ExpectedRevision,
): Promise<void> {
  const winners = outcomes.filter((o): o is PromiseFulfilledResult<AppendResult> => o.status === 'fulfilled');
  const losers = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  expect(winners).toHaveLength(1);
  const revision = winners[0].value.nextExpectedRevision;
  expect(revision).toBe(expected === 'no_stream' ? 0 : Number(expected) + 1);
  for (const loser of losers) {
    const error = await rejectionOf(Promise.reject(loser.reason as Error), WrongExpectedRevisionError);
    expect({ streamId: error.streamId, expected: error.expected, actual: error.actual }).toEqual({
      streamId,
      expected,
      actual: revision,
    });
  }
}

/** Four streams (`alpha-…`, `beta-…`, `a_b-…`, `aqb-…`) written in an interleaved order; returns the events in write order. */
async function appendInterleaved(store: EventStore): Promise<NewEvent[]> {
  const alpha = newStreamId('alpha');
  const beta = newStreamId('beta');
  const aB = newStreamId('a_b');
  const aqb = newStreamId('aqb'); // would match the prefix `a_b` if `_` were a wildcard
  const plan: [string, string[]][] = [
    [alpha, ['Registered']],
    [beta, ['Registered', 'Assigned']],
    [alpha, ['Assigned']],
    [aB, ['Registered']],
    [beta, ['Closed']],
    [alpha, ['Closed', 'Archived']],
    [aqb, ['Registered']],
  ];
  const written: NewEvent[] = [];
  let last = 0;
  for (const [streamId, types] of plan) {
    const events = types.map((type) => newEvent(type));
    last = (await store.append(streamId, events, 'any')).position;
    written.push(...events);
  }
  await settled(store, last);
  return written;
}

/** Appends one event per type, one append each; returns the recorded events. */
async function appendEach(store: EventStore, streamId: string, types: string[]): Promise<RecordedEvent[]> {
  let last = 0;
  for (const type of types) last = (await store.append(streamId, [newEvent(type)], 'any')).position;
  await settled(store, last);
  const events = await store.readStream(streamId, { direction: 'backwards', maxCount: types.length });
  return events.reverse();
}

/**
 * `$all` readers may trail a committed append while any other transaction that could hold events is
 * in flight (the no-skip rule); wait until `position` is visible before asserting on `$all`.
 */
async function settled(store: EventStore, position: number): Promise<void> {
  await withTimeout(
    (async () => {
      while ((await store.headPosition()) < position) await new Promise((r) => setImmediate(r));
    })(),
    `position ${position} to become visible in $all`,
  );
}

/**
 * Pulls events from a subscription until it has `count`, then stops it; fails when no event has come
 * for FACT_TIMEOUT_MS (a stalled subscription, not a slow machine: each event restarts the clock).
 */
async function take(subscription: AllSubscription, count: number): Promise<RecordedEvent[]> {
  const received: RecordedEvent[] = [];
  const iterator = subscription[Symbol.asyncIterator]();
  try {
    while (received.length < count) {
      const next = await withTimeout(
        iterator.next(),
        () => `${count} events from the subscription (got ${received.length}, then none)`,
      );
      if (next.done) throw new Error(`the subscription ended after ${received.length} of ${count} events`);
      received.push(next.value);
    }
    return received;
  } finally {
    await subscription.stop();
  }
}

async function nextEvent(iterator: AsyncIterator<RecordedEvent>): Promise<RecordedEvent> {
  const result = await withTimeout(iterator.next(), 'the next subscription event');
  if (result.done) throw new Error('the subscription ended instead of delivering an event');
  return result.value;
}

async function withTimeout<T>(promise: Promise<T>, what: string | (() => string)): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `timed out after ${FACT_TIMEOUT_MS} ms waiting for ${typeof what === 'string' ? what : what()}`,
          ),
        ),
      FACT_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function rejectionOf<E extends Error>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as E;
  }
  throw new Error(`expected a ${type.name}, but the call succeeded`);
}

function expectStrictlyIncreasing(values: number[]): void {
  values.slice(1).forEach((value, i) => expect(value).toBeGreaterThan(values[i]));
}

function newStreamId(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

function newMetadata(extra: Partial<EventMetadata> & JsonObject = {}): EventMetadata {
  const commandId = randomUUID();
  return {
    occurredAt: '2026-11-27T09:30:00.000Z',
    actor: { id: 'user-1', name: 'Сидоров С. С.' },
    commandId,
    correlationId: commandId,
    causationId: commandId,
    schemaVersion: 1,
    ...extra,
  };
}

function newEvent(
  type: string,
  data: JsonObject = { note: `${type} — событие` },
  metadata: EventMetadata = newMetadata(),
): NewEvent {
  return { id: randomUUID(), type, data, metadata };
}

function times<T>(count: number, make: (index: number) => T): T[] {
  return Array.from({ length: count }, (_, index) => make(index));
}
