/**
 * Server-side web sessions. The cookie carries a random 256-bit token; the table keeps only its
 * SHA-256, so a copy of the table opens no session. A session ends after SESSION_IDLE_MINUTES
 * without a request, on sign-out, when its account is disabled (at once: every lookup joins the
 * account) and when the account's password is changed.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { isRole, type Principal } from '../../../api/src/auth/principal';

export interface ActiveSession {
  principal: Principal;
  csrfToken: string;
}

/** last_seen is written at most this often per session (idle expiry is counted in minutes). */
const TOUCH_EVERY_MS = 15_000;

const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

export class SessionsStore {
  constructor(
    private readonly pool: Pool,
    private readonly idleMs: number,
  ) {}

  /** Opens a session; returns the cookie's token and the CSRF token. */
  async open(login: string, now: Date): Promise<{ token: string; csrfToken: string }> {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    await this.pool.query('DELETE FROM web_sessions WHERE expires_at < $1', [now]);
    await this.pool.query(
      `INSERT INTO web_sessions (id_hash, login, csrf_token, created_at, last_seen, expires_at)
       VALUES ($1, $2, $3, $4, $4, $5)`,
      [digest(token), login, csrfToken, now, new Date(now.getTime() + this.idleMs)],
    );
    return { token, csrfToken };
  }

  /** The session's account when the session is alive and the account enabled; extends the session. */
  async resume(token: string, now: Date): Promise<ActiveSession | undefined> {
    const id = digest(token);
    const res = await this.pool.query<{
      login: string;
      name: string;
      roles: string[];
      department: string | null;
      csrf_token: string;
      last_seen: Date;
    }>(
      `SELECT u.login, u.name, u.roles, u.department, s.csrf_token, s.last_seen
         FROM web_sessions s JOIN users u ON u.login = s.login
        WHERE s.id_hash = $1 AND s.expires_at > $2 AND NOT u.disabled`,
      [id, now],
    );
    const row = res.rows[0];
    if (!row) return undefined;
    if (now.getTime() - row.last_seen.getTime() >= TOUCH_EVERY_MS) {
      await this.pool.query('UPDATE web_sessions SET last_seen = $2, expires_at = $3 WHERE id_hash = $1', [
        id,
        now,
        new Date(now.getTime() + this.idleMs),
      ]);
    }
    return {
      principal: {
        id: row.login,
        name: row.name,
        roles: row.roles.filter(isRole),
        department: row.department ?? undefined,
      },
      csrfToken: row.csrf_token,
    };
  }

  /** Whether the session is alive and its account enabled — without extending it (not activity). */
  async isAlive(token: string, now: Date): Promise<boolean> {
    const res = await this.pool.query(
      `SELECT 1 FROM web_sessions s JOIN users u ON u.login = s.login
        WHERE s.id_hash = $1 AND s.expires_at > $2 AND NOT u.disabled`,
      [digest(token), now],
    );
    return (res.rowCount ?? 0) > 0;
  }

  async close(token: string): Promise<void> {
    await this.pool.query('DELETE FROM web_sessions WHERE id_hash = $1', [digest(token)]);
  }

  async closeAllOf(login: string): Promise<void> {
    await this.pool.query('DELETE FROM web_sessions WHERE login = $1', [login.toLowerCase()]);
  }
}
