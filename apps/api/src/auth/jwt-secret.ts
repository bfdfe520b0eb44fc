/** The HS256 secret: AUTH_JWT_SECRET, or one generated on first start and kept in DATA_DIR. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkJwtSecret } from './auth-config';

export const jwtSecretFile = (dataDir: string): string => join(dataDir, 'secrets', 'jwt-secret');

export function resolveJwtSecret(options: { jwtSecret?: string; dataDir: string }, create = true): string {
  if (options.jwtSecret) {
    checkJwtSecret(options.jwtSecret, 'AUTH_JWT_SECRET');
    return options.jwtSecret;
  }
  const file = jwtSecretFile(options.dataDir);
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    checkJwtSecret(kept, `the secret in ${file}`);
    return kept;
  }
  if (!create)
    throw new Error(`no AUTH_JWT_SECRET and no generated secret at ${file}: start the engine once first`);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}
