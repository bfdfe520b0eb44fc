import { createHash } from 'node:crypto';
import { APPEAL_LEDGER_ID_NAMESPACE, deterministicEventId, uuidV5 } from './deterministic-event-id.util';

// counts the hashes computed (the module under test gets this createHash too)
jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  return { ...actual, createHash: jest.fn(actual.createHash) };
});

describe('deterministic event ids', () => {
  it('uuidV5 matches the RFC 9562 / Python uuid.uuid5 vector', () => {
    // uuid.uuid5(uuid.NAMESPACE_DNS, 'www.example.com')
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('is stable for the same inputs and a version 5 UUID', () => {
    const id = deterministicEventId('idem-key-42', 'appeal-1', '0');
    expect(deterministicEventId('idem-key-42', 'appeal-1', '0')).toBe(id);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('differs by namespace, by any part, and by how parts are split', () => {
    const ids = [
      deterministicEventId('key-1', 'appeal-1', '0'),
      deterministicEventId('key-2', 'appeal-1', '0'),
      deterministicEventId('key-1', 'appeal-2', '0'),
      deterministicEventId('key-1', 'appeal-1', '1'),
      deterministicEventId('key-1', 'appeal-1-0'),
      deterministicEventId('key-1', 'appeal', '1-0'),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('uses a UUID namespace as the v5 namespace, case-insensitively', () => {
    const ns = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(deterministicEventId(ns, 'a')).toBe(uuidV5('["a"]', ns));
    expect(deterministicEventId(ns.toUpperCase(), 'a')).toBe(deterministicEventId(ns, 'a'));
  });

  it('derives a plain-string namespace once, and the same ids as deriving it every time', () => {
    const sha1 = jest.mocked(createHash);
    sha1.mockClear();
    const first = deterministicEventId('appeal-ledger/memo-test', 'appeal-1', '0');
    const second = deterministicEventId('appeal-ledger/memo-test', 'appeal-2', '0');
    // the namespace's UUID, then one id each
    expect(sha1).toHaveBeenCalledTimes(3);
    const ns = uuidV5('appeal-ledger/memo-test', APPEAL_LEDGER_ID_NAMESPACE);
    expect([first, second]).toEqual([uuidV5('["appeal-1","0"]', ns), uuidV5('["appeal-2","0"]', ns)]);
  });

  it('keeps a bounded number of namespaces and still derives any of them correctly', () => {
    const sha1 = jest.mocked(createHash);
    const ids = Array.from({ length: 100 }, (_, i) => deterministicEventId(`key-${i}`, 'a'));
    for (const i of [0, 50, 99])
      expect(ids[i]).toBe(uuidV5('["a"]', uuidV5(`key-${i}`, APPEAL_LEDGER_ID_NAMESPACE)));
    // the newest namespace is still kept (one hash: the id); the oldest was let go (two: it again)
    sha1.mockClear();
    deterministicEventId('key-99', 'b');
    expect(sha1).toHaveBeenCalledTimes(1);
    sha1.mockClear();
    deterministicEventId('key-0', 'b');
    expect(sha1).toHaveBeenCalledTimes(2);
  });
});
