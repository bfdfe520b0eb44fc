import { randomFillSync } from 'node:crypto';
import { pooledRandomBytes, RANDOM_POOL_BYTES } from './random-pool';

jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  return { ...actual, randomFillSync: jest.fn(actual.randomFillSync) };
});
const fill = jest.mocked(randomFillSync);
const realFill = jest.requireActual<typeof import('node:crypto')>('node:crypto').randomFillSync;

describe('pooledRandomBytes', () => {
  beforeEach(() => {
    fill.mockClear();
    fill.mockImplementation(realFill);
  });

  it('asks the CSPRNG once per 4 KiB served, not once per call', () => {
    // a registration's draws (two 32-byte keys, four 12-byte IVs), many times over
    const draws = 200;
    let served = 0;
    for (let i = 0; i < draws; i++) {
      for (const size of [32, 32, 12, 12, 12, 12]) {
        expect(pooledRandomBytes(size)).toHaveLength(size);
        served += size;
      }
    }
    expect(fill.mock.calls.length).toBeGreaterThan(0);
    expect(fill.mock.calls.length).toBeLessThanOrEqual(Math.ceil(served / (RANDOM_POOL_BYTES - 32)) + 1);
  });

  it('hands out every byte the CSPRNG gave once, in order, each draw in its own buffer', () => {
    let counter = 0;
    // a stand-in CSPRNG: the n-th byte it ever produces is n mod 251
    fill.mockImplementation(<T extends NodeJS.ArrayBufferView>(buffer: T): T => {
      const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      for (let i = 0; i < bytes.length; i++) bytes[i] = counter++ % 251;
      return buffer;
    });
    pooledRandomBytes(RANDOM_POOL_BYTES); // whatever the pool held, it is empty after this
    counter = 0;
    const draws = Array.from({ length: 400 }, () => pooledRandomBytes(12));
    // 341 draws from the first refill (bytes 0 .. 4091), its last 4 bytes left, then the second's
    const expected = [
      ...Array.from({ length: 341 * 12 }, (_, i) => i % 251),
      ...Array.from({ length: 59 * 12 }, (_, i) => (RANDOM_POOL_BYTES + i) % 251),
    ];
    expect(Buffer.concat(draws)).toEqual(Buffer.from(expected));
    // no draw shares memory with the pool or another draw
    expect(new Set(draws.map((b) => b.buffer)).size).toBe(draws.length);
    for (const b of draws) expect(b.buffer.byteLength).toBe(12);
  });

  it('fills a draw larger than the pool straight from the CSPRNG, and refuses a bad size', () => {
    const big = pooledRandomBytes(RANDOM_POOL_BYTES + 1);
    expect(big).toHaveLength(RANDOM_POOL_BYTES + 1);
    expect(() => pooledRandomBytes(-1)).toThrow(RangeError);
    expect(() => pooledRandomBytes(1.5)).toThrow(RangeError);
  });
});
