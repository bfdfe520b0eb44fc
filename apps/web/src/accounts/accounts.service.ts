/**
 * Accounts and sign-in: the tables' migrations and the first `admin` at start, password checks
 * with slowing down, sessions opened and closed, accounts created and changed.
 */
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import type { Role } from '../../../api/src/auth/principal';
import { APP_CONFIG, type AppConfig } from '../../../api/src/config/app-config';
import { PG_POOL } from '../../../api/src/infrastructure/infrastructure.module';
import { LOGGER } from '../../../api/src/logging/logger.module';
import type { Logger } from '../../../api/src/logging/logger';
import { CLOCK, type Clock } from '../../../api/src/shared/clock';
import { decoyHash, generatePassword, hashPassword, verifyPassword } from './password';
import { SessionsStore } from './sessions.store';
import { SignInThrottle } from './sign-in-throttle';
import { UsersStore, type Account } from './users.store';

/** Advisory lock key (`ALAD`) held while the first admin is created, so two instances make one. */
const FIRST_ADMIN_LOCK = 1095516484;

export const initialAdminPasswordFile = (dataDir: string): string =>
  join(dataDir, 'secrets', 'initial-admin-password');

export type SignInResult =
  | { ok: true; token: string; csrfToken: string; account: Account }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; waitSeconds: number };

@Injectable()
export class AccountsService implements OnModuleInit {
  readonly users: UsersStore;
  readonly sessions: SessionsStore;
  private readonly throttle = new SignInThrottle();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    this.users = new UsersStore(pool);
    this.sessions = new SessionsStore(pool, config.web.sessionIdleMinutes * 60_000);
  }

  async onModuleInit(): Promise<void> {
    await this.ensureFirstAdmin();
  }

  /** On an empty users table: `admin` with a generated password written to DATA_DIR/secrets (0600). */
  private async ensureFirstAdmin(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [FIRST_ADMIN_LOCK]);
      const { rows } = await client.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM users) AS any');
      if (rows[0].any) {
        await client.query('COMMIT');
        return;
      }
      const password = generatePassword();
      const now = this.clock.now();
      await client.query(
        `INSERT INTO users (login, name, roles, password_hash, disabled, created_at, updated_at)
         VALUES ('admin', 'Администратор', '{admin}', $1, false, $2, $2) ON CONFLICT (login) DO NOTHING`,
        [await hashPassword(password), now],
      );
      const file = initialAdminPasswordFile(this.config.dataDir);
      mkdirSync(join(this.config.dataDir, 'secrets'), { recursive: true, mode: 0o700 });
      writeFileSync(file, password + '\n', { mode: 0o600 });
      chmodSync(file, 0o600);
      await client.query('COMMIT');
      this.log.info(
        { file },
        `created the first account "admin"; its password is in ${file} (sign in at /login and change it)`,
      );
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Checks a login and password; the same answer whether the login or the password was wrong. */
  async signIn(loginInput: string, password: string, address: string): Promise<SignInResult> {
    const login = loginInput.trim().toLowerCase();
    const nowMs = this.clock.now().getTime();
    const wait = this.throttle.waitMs(login, address, nowMs);
    if (wait > 0) return { ok: false, reason: 'throttled', waitSeconds: Math.ceil(wait / 1000) };
    const account = login ? await this.users.find(login) : undefined;
    const hash = account?.passwordHash ?? (await decoyHash());
    const matches = await verifyPassword(password, hash);
    if (!account || !account.passwordHash || !matches || account.disabled) {
      this.throttle.failed(login, address, this.clock.now().getTime());
      this.log.info({ login, address }, 'sign-in refused');
      return { ok: false, reason: 'invalid' };
    }
    this.throttle.succeeded(login);
    const { token, csrfToken } = await this.sessions.open(account.login, this.clock.now());
    this.log.info({ login: account.login }, 'signed in');
    const { passwordHash: _h, ...rest } = account;
    return { ok: true, token, csrfToken, account: rest };
  }

  async createAccount(input: {
    login: string;
    name: string;
    roles: Role[];
    department?: string;
    password: string;
  }): Promise<Account> {
    return this.users.create(
      {
        login: input.login,
        name: input.name,
        roles: [...new Set(input.roles)],
        department: input.department,
        passwordHash: await hashPassword(input.password),
      },
      this.clock.now(),
    );
  }

  async updateAccount(
    login: string,
    change: {
      name?: string;
      roles?: Role[];
      department?: string | null;
      disabled?: boolean;
      password?: string;
    },
  ): Promise<Account | undefined> {
    const updated = await this.users.update(
      login,
      {
        name: change.name,
        roles: change.roles ? [...new Set(change.roles)] : undefined,
        department: change.department,
        disabled: change.disabled,
        passwordHash: change.password !== undefined ? await hashPassword(change.password) : undefined,
      },
      this.clock.now(),
    );
    if (updated && (change.disabled === true || change.password !== undefined))
      await this.sessions.closeAllOf(updated.login);
    return updated;
  }
}
