/**
 * Prints a bearer token for the engine:
 *   npm run token -- --sub ivanova --name "Иванова А.А." --roles registrar,controller [--department "Отдел ЖКХ"] [--ttl 8h]
 * Uses AUTH_JWT_SECRET, or the secret the engine generated in DATA_DIR.
 */
import { JwtService } from '@nestjs/jwt';
import { parseArgs } from 'node:util';
import { resolveJwtSecret } from '../auth/jwt-secret';
import { isRole, ROLES } from '../auth/principal';
import { loadConfig } from '../config/app-config';

function main(): void {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      name: { type: 'string' },
      roles: { type: 'string' },
      department: { type: 'string' },
      ttl: { type: 'string', default: '12h' },
    },
  });
  if (!values.sub || !values.roles) {
    process.stderr.write(
      `usage: npm run token -- --sub ID --name NAME --roles ${ROLES.join(',')} [--department D] [--ttl 12h]\n`,
    );
    process.exit(2);
  }
  const roles = values.roles.split(',').map((r) => r.trim());
  const bad = roles.filter((r) => !isRole(r));
  if (bad.length) {
    process.stderr.write(`unknown role(s): ${bad.join(', ')}; known: ${ROLES.join(', ')}\n`);
    process.exit(2);
  }
  const config = loadConfig();
  const secret = resolveJwtSecret(config);
  const jwt = new JwtService({ secret });
  const payload: Record<string, unknown> = { sub: values.sub, name: values.name ?? values.sub, roles };
  if (values.department) payload.department = values.department;
  process.stdout.write(
    jwt.sign(payload, { algorithm: 'HS256', expiresIn: values.ttl as `${number}h` }) + '\n',
  );
}

main();
