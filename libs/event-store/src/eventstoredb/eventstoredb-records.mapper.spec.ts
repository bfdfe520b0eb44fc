import { EventStoreDBClient } from '@eventstore/db-client';
import {
  CLAIM_STREAM_PREFIX,
  StreamScope,
  claimStreamOf,
  exactTypesRegex,
  matchesFilter,
  toEsdbPosition,
  toPortPosition,
} from './eventstoredb-records.mapper';
import { createEventStoreDbEventStore } from './eventstoredb-event-store.adapter';

describe('EventStoreDB record mapping', () => {
  it('maps a port position to the commit/prepare pair and back', () => {
    expect(toEsdbPosition(1234)).toEqual({ commit: 1234n, prepare: 1234n });
    expect(toPortPosition({ commit: 1234n, prepare: 1234n })).toBe(1234);
    expect(() => toPortPosition({ commit: 2n ** 53n, prepare: 2n ** 53n })).toThrow(RangeError);
  });

  it('builds an anchored, escaped regex for exact event types', () => {
    const re = new RegExp(exactTypesRegex(['Appeal.Registered', 'Closed(v2)', 'A|B']));
    expect(['Appeal.Registered', 'Closed(v2)', 'A|B'].every((t) => re.test(t))).toBe(true);
    expect(
      ['AppealXRegistered', 'Appeal.RegisteredV2', 'A', 'B', 'xClosed(v2)'].some((t) => re.test(t)),
    ).toBe(false);
  });

  it('sees only its namespace, never system streams or event-id claims', () => {
    const plain = new StreamScope('');
    expect(plain.fromEsdb('appeal-1')).toBe('appeal-1');
    expect(plain.fromEsdb('$users')).toBeUndefined();
    expect(plain.fromEsdb(claimStreamOf('0F8FAD5B-D9CB-469F-A165-70867728950E'))).toBeUndefined();
    expect(claimStreamOf('0F8FAD5B-D9CB-469F-A165-70867728950E')).toBe(
      `${CLAIM_STREAM_PREFIX}0f8fad5b-d9cb-469f-a165-70867728950e`,
    );

    const tenant = new StreamScope('t1/');
    expect(tenant.toEsdb('appeal-1')).toBe('t1/appeal-1');
    expect(tenant.fromEsdb('t1/appeal-1')).toBe('appeal-1');
    expect(tenant.fromEsdb('t2/appeal-1')).toBeUndefined();
    expect(tenant.fromEsdb(`t1/${CLAIM_STREAM_PREFIX}x`)).toBeUndefined();
    expect(tenant.serverPrefixes(undefined)).toEqual(['t1/']);
    expect(tenant.serverPrefixes({ streamPrefixes: ['appeal-'] })).toEqual(['t1/appeal-']);
    expect(plain.serverPrefixes({ streamPrefixes: [] })).toBeUndefined();
  });

  it('applies the port filter literally; empty lists filter nothing', () => {
    expect(matchesFilter({ streamPrefixes: ['a_b'] }, 'aqb-1', 'X')).toBe(false);
    expect(matchesFilter({ streamPrefixes: ['a_b'] }, 'a_b-1', 'X')).toBe(true);
    expect(matchesFilter({ eventTypes: ['X'] }, 'a', 'X')).toBe(true);
    expect(matchesFilter({ eventTypes: ['X'] }, 'a', 'Y')).toBe(false);
    expect(matchesFilter({ streamPrefixes: [], eventTypes: [] }, 'a', 'Y')).toBe(true);
  });

  it('passes cluster connection strings to the client unchanged, without connecting', async () => {
    const spy = jest.spyOn(EventStoreDBClient, 'connectionString');
    const url = 'esdb://a.example:2113,b.example:2113,c.example:2113?tls=false&nodePreference=leader';
    const store = createEventStoreDbEventStore(url);
    expect(spy).toHaveBeenCalledWith(url);
    spy.mockRestore();
    await store.close();
  });
});
