/**
 * Idempotency-Key records: a repeated command returns the first response and writes nothing new.
 * Only the outcome (appeal, revision, position, status) is kept — never the request or response
 * bodies, which hold personal data; the response is re-rendered from the stream at that revision.
 */
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';

export interface IdempotentOutcome {
  status: number;
  appealId: string;
  revision: number;
  position: number;
}

export interface IdempotencyRecord extends IdempotentOutcome {
  fingerprint: string;
}

export const IDEMPOTENCY_MIGRATIONS = [
  {
    version: 1,
    name: 'idempotency-keys',
    sql: `CREATE TABLE IF NOT EXISTS idempotency_keys (
            key text PRIMARY KEY,
            fingerprint text NOT NULL,
            appeal_id uuid NOT NULL,
            status int NOT NULL,
            revision int NOT NULL,
            position bigint NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now()
          );
          CREATE INDEX IF NOT EXISTS idempotency_keys_created ON idempotency_keys (created_at);`,
  },
];

/** What makes two requests "the same command": route, caller and body. */
export function fingerprint(parts: {
  method: string;
  route: string;
  principalId: string;
  body: unknown;
}): string {
  return createHash('sha256')
    .update(JSON.stringify([parts.method, parts.route, parts.principalId, parts.body ?? null]))
    .digest('base64url');
}

export class IdempotencyStore {
  constructor(private readonly pool: Pool) {}

  async find(key: string): Promise<IdempotencyRecord | undefined> {
    const res = await this.pool.query<{
      fingerprint: string;
      appeal_id: string;
      status: number;
      revision: number;
      position: string;
    }>('SELECT fingerprint, appeal_id, status, revision, position FROM idempotency_keys WHERE key = $1', [
      key,
    ]);
    const row = res.rows[0];
    if (!row) return undefined;
    return {
      fingerprint: row.fingerprint,
      appealId: row.appeal_id,
      status: row.status,
      revision: row.revision,
      position: Number(row.position),
    };
  }

  /** Records the outcome; when a concurrent twin recorded first, returns its record instead. */
  async record(key: string, fp: string, outcome: IdempotentOutcome): Promise<IdempotencyRecord> {
    const res = await this.pool.query(
      `INSERT INTO idempotency_keys (key, fingerprint, appeal_id, status, revision, position)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO NOTHING`,
      [key, fp, outcome.appealId, outcome.status, outcome.revision, outcome.position],
    );
    if (res.rowCount === 1) return { fingerprint: fp, ...outcome };
    const existing = await this.find(key);
    return existing ?? { fingerprint: fp, ...outcome };
  }
}
