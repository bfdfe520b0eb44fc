/** Accounts in PostgreSQL: login (lower case), name, roles, department, password hash, disabled. */
import type { Pool } from 'pg';
import { isRole, type Role } from '../../../api/src/auth/principal';

export interface Account {
  login: string;
  name: string;
  roles: Role[];
  department?: string;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface AccountWithHash extends Account {
  passwordHash?: string;
}

interface UserRow {
  login: string;
  name: string;
  roles: string[];
  department: string | null;
  password_hash: string | null;
  disabled: boolean;
  created_at: Date;
  updated_at: Date;
}

const toAccount = (row: UserRow): AccountWithHash => ({
  login: row.login,
  name: row.name,
  roles: row.roles.filter(isRole),
  department: row.department ?? undefined,
  disabled: row.disabled,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  passwordHash: row.password_hash ?? undefined,
});

export const withoutHash = ({ passwordHash: _hash, ...account }: AccountWithHash): Account => account;

export class LoginTakenError extends Error {
  override readonly name = 'LoginTakenError';
}

export class UsersStore {
  constructor(private readonly pool: Pool) {}

  async find(login: string): Promise<AccountWithHash | undefined> {
    const res = await this.pool.query<UserRow>('SELECT * FROM users WHERE login = $1', [login.toLowerCase()]);
    return res.rows[0] ? toAccount(res.rows[0]) : undefined;
  }

  async list(): Promise<Account[]> {
    const res = await this.pool.query<UserRow>('SELECT * FROM users ORDER BY login');
    return res.rows.map((r) => withoutHash(toAccount(r)));
  }

  /** Throws LoginTakenError when the login exists. */
  async create(
    account: { login: string; name: string; roles: Role[]; department?: string; passwordHash?: string },
    now: Date,
  ): Promise<Account> {
    const res = await this.pool.query<UserRow>(
      `INSERT INTO users (login, name, roles, department, password_hash, disabled, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, false, $6, $6)
       ON CONFLICT (login) DO NOTHING RETURNING *`,
      [
        account.login.toLowerCase(),
        account.name,
        account.roles,
        account.department ?? null,
        account.passwordHash ?? null,
        now,
      ],
    );
    if (!res.rows[0]) throw new LoginTakenError(`the login "${account.login}" is taken`);
    return withoutHash(toAccount(res.rows[0]));
  }

  /**
   * The account of a person signed in through the identity provider `issuer`: created on first
   * sign-in, its name, roles and department replaced by the provider's on every later one.
   * Undefined when the login belongs to a local account (or another provider's): that one is never
   * taken over.
   */
  async upsertExternal(
    account: { login: string; name: string; roles: Role[]; department?: string },
    issuer: string,
    now: Date,
  ): Promise<Account | undefined> {
    const res = await this.pool.query<UserRow>(
      `INSERT INTO users (login, name, roles, department, password_hash, disabled, created_at, updated_at, oidc_issuer)
       VALUES ($1, $2, $3, $4, NULL, false, $5, $5, $6)
       ON CONFLICT (login) DO UPDATE
         SET name = excluded.name, roles = excluded.roles, department = excluded.department, updated_at = $5
         WHERE users.oidc_issuer = excluded.oidc_issuer
       RETURNING *`,
      [account.login.toLowerCase(), account.name, account.roles, account.department ?? null, now, issuer],
    );
    return res.rows[0] ? withoutHash(toAccount(res.rows[0])) : undefined;
  }

  /** Changes what is given; undefined when the login is unknown. `department: null` clears it. */
  async update(
    login: string,
    change: {
      name?: string;
      roles?: Role[];
      department?: string | null;
      disabled?: boolean;
      passwordHash?: string;
    },
    now: Date,
  ): Promise<Account | undefined> {
    const sets: string[] = ['updated_at = $2'];
    const values: unknown[] = [login.toLowerCase(), now];
    const set = (column: string, value: unknown): void => {
      values.push(value);
      sets.push(`${column} = $${values.length}`);
    };
    if (change.name !== undefined) set('name', change.name);
    if (change.roles !== undefined) set('roles', change.roles);
    if (change.department !== undefined) set('department', change.department);
    if (change.disabled !== undefined) set('disabled', change.disabled);
    if (change.passwordHash !== undefined) set('password_hash', change.passwordHash);
    const res = await this.pool.query<UserRow>(
      `UPDATE users SET ${sets.join(', ')} WHERE login = $1 RETURNING *`,
      values,
    );
    return res.rows[0] ? withoutHash(toAccount(res.rows[0])) : undefined;
  }
}
