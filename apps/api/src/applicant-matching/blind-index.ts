/**
 * The applicants' blind index: a keyed hash (HMAC-SHA256) of each normalised identifying field, so
 * appeals of the same applicant can be found without decrypting anybody's personal data. The key is
 * its own (not the master key) and is kept like the master key: `DATA_DIR/secrets/applicant-index.key`,
 * or APPLICANT_INDEX_KEY. Without the key a digest tells nothing; with another key the index matches
 * nothing, so startup refuses a key other than the one the index was written with.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

export function loadApplicantIndexKey(options: { dataDir: string; key?: string }): Buffer {
  if (options.key) {
    const key = Buffer.from(options.key, 'base64');
    if (key.length !== 32) throw new Error('APPLICANT_INDEX_KEY must be 32 bytes, base64-encoded');
    return key;
  }
  const file = join(options.dataDir, 'secrets', 'applicant-index.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600 });
  return key;
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
