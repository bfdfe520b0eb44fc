// The command pipeline on its own: a counter aggregate over an in-memory stream access.
import {
  CommandHandler,
  type HandlerDecision,
  type IdempotencyPort,
  type StreamAccess,
} from './command-handler';
import { WrongExpectedRevisionError } from './event-store.errors';
import type { AppendResult, ExpectedRevision, NewEvent } from './event-store.port';

interface Added {
  type: 'Added';
  data: { by: number };
}
interface Loaded {
  state: number;
  revision: number;
  position: number;
}
type Refusal = { ok: false; reason: 'too_big' | 'stale' };
type Add = { by: number };

/** Streams in memory; `cache` may lag behind `streams` like an app's cache behind another writer. */
class MemoryAccess implements StreamAccess<Loaded> {
  readonly streams = new Map<string, NewEvent[]>();
  readonly cache = new Map<string, Loaded>();
  appends = 0;
  /** conflicts to raise before accepting appends */
  conflicts = 0;

  cached(id: string): Loaded | undefined {
    return this.cache.get(id);
  }
  load(id: string): Promise<Loaded | undefined> {
    const events = this.streams.get(id);
    if (!events) return Promise.resolve(undefined);
    const state = events.reduce((sum, e) => sum + Number((e.data as { by: number }).by), 0);
    return Promise.resolve({ state, revision: events.length - 1, position: events.length });
  }
  append(id: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    this.appends++;
    const stream = this.streams.get(id) ?? [];
    const actual = stream.length - 1;
    if (this.conflicts > 0 || (expected === 'no_stream' ? stream.length > 0 : expected !== actual)) {
      this.conflicts = Math.max(0, this.conflicts - 1);
      return Promise.reject(new WrongExpectedRevisionError(id, expected, actual));
    }
    stream.push(...events);
    this.streams.set(id, stream);
    return Promise.resolve({ nextExpectedRevision: stream.length - 1, position: stream.length });
  }
  forget(id: string): void {
    this.cache.delete(id);
  }
  remember(id: string, loaded: Loaded): void {
    this.cache.set(id, loaded);
  }
  /** another writer appends behind the cache's back */
  external(id: string, by: number): void {
    const stream = this.streams.get(id) ?? [];
    stream.push(event(by));
    this.streams.set(id, stream);
  }
}

function event(by: number): NewEvent {
  const metadata = {
    occurredAt: '2018-03-01T00:00:00Z',
    actor: { id: 'x', name: 'x' },
    commandId: 'c',
    correlationId: 'c',
    causationId: 'c',
    schemaVersion: 1,
  };
  return { id: `e-${by}-${Math.random()}`, type: 'Added', data: { by }, metadata };
}

const metadata = (commandId: string) => ({
  occurredAt: '2018-03-01T00:00:00Z',
  actor: { id: 'u', name: 'u' },
  commandId,
  correlationId: commandId,
  causationId: commandId,
  schemaVersion: 1,
});

function setup(idempotency?: IdempotencyPort<Loaded>) {
  const access = new MemoryAccess();
  let conflicts = 0;
  const handler = new CommandHandler<number, Loaded, Add, Added, Refusal>({
    access,
    evolve: (loaded, events, result) => ({
      state: events.reduce((sum, e) => sum + e.data.by, loaded.state),
      revision: result.nextExpectedRevision,
      position: result.position,
    }),
    maxAttempts: 3,
    eventIdNamespace: 'test',
    idempotency,
    onConflict: () => conflicts++,
  });
  const spec = (by: number, limit = 100) => ({
    command: (): Add => ({ by }),
    decide: (command: Add, loaded: Loaded | undefined): HandlerDecision<Added, Refusal> =>
      (loaded?.state ?? 0) + command.by > limit
        ? { ok: false, reason: 'too_big' }
        : { ok: true, events: command.by === 0 ? [] : [{ type: 'Added', data: { by: command.by } }] },
  });
  return { access, handler, spec, conflicts: () => conflicts };
}

describe('CommandHandler', () => {
  it('decides on the loaded state, appends with its revision and remembers the fold', async () => {
    const { access, handler, spec } = setup();
    access.external('s', 1);
    const outcome = await handler.handle('s', spec(2), { metadata });
    expect(outcome).toMatchObject({ status: 'done', written: true, loaded: { state: 3, revision: 1 } });
    expect(access.cache.get('s')).toMatchObject({ state: 3, revision: 1 });
  });

  it('answers not_found for a missing stream, and creates one only when the command creates', async () => {
    const { handler, spec } = setup();
    expect(await handler.handle('new', spec(1), { metadata })).toEqual({ status: 'not_found' });
    expect(await handler.handle('new', spec(1), { metadata, creates: true })).toMatchObject({
      status: 'done',
      loaded: { state: 1, revision: 0 },
    });
  });

  it('returns a refusal as a value and appends nothing', async () => {
    const { access, handler, spec } = setup();
    access.external('s', 1);
    expect(await handler.handle('s', spec(200), { metadata })).toEqual({
      status: 'refused',
      refusal: { ok: false, reason: 'too_big' },
    });
    expect(access.appends).toBe(0);
  });

  it('retries a lost race on fresh state, up to maxAttempts, then answers contention', async () => {
    const { access, handler, spec, conflicts } = setup();
    access.external('s', 1);
    access.conflicts = 2;
    expect(await handler.handle('s', spec(1), { metadata })).toMatchObject({
      status: 'done',
      loaded: { state: 2 },
    });
    expect(conflicts()).toBe(2);
    access.conflicts = 5;
    expect(await handler.handle('s', spec(1), { metadata })).toEqual({ status: 'contention', attempts: 3 });
  });

  it('checks If-Match against the store before refusing on a stale cache, and refuses a moved stream', async () => {
    const { access, handler, spec } = setup();
    access.external('s', 1);
    access.cache.set('s', { state: 0, revision: -1, position: 0 }); // stale
    expect(await handler.handle('s', spec(1), { metadata, expectedRevision: 0 })).toMatchObject({
      status: 'done',
    });
    expect(await handler.handle('s', spec(1), { metadata, expectedRevision: 0 })).toEqual({
      status: 'precondition_failed',
      expected: 0,
      actual: 1,
      raced: false,
    });
  });

  it('asks authorize before deciding, re-reading a cached state before it forbids', async () => {
    const { access, handler, spec } = setup();
    access.external('s', 1);
    access.external('s', 1);
    access.cache.set('s', { state: 1, revision: 0, position: 1 }); // stale: the store says 2
    const seen: number[] = [];
    const authorize = (loaded: Loaded) => {
      seen.push(loaded.state);
      return loaded.state < 2 ? 'not yet' : undefined;
    };
    expect(await handler.handle('s', spec(1), { metadata, authorize })).toMatchObject({ status: 'done' });
    expect(seen).toEqual([1, 2]);
    const never = () => 'no';
    expect(await handler.handle('s', spec(500), { metadata, authorize: never })).toEqual({
      status: 'forbidden',
      message: 'no',
    });
  });

  it('runs the asynchronous checks after authorization and If-Match, before deciding; a refusal appends nothing', async () => {
    const { access, handler, spec } = setup();
    access.external('s', 1);
    const order: string[] = [];
    const authorize = () => {
      order.push('authorize');
      return undefined;
    };
    const stale: Refusal = { ok: false, reason: 'stale' };
    const refuse = (loaded: Loaded | undefined, command: Add) => {
      order.push(`check ${loaded?.state ?? '-'} +${command.by}`);
      return Promise.resolve(stale);
    };
    expect(await handler.handle('s', spec(1), { metadata, authorize, check: refuse })).toEqual({
      status: 'refused',
      refusal: stale,
    });
    expect(order).toEqual(['authorize', 'check 1 +1']);
    expect(access.appends).toBe(0);
    // not asked when authorization or If-Match already refused
    order.length = 0;
    expect(
      await handler.handle('s', spec(1), { metadata, authorize: () => 'no', check: refuse }),
    ).toMatchObject({
      status: 'forbidden',
    });
    expect(
      await handler.handle('s', spec(1), { metadata, expectedRevision: 7, check: refuse }),
    ).toMatchObject({
      status: 'precondition_failed',
    });
    expect(order).toEqual([]);
    // a check that passes lets the decider decide
    const pass = () => Promise.resolve(undefined);
    expect(await handler.handle('s', spec(1), { metadata, check: pass })).toMatchObject({
      status: 'done',
      loaded: { state: 2 },
    });
  });

  it('answers an Idempotency-Key repeat with the first outcome, and a reused key for another request', async () => {
    const records = new Map<string, { fingerprint: string; id: string; revision: number }>();
    const idempotency: IdempotencyPort<Loaded> = {
      find: (key) => Promise.resolve(records.get(key)),
      loadAtRevision: (id, revision) => Promise.resolve({ state: -1, revision, position: 0 }),
      record: (key, fingerprint, id, loaded) => {
        records.set(key, { fingerprint, id, revision: loaded.revision });
        return Promise.resolve();
      },
    };
    const { access, handler, spec } = setup(idempotency);
    access.external('s', 1);
    const key = { key: 'k', fingerprint: 'f' };
    expect(await handler.handle('s', spec(1), { metadata, idempotency: key })).toMatchObject({
      status: 'done',
      replayed: false,
    });
    expect(await handler.handle('s', spec(1), { metadata, idempotency: key })).toMatchObject({
      status: 'done',
      replayed: true,
      loaded: { revision: 1 },
    });
    expect(access.appends).toBe(1);
    expect(
      await handler.handle('s', spec(1), { metadata, idempotency: { key: 'k', fingerprint: 'other' } }),
    ).toEqual({ status: 'idempotency_key_reused' });
  });
  it('authorises an Idempotency-Key repeat on the latest state, as a fresh request, and shows the first outcome as seen now', async () => {
    const records = new Map<string, { fingerprint: string; id: string; revision: number }>();
    const idempotency: IdempotencyPort<Loaded> = {
      find: (key) => Promise.resolve(records.get(key)),
      loadAtRevision: (id, revision) => Promise.resolve({ state: -1, revision, position: 0 }),
      record: (key, fingerprint, id, loaded) => {
        records.set(key, { fingerprint, id, revision: loaded.revision });
        return Promise.resolve();
      },
      asSeenNow: (then, now) => ({ ...then, position: now.position }),
    };
    const { access, handler, spec } = setup(idempotency);
    access.external('s', 1);
    const key = { key: 'k', fingerprint: 'f' };
    // allowed while the stream's total is below 10 (say, while the caller is assigned)
    const authorize = (loaded: Loaded) => (loaded.state < 10 ? undefined : 'not yours any more');
    expect(await handler.handle('s', spec(1), { metadata, idempotency: key, authorize })).toMatchObject({
      status: 'done',
      replayed: false,
    });
    access.external('s', 20); // someone else takes the stream over
    expect(await handler.handle('s', spec(1), { metadata, idempotency: key, authorize })).toEqual({
      status: 'forbidden',
      message: 'not yours any more',
    });
    // allowed: the first outcome (revision 1), shown as seen now (the latest position)
    expect(
      await handler.handle('s', spec(1), { metadata, idempotency: key, authorize: () => undefined }),
    ).toMatchObject({ status: 'done', replayed: true, loaded: { revision: 1, position: 3 } });
    expect(access.appends).toBe(1);
  });
});
