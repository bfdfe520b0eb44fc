/**
 * The key that signs event-store checkpoints: EVENT_STORE_INTEGRITY_KEY (base64, 32+ bytes), or one
 * generated on first start and kept in DATA_DIR/secrets, like the other secrets. Keep it away from
 * whoever administers the database: with it, checkpoints could be re-signed over edited events.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { integrityKey, type IntegrityKey } from '@appeal-ledger/event-store';

export const integrityKeyFile = (dataDir: string): string =>
  join(dataDir, 'secrets', 'event-store-integrity.key');

export function loadIntegrityKey(
  options: { dataDir: string; integrityKey?: string },
  create = true,
): IntegrityKey | undefined {
  if (options.integrityKey) {
    const secret = Buffer.from(options.integrityKey, 'base64');
    if (secret.length < 32)
      throw new Error('EVENT_STORE_INTEGRITY_KEY must be 32 or more bytes, base64-encoded');
    return integrityKey(secret);
  }
  const file = integrityKeyFile(options.dataDir);
  if (existsSync(file)) return integrityKey(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'));
  if (!create) return undefined;
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(32);
  writeFileSync(file, secret.toString('base64') + '\n', { mode: 0o600 });
  return integrityKey(secret);
}
