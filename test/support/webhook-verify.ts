/**
 * The receiver's check exactly as docs/webhooks.md shows it (kept in step with the snippet there):
 * the test's webhook receiver verifies every request with it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function verifyAppealLedgerSignature(
  secret: string,
  header: string | undefined,
  rawBody: string,
  toleranceSeconds = 300,
): boolean {
  if (!header) return false;
  const fields = header.split(',').map((part) => part.trim().split('='));
  const t = Number(fields.find(([name]) => name === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  return fields.some(
    ([name, value]) =>
      name === 'v1' &&
      /^[0-9a-f]{64}$/.test(value ?? '') &&
      timingSafeEqual(Buffer.from(value, 'hex'), expected),
  );
}
