/**
 * Random bytes for the vault's keys and IVs, drawn from a buffer the CSPRNG fills 4 KiB at a time
 * (as Node's own `randomUUID()` does with its entropy cache). `randomBytes(12)` costs ~5 µs per call
 * on the engine's one thread, whatever the size; a registration asks for six or more, so each call
 * going to OpenSSL was ~4 % of that thread under load (docs/benchmarks.md, session 14).
 *
 * Every byte is handed out once: the caller gets a copy in its own allocation (a key may live long in
 * the vault's cache, and must not keep a shared slab alive), and the served span of the pool is
 * zeroed at once, so no key or IV stays behind in the pool.
 */
import { randomFillSync } from 'node:crypto';

export const RANDOM_POOL_BYTES = 4096;

const pool = Buffer.alloc(RANDOM_POOL_BYTES);
let offset = RANDOM_POOL_BYTES;

/** `size` bytes from the CSPRNG (crypto.randomBytes' contract), at most one refill per 4 KiB served. */
export function pooledRandomBytes(size: number): Buffer {
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`pooledRandomBytes: bad size ${size}`);
  const out = Buffer.allocUnsafeSlow(size);
  if (size > RANDOM_POOL_BYTES) return randomFillSync(out);
  if (offset + size > RANDOM_POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  pool.copy(out, 0, offset, offset + size);
  pool.fill(0, offset, offset + size);
  offset += size;
  return out;
}
