/**
 * The applicants' blind index: a keyed hash (HMAC-SHA256) of each normalised identifying field, so
 * appeals of the same applicant can be found without decrypting anybody's personal data. The key is
 * its own, never the master key itself: APPLICANT_INDEX_KEY, or else derived from the personal-data
 * master key (HKDF-SHA256, its own label) — so every instance that shares the master key shares it,
 * and there is no further secret to back up. Without the key a digest tells nothing; with another key
 * the index matches nothing, so startup refuses a key other than the one the index was written with.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import type { Pool } from 'pg';
import { normaliseApplicant, type IndexKind } from './normalise';

export const APPLICANT_INDEX_MIGRATIONS = [
  {
    version: 1,
    name: 'applicant-index-key-check',
    sql: `CREATE TABLE IF NOT EXISTS applicant_index_key (
            id int PRIMARY KEY CHECK (id = 1),
            key_check text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now()
          );`,
  },
];

export function loadApplicantIndexKey(options: { key?: string; masterKey: Buffer }): Buffer {
  if (options.key) {
    const key = Buffer.from(options.key, 'base64');
    if (key.length !== 32) throw new Error('APPLICANT_INDEX_KEY must be 32 bytes, base64-encoded');
    return key;
  }
  return Buffer.from(hkdfSync('sha256', options.masterKey, 'appeal-ledger', 'applicant-blind-index', 32));
}

export class ApplicantIndexKeyMismatchError extends Error {
  override readonly name = 'ApplicantIndexKeyMismatchError';
}

export interface IndexEntry {
  kind: IndexKind;
  /** hex HMAC-SHA256 of `<kind>:<normalised value>` */
  digest: string;
}

export class BlindIndex {
  constructor(private readonly key: Buffer) {}

  digest(kind: IndexKind, normalised: string): string {
    return createHmac('sha256', this.key).update(`${kind}:${normalised}`, 'utf8').digest('hex');
  }

  /** The index entries of one applicant's fields (none for an applicant without personal data). */
  entries(applicant: { name?: string; address?: string; email?: string; phone?: string }): IndexEntry[] {
    return normaliseApplicant(applicant).map((e) => ({ kind: e.kind, digest: this.digest(e.kind, e.value) }));
  }

  /** Refuses a key other than the one this database's index was written with. */
  async verify(pool: Pool): Promise<void> {
    const check = createHmac('sha256', this.key).update('appeal-ledger applicant index').digest('hex');
    await pool.query(
      'INSERT INTO applicant_index_key (id, key_check) VALUES (1, $1) ON CONFLICT (id) DO NOTHING',
      [check],
    );
    const res = await pool.query<{ key_check: string }>(
      'SELECT key_check FROM applicant_index_key WHERE id = 1',
    );
    if (res.rows[0]?.key_check !== check)
      throw new ApplicantIndexKeyMismatchError(
        'the applicant index key does not match this database: start with the DATA_DIR (secrets/applicant-index.key) ' +
          'or APPLICANT_INDEX_KEY the index was written with',
      );
  }
}
