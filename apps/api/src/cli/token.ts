/**
 * Prints a bearer token for the engine:
 *   npm run token -- --sub ivanova --name "Иванова А.А." --roles registrar,controller [--department "Отдел ЖКХ"] [--ttl 8h]
 * Uses AUTH_JWT_SECRET, or the secret the engine generated in DATA_DIR. The token expires after
 * --ttl (default and longest: AUTH_MAX_TOKEN_LIFETIME) and carries AUTH_ISSUER / AUTH_AUDIENCE
 * when they are set, as the engine requires.
 */
import { parseArgs } from 'node:util';
import { parseDuration } from '../auth/auth-config';
import { resolveJwtSecret } from '../auth/jwt-secret';
import { signLocalToken } from '../auth/local-token';
import { isRole, ROLES } from '../auth/principal';
import { loadConfig } from '../config/app-config';

function fail(message: string): never {
  process.stderr.write(message + '\n');
  process.exit(2);
}

function main(): void {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      name: { type: 'string' },
      roles: { type: 'string' },
      department: { type: 'string' },
      ttl: { type: 'string' },
    },
  });
  if (!values.sub || !values.roles) {
    fail(
      `usage: npm run token -- --sub ID --name NAME --roles ${ROLES.join(',')} [--department D] [--ttl 12h]`,
    );
  }
  const roles = values.roles.split(',').map((r) => r.trim());
  const bad = roles.filter((r) => !isRole(r));
  if (bad.length) fail(`unknown role(s): ${bad.join(', ')}; known: ${ROLES.join(', ')}`);
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const max = config.auth.maxTokenLifetimeSeconds;
  let ttl = max;
  try {
    if (values.ttl) ttl = parseDuration('--ttl', values.ttl);
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (ttl < 1 || ttl > max)
    fail(
      `--ttl must be from 1 s to AUTH_MAX_TOKEN_LIFETIME (${max} s): the engine refuses longer-lived tokens`,
    );
  const claims: Record<string, unknown> = { sub: values.sub, name: values.name ?? values.sub, roles };
  if (values.department) claims.department = values.department;
  process.stdout.write(signLocalToken(resolveJwtSecret(config), config.auth, claims, ttl) + '\n');
}

main();
