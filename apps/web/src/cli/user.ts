/**
 * Accounts from the command line, through the running engine's HTTP API:
 *   npm run user -- add --login ivanova --name "Иванова А.А." --roles registrar,controller [--department "Отдел ЖКХ"]
 *   npm run user -- set-password --login ivanova
 *   npm run user -- disable --login ivanova      (enable: the same with `enable`)
 *   npm run user -- list
 * The password is read from standard input (its first line), never from the command line. The CLI
 * signs its requests with a short-lived admin token made from the engine's JWT secret
 * (AUTH_JWT_SECRET or DATA_DIR/secrets/jwt-secret, as `npm run token`), and finds the engine at
 * APPEAL_LEDGER_URL or http://127.0.0.1:$PORT.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { resolveJwtSecret } from '../../../api/src/auth/jwt-secret';
import { signLocalToken } from '../../../api/src/auth/local-token';
import { isRole, ROLES } from '../../../api/src/auth/principal';
import { loadConfig } from '../../../api/src/config/app-config';

const USAGE = `usage:
  npm run user -- add --login LOGIN --name "NAME" --roles ${ROLES.join(',')} [--department "D"]   (password on stdin)
  npm run user -- set-password --login LOGIN   (password on stdin)
  npm run user -- disable --login LOGIN | enable --login LOGIN
  npm run user -- list
`;

function fail(message: string, code = 2): never {
  process.stderr.write(message.endsWith('\n') ? message : message + '\n');
  process.exit(code);
}

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Пароль: ');
  const rl = createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    rl.close();
    return line.replace(/\r$/, '');
  }
  return '';
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: {
      login: { type: 'string' },
      name: { type: 'string' },
      roles: { type: 'string' },
      department: { type: 'string' },
    },
  });
  const config = loadConfig();
  const base = (process.env.APPEAL_LEDGER_URL ?? `http://127.0.0.1:${config.port}`).replace(/\/$/, '');
  const token = signLocalToken(
    resolveJwtSecret(config, false),
    config.auth,
    { sub: 'cli', name: 'npm run user', roles: ['admin'] },
    120,
  );
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    let res: Response;
    try {
      res = await fetch(base + path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      fail(`cannot reach the engine at ${base} (is it running? set APPEAL_LEDGER_URL): ${String(error)}`, 1);
    }
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) {
      const problem = parsed as { detail?: string } | undefined;
      fail(`${res.status}: ${problem?.detail ?? text}`, 1);
    }
    return parsed;
  };
  const login = (): string => values.login ?? fail(`--login is required\n${USAGE}`);

  switch (command) {
    case 'add': {
      if (!values.name || !values.roles) fail(`--name and --roles are required\n${USAGE}`);
      const roles = values.roles
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean);
      const bad = roles.filter((r) => !isRole(r));
      if (bad.length) fail(`unknown role(s): ${bad.join(', ')}; known: ${ROLES.join(', ')}`);
      const password = await readPassword();
      const account = await call('POST', '/admin/users', {
        login: login(),
        name: values.name,
        roles,
        ...(values.department ? { department: values.department } : {}),
        password,
      });
      process.stdout.write(`created ${(account as { login: string }).login}\n`);
      return;
    }
    case 'set-password': {
      const name = login();
      await call('PATCH', `/admin/users/${encodeURIComponent(name)}`, { password: await readPassword() });
      process.stdout.write(`password of ${name} changed; its sessions ended\n`);
      return;
    }
    case 'disable':
    case 'enable': {
      const name = login();
      await call('PATCH', `/admin/users/${encodeURIComponent(name)}`, { disabled: command === 'disable' });
      process.stdout.write(`${name} ${command}d\n`);
      return;
    }
    case 'list': {
      const users = (await call('GET', '/admin/users')) as {
        login: string;
        name: string;
        roles: string[];
        department?: string;
        disabled: boolean;
      }[];
      for (const u of users)
        process.stdout.write(
          `${u.login}\t${u.name}\t${u.roles.join(',')}\t${u.department ?? ''}\t${u.disabled ? 'disabled' : 'active'}\n`,
        );
      return;
    }
    default:
      fail(USAGE);
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error), 1));
