/**
 * Idempotency-Key records: a repeated command returns the first response and writes nothing new.
 * Only the outcome (appeal, revision, position, status) is kept — never the request or response
 * bodies, which hold personal data; the response is re-rendered from the stream at that revision.
 *
 * A key is remembered for IDEMPOTENCY_KEY_TTL (default 24 h) from its first use: after that it is
 * treated as new (no replay, no 422 for another body) and `purgeExpired` deletes it.
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

export interface IdempotencyStoreOptions {
  /** how long a key is remembered, in seconds */
  ttlSeconds: number;
  /** now, as the engine's clock says (tests move it) */
  now: () => Date;
}

export class IdempotencyStore {
  private readonly options: IdempotencyStoreOptions;

  constructor(
    private readonly pool: Pool,
    options: Partial<IdempotencyStoreOptions> = {},
  ) {
    this.options = { ttlSeconds: 24 * 3600, now: () => new Date(), ...options };
  }

  get ttlSeconds(): number {
    return this.options.ttlSeconds;
  }

  /** Keys first used before this instant have expired. */
  expiredBefore(): Date {
    return new Date(this.options.now().getTime() - this.options.ttlSeconds * 1000);
  }

  /** Deletes the expired keys; returns how many. */
  async purgeExpired(): Promise<number> {
    const res = await this.pool.query('DELETE FROM idempotency_keys WHERE created_at < $1', [
      this.expiredBefore(),
    ]);
    return res.rowCount ?? 0;
  }

  /** The key's live record; an expired one (not yet purged) is not returned. */
  async find(key: string): Promise<IdempotencyRecord | undefined> {
    const res = await this.pool.query<{
      fingerprint: string;
      appeal_id: string;
      status: number;
      revision: number;
      position: string;
    }>(
      'SELECT fingerprint, appeal_id, status, revision, position FROM idempotency_keys WHERE key = $1 AND created_at >= $2',
      [key, this.expiredBefore()],
    );
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

  /**
   * Records the outcome (replacing an expired record of the key); when a concurrent twin recorded
   * first, returns its record instead.
   */
  async record(key: string, fp: string, outcome: IdempotentOutcome): Promise<IdempotencyRecord> {
    const res = await this.pool.query(
      `INSERT INTO idempotency_keys AS k (key, fingerprint, appeal_id, status, revision, position, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, appeal_id = EXCLUDED.appeal_id,
         status = EXCLUDED.status, revision = EXCLUDED.revision, position = EXCLUDED.position,
         created_at = EXCLUDED.created_at
       WHERE k.created_at < $8`,
      [
        key,
        fp,
        outcome.appealId,
        outcome.status,
        outcome.revision,
        outcome.position,
        this.options.now(),
        this.expiredBefore(),
      ],
    );
    if (res.rowCount === 1) return { fingerprint: fp, ...outcome };
    const existing = await this.find(key);
    return existing ?? { fingerprint: fp, ...outcome };
  }
}
