/**
 * The key signing reminder webhooks: WEBHOOK_SECRET, or one generated on the first start with a
 * webhook and kept in DATA_DIR/secrets/webhook-secret (give it to the receiver; docs/webhooks.md).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const webhookSecretFile = (dataDir: string): string => join(dataDir, 'secrets', 'webhook-secret');

export function resolveWebhookSecret(options: { webhookSecret?: string; dataDir: string }): string {
  if (options.webhookSecret) return options.webhookSecret;
  const file = webhookSecretFile(options.dataDir);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}
