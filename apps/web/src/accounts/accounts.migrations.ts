/** The accounts' tables: users and their server-side web sessions (applied at start, in order). */
import type { Migration } from '@appeal-ledger/event-store';

export const ACCOUNTS_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'users-and-web-sessions',
    sql: `CREATE TABLE IF NOT EXISTS users (
            login text PRIMARY KEY,
            name text NOT NULL,
            roles text[] NOT NULL DEFAULT '{}',
            department text,
            password_hash text,
            disabled boolean NOT NULL DEFAULT false,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL
          );
          CREATE TABLE IF NOT EXISTS web_sessions (
            id_hash text PRIMARY KEY,
            login text NOT NULL REFERENCES users (login) ON DELETE CASCADE,
            csrf_token text NOT NULL,
            created_at timestamptz NOT NULL,
            last_seen timestamptz NOT NULL,
            expires_at timestamptz NOT NULL
          );
          CREATE INDEX IF NOT EXISTS web_sessions_login ON web_sessions (login);
          CREATE INDEX IF NOT EXISTS web_sessions_expires ON web_sessions (expires_at);`,
  },
  {
    version: 2,
    name: 'users-signed-in-through-an-identity-provider',
    // The issuer of an account made by single sign-on; NULL for a local account.
    sql: `ALTER TABLE users ADD COLUMN IF NOT EXISTS oidc_issuer text;`,
  },
];
