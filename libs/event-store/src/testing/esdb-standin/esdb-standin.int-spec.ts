// The stand-in's reproduced behaviours, checked with the real @eventstore/db-client over gRPC.
import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { startEsdbStandIn, startEsdbStandInCluster, type EsdbStandIn } from './index';

const event = (type: string, n: number, id: string = randomUUID()) =>
  jsonEvent({ id, type, data: { n }, metadata: { actor: 'tester', n } });

/** UNAVAILABLE, whether the client converted it (UnavailableError) or passed the gRPC error through. */
const unavailable = (error: unknown): boolean =>
  error instanceof UnavailableError ||
  (error instanceof Error && 'code' in error && error.code === status.UNAVAILABLE);

async function readAllOf<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** Takes `count` events off a subscription (back-pressured reads), then unsubscribes. */
async function take(subscription: AllStreamSubscription, count: number): Promise<AllStreamResolvedEvent[]> {
  const out: AllStreamResolvedEvent[] = [];
  for await (const resolved of subscription) {
    out.push(resolved);
    if (out.length === count) break;
  }
  await subscription.unsubscribe();
  return out;
}

describe.each(['batch-append', 'append'] as const)(
  'EventStoreDB stand-in (client appends through %s)',
  (appendMethod) => {
    let standIn: EsdbStandIn;
    let client: EventStoreDBClient;

    beforeAll(async () => {
      standIn = await startEsdbStandIn({ appendMethod });
      client = EventStoreDBClient.connectionString(standIn.url);
    });
    afterAll(async () => {
      await client.dispose();
      await standIn.stop();
    });

    it('appends and reads a stream forwards and backwards, with revisions and positions', async () => {
      const stream = `appeal-${randomUUID()}`;
      const ids = [randomUUID(), randomUUID(), randomUUID()];
      const result = await client.appendToStream(
        stream,
        ids.map((id, n) => event('AppealRegistered', n, id)),
        {
          expectedRevision: NO_STREAM,
        },
      );
      expect(result.nextExpectedRevision).toBe(2n);

      const forwards = await readAllOf(client.readStream(stream));
      expect(forwards.map((e) => e.event?.id)).toEqual(ids);
      expect(forwards.map((e) => e.event?.revision)).toEqual([0n, 1n, 2n]);
      expect(forwards.map((e) => e.event?.data)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
      expect(forwards[1].event?.metadata).toEqual({ actor: 'tester', n: 1 });
      expect(forwards[0].event?.created).toBeInstanceOf(Date);
      expect(Math.abs(forwards[0].event!.created.getTime() - Date.now())).toBeLessThan(60_000);

      const positions = forwards.map((e) => e.event!.position!);
      for (const p of positions) expect(p.commit).toBe(p.prepare); // implicit transactions: commit == prepare
      expect(positions[0].commit < positions[1].commit && positions[1].commit < positions[2].commit).toBe(
        true,
      );
      // the append reports the position of its last event
      expect(result.position).toEqual(positions[2]);

      const backwards = await readAllOf(
        client.readStream(stream, { direction: BACKWARDS, fromRevision: END }),
      );
      expect(backwards.map((e) => e.event?.revision)).toEqual([2n, 1n, 0n]);
      const fromOne = await readAllOf(client.readStream(stream, { fromRevision: 1n, maxCount: 1 }));
      expect(fromOne.map((e) => e.event?.revision)).toEqual([1n]);
      const backFromOne = await readAllOf(
        client.readStream(stream, { direction: BACKWARDS, fromRevision: 1n }),
      );
      expect(backFromOne.map((e) => e.event?.revision)).toEqual([1n, 0n]);
    });

    it('answers a read of a missing stream with stream-not-found', async () => {
      await expect(readAllOf(client.readStream(`appeal-${randomUUID()}`))).rejects.toBeInstanceOf(
        StreamNotFoundError,
      );
    });

    it('checks expected revisions and reports the current one', async () => {
      const stream = `appeal-${randomUUID()}`;
      await client.appendToStream(stream, [event('A', 0), event('B', 1)], { expectedRevision: NO_STREAM });

      const rejected = async (
        expectedRevision: bigint | typeof NO_STREAM | typeof STREAM_EXISTS,
        name = stream,
      ) => {
        const error = await client.appendToStream(name, event('C', 2), { expectedRevision }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        return error as WrongExpectedVersionError;
      };
      expect((await rejected(NO_STREAM)).actualVersion).toBe(1n);
      expect((await rejected(0n)).actualVersion).toBe(1n);
      expect((await rejected(5n)).actualVersion).toBe(1n);
      const missing = await rejected(STREAM_EXISTS, `appeal-${randomUUID()}`);
      expect(missing.actualVersion).toBe('no_stream');
      expect((await rejected(0n, `appeal-${randomUUID()}`)).actualVersion).toBe('no_stream');

      await expect(
        client.appendToStream(stream, event('C', 2), { expectedRevision: 1n }),
      ).resolves.toMatchObject({
        nextExpectedRevision: 2n,
      });
      await expect(
        client.appendToStream(stream, event('D', 3), { expectedRevision: STREAM_EXISTS }),
      ).resolves.toMatchObject({
        nextExpectedRevision: 3n,
      });
      await expect(client.appendToStream(stream, event('E', 4))).resolves.toMatchObject({
        nextExpectedRevision: 4n,
      });
    });

    it('treats a re-append of the same ids at the same place as an idempotent success, writing nothing', async () => {
      const stream = `appeal-${randomUUID()}`;
      const first = [event('A', 0), event('B', 1)];
      await client.appendToStream(stream, first, { expectedRevision: NO_STREAM });
      const second = [event('C', 2), event('D', 3)];
      const original = await client.appendToStream(stream, second, { expectedRevision: 1n });
      const logSize = standIn.log.allRecords.length;

      // same ids, same expectation: success with the original revision and position
      await expect(client.appendToStream(stream, second, { expectedRevision: 1n })).resolves.toEqual(
        original,
      );
      await expect(
        client.appendToStream(stream, first, { expectedRevision: NO_STREAM }),
      ).resolves.toMatchObject({
        nextExpectedRevision: 1n,
      });
      // `any`: looked up by id
      await expect(client.appendToStream(stream, second)).resolves.toMatchObject({
        nextExpectedRevision: 3n,
      });
      expect(standIn.log.allRecords.length).toBe(logSize);

      // only part of the ids match: corrupted idempotency is a wrong expected version
      await expect(
        client.appendToStream(stream, [second[0], event('X', 9)], { expectedRevision: 1n }),
      ).rejects.toBeInstanceOf(WrongExpectedVersionError);
      // the same ids at the current revision are not checked: they are written again
      await client.appendToStream(stream, [second[0]], { expectedRevision: 3n });
      expect(standIn.log.allRecords.length).toBe(logSize + 1);
    });

    it('reads $all in position order, system events included, inclusive forwards and exclusive backwards', async () => {
      const stream = `appeal-${randomUUID()}`;
      await client.appendToStream(stream, [event('A', 0), event('B', 1), event('C', 2)]);
      const all = await readAllOf(client.readAll());
      // every record but the epoch information, which $all reads never return
      expect(all.length).toBe(standIn.log.allRecords.length - 1);
      expect(standIn.log.allRecords[0].streamId).toBe('$epoch-information');
      expect(all.some((e) => e.event?.streamId === '$epoch-information')).toBe(false);
      expect(all.some((e) => e.event?.streamId.startsWith('$') && e.event.type.startsWith('$'))).toBe(true);
      const commits = all.map((e) => e.event!.position.commit);
      expect([...commits].sort((a, b) => (a < b ? -1 : 1))).toEqual(commits);
      expect(all.every((e) => e.commitPosition === e.event?.position?.commit)).toBe(true);

      const ours = all.filter((e) => e.event?.streamId === stream);
      const middle = ours[1].event!.position;
      const fromMiddle = await readAllOf(client.readAll({ fromPosition: middle, maxCount: 2 }));
      expect(fromMiddle.map((e) => e.event?.type)).toEqual(['B', 'C']);
      const beforeMiddle = await readAllOf(
        client.readAll({ fromPosition: middle, direction: BACKWARDS, maxCount: 1 }),
      );
      expect(beforeMiddle.map((e) => e.event?.type)).toEqual(['A']);
      const last = await readAllOf(client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 }));
      expect(last[0].event?.id).toBe(all[all.length - 1].event?.id);
    });

    it('subscribes to $all: catch-up then live, filtered by stream prefix, with checkpoints and caught-up', async () => {
      const prefix = `sub${randomUUID().slice(0, 8)}-`;
      const stream = `${prefix}${randomUUID()}`;
      await client.appendToStream(stream, [event('A', 0), event('B', 1)]);
      await client.appendToStream(`other-${randomUUID()}`, [event('A', 0)]);

      const checkpoints: Position[] = [];
      const subscription = client.subscribeToAll({
        fromPosition: START,
        filter: streamNameFilter({
          prefixes: [prefix],
          maxSearchWindow: 2,
          checkpointInterval: 1,
          checkpointReached: (_s, position) => {
            checkpoints.push(position);
          },
        }),
      });
      const caughtUp = new Promise<void>((resolve) => subscription.once('caughtUp', () => resolve()));
      const received: AllStreamResolvedEvent[] = [];
      const liveArrived = (async () => {
        for await (const resolved of subscription) {
          received.push(resolved);
          if (received.length === 3) break;
        }
      })();
      await caughtUp;
      expect(received.length).toBeLessThanOrEqual(2);
      expect(checkpoints.length).toBeGreaterThan(0);
      await client.appendToStream(stream, event('C', 2)); // live
      await liveArrived;
      await subscription.unsubscribe();
      expect(received.map((e) => e.event?.type)).toEqual(['A', 'B', 'C']);
      // checkpoints are positions in $all, never decreasing
      const commits = checkpoints.map((c) => c.commit);
      expect([...commits].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(commits);
    });

    it('resumes a $all subscription after a position (exclusive), with event-type and system-event filters', async () => {
      const stream = `appeal-${randomUUID()}`;
      const type = `Type${randomUUID().replace(/-/g, '')}`;
      await client.appendToStream(stream, [event(type, 0), event('Other', 1), event(type, 2)]);
      const [first] = await take(
        client.subscribeToAll({ filter: eventTypeFilter({ regex: `^${type}$` }) }),
        1,
      );
      expect(first.event?.data).toEqual({ n: 0 });
      const [next] = await take(
        client.subscribeToAll({
          fromPosition: first.event!.position,
          filter: eventTypeFilter({ prefixes: [type] }),
        }),
        1,
      );
      expect(next.event?.data).toEqual({ n: 2 });

      const [nonSystem] = await take(client.subscribeToAll({ filter: excludeSystemEvents() }), 1);
      expect(nonSystem.event?.type.startsWith('$')).toBe(false);
    });

    it('subscribes to a stream: catch-up then live', async () => {
      const stream = `appeal-${randomUUID()}`;
      await client.appendToStream(stream, [event('A', 0)]);
      const subscription = client.subscribeToStream(stream, { fromRevision: START });
      const received: ResolvedEvent[] = [];
      for await (const resolved of subscription) {
        received.push(resolved);
        if (received.length === 1) await client.appendToStream(stream, event('B', 1));
        if (received.length === 2) break;
      }
      await subscription.unsubscribe();
      expect(received.map((e) => e.event?.revision)).toEqual([0n, 1n]);
    });

    it('plays a lost reply (written, then UNAVAILABLE): the retry with the same ids is a no-op', async () => {
      const stream = `appeal-${randomUUID()}`;
      const events = [event('A', 0), event('B', 1)];
      standIn.injectFault({ method: 'append', code: status.UNAVAILABLE, afterWrite: true });
      await expect(
        client.appendToStream(stream, events, { expectedRevision: NO_STREAM }),
      ).rejects.toBeInstanceOf(UnavailableError);
      await expect(
        client.appendToStream(stream, events, { expectedRevision: NO_STREAM }),
      ).resolves.toMatchObject({
        nextExpectedRevision: 1n,
      });
      expect((await readAllOf(client.readStream(stream))).length).toBe(2);
    });
  },
);

describe('EventStoreDB stand-in: node lifecycle and clusters', () => {
  it('reports idempotent retries without a position when asked to play an older server', async () => {
    const standIn = await startEsdbStandIn({ idempotentPosition: 'none' });
    const client = EventStoreDBClient.connectionString(standIn.url);
    try {
      const stream = `appeal-${randomUUID()}`;
      const events = [event('A', 0)];
      expect(
        (await client.appendToStream(stream, events, { expectedRevision: NO_STREAM })).position,
      ).toBeDefined();
      const retry = await client.appendToStream(stream, events, { expectedRevision: NO_STREAM });
      expect(retry).toMatchObject({ success: true, nextExpectedRevision: 0n });
      expect(retry.position).toBeUndefined();
    } finally {
      await client.dispose();
      await standIn.stop();
    }
  });

  it('stops like a crashed node (UNAVAILABLE) and serves the same log after a restart', async () => {
    const standIn = await startEsdbStandIn();
    const client = EventStoreDBClient.connectionString(standIn.url);
    try {
      const stream = `appeal-${randomUUID()}`;
      await client.appendToStream(stream, event('A', 0));
      const subscription = client.subscribeToStream(stream);
      const dropped = new Promise<unknown>((resolve) => subscription.once('error', resolve));
      await new Promise<void>((resolve) => subscription.once('data', () => resolve()));
      await standIn.stop();
      expect(await dropped).toBeInstanceOf(UnavailableError);
      // refused connection: the client rethrows the raw gRPC error from its capabilities probe
      expect(unavailable(await client.appendToStream(stream, event('B', 1)).catch((e: unknown) => e))).toBe(
        true,
      );
      await standIn.restart();
      await expect(client.appendToStream(stream, event('B', 1))).resolves.toMatchObject({
        nextExpectedRevision: 1n,
      });
    } finally {
      await client.dispose();
      await standIn.stop();
    }
  });

  it.each([
    ['batch-append', 'the dropped BatchAppend stream already sent the client to rediscover'],
    ['append', 'the first call after the crash fails with UNAVAILABLE, the retry goes to the new leader'],
  ] as const)('runs a 3-node cluster (%s): after a leader crash, %s', async (appendMethod, _how) => {
    const cluster = await startEsdbStandInCluster({ appendMethod });
    expect(cluster.url).toMatch(
      /^esdb:\/\/127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+\?tls=false&nodePreference=leader$/,
    );
    const client = EventStoreDBClient.connectionString(cluster.url);
    try {
      const stream = `appeal-${randomUUID()}`;
      await client.appendToStream(stream, event('A', 0), { expectedRevision: NO_STREAM });
      const oldLeader = cluster.leaderIndex;
      expect(await cluster.failLeader()).not.toBe(oldLeader);
      const retried = [event('B', 1)];
      if (appendMethod === 'append') {
        const error = await client
          .appendToStream(stream, retried, { expectedRevision: 0n })
          .catch((e: unknown) => e);
        expect(unavailable(error)).toBe(true);
      }
      await expect(client.appendToStream(stream, retried, { expectedRevision: 0n })).resolves.toMatchObject({
        nextExpectedRevision: 1n,
      });
      expect((await readAllOf(client.readStream(stream))).map((e) => e.event?.type)).toEqual(['A', 'B']);
    } finally {
      await client.dispose();
      await cluster.stop();
    }
  });
});
