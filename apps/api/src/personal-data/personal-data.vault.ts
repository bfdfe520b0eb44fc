/**
 * Crypto-shredding for applicants' personal data (152-FZ): each applicant's fields are sealed with
 * their own AES-256-GCM key before an event is stored; the key sits in its own table, wrapped by a
 * master key kept in DATA_DIR (or PERSONAL_DATA_MASTER_KEY). Destroying an applicant's key erases
 * the data everywhere it was stored, without rewriting a single event.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Pool, PoolClient } from 'pg';
import type { Applicant } from '@appeal-ledger/appeal';
import type { Queryable } from '@appeal-ledger/event-store';
import { pooledRandomBytes } from './random-pool';

/** How an applicant stands in a stored event. */
export interface SealedApplicant {
  applicantId: string;
  /** `v1.<iv>.<ciphertext>.<tag>`, base64url; absent for an applicant with no personal data */
  sealed?: string;
}

/** Keys and sealed fields of one registration's applicants, not yet stored. */
export interface PreparedKeys {
  appealId: string;
  sealed: SealedApplicant[];
  /** the applicants' keys, and the appeal's own key (subject = the appeal id) for its free text */
  keys: { subjectId: string; key: Buffer; wrapped: string }[];
}

/** What a free-text field reads as once the appeal's personal data was erased. */
export const ERASED_TEXT = '[данные удалены]';

/** A sealed free-text field: `t1.<subject id>.<iv>.<ciphertext>.<tag>` (base64url parts). */
const SEALED_TEXT = /^t1\.([0-9a-f-]{36})\.([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+)$/;

export const isSealedText = (value: unknown): value is string =>
  typeof value === 'string' && SEALED_TEXT.test(value);

type PersonalFields = Pick<Applicant, 'name' | 'address' | 'email' | 'phone'>;

const VERSION = 'v1';

function encrypt(key: Buffer, plaintext: Buffer, aad: string): string {
  const iv = pooledRandomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [
    VERSION,
    iv.toString('base64url'),
    ct.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
  ].join('.');
}

function decrypt(key: Buffer, sealed: string, aad: string): Buffer {
  const [version, iv, ct, tag] = sealed.split('.');
  if (version !== VERSION || !iv || ct === undefined || !tag) throw new Error('unknown sealed format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]);
}

function sealText(subjectId: string, key: Buffer, text: string): string {
  const sealed = encrypt(key, Buffer.from(text, 'utf8'), `text:${subjectId}`);
  return `t1.${subjectId}.${sealed.slice(VERSION.length + 1)}`;
}

export function loadMasterKey(options: { dataDir: string; masterKey?: string }): Buffer {
  if (options.masterKey) {
    const key = Buffer.from(options.masterKey, 'base64');
    if (key.length !== 32) throw new Error('PERSONAL_DATA_MASTER_KEY must be 32 bytes, base64-encoded');
    return key;
  }
  const file = join(options.dataDir, 'secrets', 'personal-data-master.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600 });
  return key;
}

export const PERSONAL_DATA_MIGRATIONS = [
  {
    version: 1,
    name: 'personal-data-keys',
    sql: `CREATE TABLE IF NOT EXISTS personal_data_keys (
            subject_id uuid PRIMARY KEY,
            appeal_id uuid NOT NULL,
            wrapped_key text,
            created_at timestamptz NOT NULL DEFAULT now(),
            destroyed_at timestamptz,
            destroyed_by text
          );
          CREATE INDEX IF NOT EXISTS personal_data_keys_appeal ON personal_data_keys (appeal_id);`,
  },
  {
    version: 2,
    name: 'personal-data-master-key-check',
    sql: `CREATE TABLE IF NOT EXISTS personal_data_master (
            id int PRIMARY KEY CHECK (id = 1),
            key_check text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now()
          );`,
  },
  {
    // 152-FZ accountability: who opened which appeal's personal data, and when. The runtime role may
    // only add and read rows (database-roles.ts), never change or delete them.
    version: 3,
    name: 'personal-data-access-log',
    sql: `CREATE TABLE IF NOT EXISTS personal_data_access_log (
            id bigserial PRIMARY KEY,
            accessed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            appeal_id uuid NOT NULL,
            actor_id text NOT NULL,
            actor_name text NOT NULL,
            purpose text NOT NULL,
            applicants integer NOT NULL
          );
          CREATE INDEX IF NOT EXISTS personal_data_access_log_appeal
            ON personal_data_access_log (appeal_id, accessed_at);
          CREATE INDEX IF NOT EXISTS personal_data_access_log_time ON personal_data_access_log (accessed_at);`,
  },
];

/** NOTIFY channel of erasures; the payload is the appeal id. */
export const ERASURE_CHANNEL = 'appeal_ledger_erasure';

export class MasterKeyMismatchError extends Error {
  override readonly name = 'MasterKeyMismatchError';
}

const KEY_CHECK = 'appeal-ledger personal data master key';

export class PersonalDataVault {
  /** unwrapped keys; undefined marks a destroyed key */
  private readonly cache = new Map<string, Buffer | null>();
  /** opened personal data by sealed value (in memory only; dropped with the key) */
  private readonly opened = new Map<string, PersonalFields>();
  // Sized for the appeals being worked on now (a miss costs one indexed read): 50,000 keys held
  // ~15 MB more heap, which V8 then tripled into resident memory under load (docs/benchmarks.md).
  private static readonly CACHE_LIMIT = 5_000;
  private static readonly OPENED_LIMIT = 5_000;
  /** what else erasure destroys in its transaction (read models derived from the personal data) */
  private readonly erasureHooks: ((client: PoolClient, appealId: string) => Promise<void>)[] = [];

  constructor(
    private readonly pool: Pool,
    private readonly masterKey: Buffer,
  ) {}

  /** Runs `hook` inside every erasure's transaction (e.g. deleting an index derived from the data). */
  onErasure(hook: (client: PoolClient, appealId: string) => Promise<void>): void {
    this.erasureHooks.push(hook);
  }

  /**
   * Refuses to run with a master key other than the one this database's keys were wrapped with
   * (a different DATA_DIR or PERSONAL_DATA_MASTER_KEY): personal data would be unreadable.
   */
  async verifyMasterKey(): Promise<void> {
    await this.pool.query(
      'INSERT INTO personal_data_master (id, key_check) VALUES (1, $1) ON CONFLICT (id) DO NOTHING',
      [encrypt(this.masterKey, Buffer.from(KEY_CHECK), 'master')],
    );
    const res = await this.pool.query<{ key_check: string }>(
      'SELECT key_check FROM personal_data_master WHERE id = 1',
    );
    try {
      if (decrypt(this.masterKey, res.rows[0].key_check, 'master').toString() === KEY_CHECK) return;
    } catch {
      // falls through to the error below
    }
    throw new MasterKeyMismatchError(
      'the personal-data master key does not match this database: start with the DATA_DIR (secrets/personal-data-master.key) ' +
        'or PERSONAL_DATA_MASTER_KEY the data was written with',
    );
  }

  /**
   * Creates one key per applicant and seals their fields, in memory only: nothing is stored until
   * `storeKeys` runs inside the transaction that records the registration.
   */
  prepare(appealId: string, applicants: Applicant[]): PreparedKeys {
    const keys = applicants.map(() => pooledRandomBytes(32));
    const sealed = applicants.map((a, i): SealedApplicant => {
      const fields: PersonalFields = { name: a.name, address: a.address, email: a.email, phone: a.phone };
      const hasData = Object.values(fields).some((v) => v !== undefined && v !== '');
      if (!hasData) return { applicantId: a.applicantId };
      return {
        applicantId: a.applicantId,
        sealed: encrypt(keys[i], Buffer.from(JSON.stringify(fields)), a.applicantId),
      };
    });
    const textKey = pooledRandomBytes(32);
    return {
      appealId,
      sealed,
      keys: [
        ...applicants.map((a, i) => ({
          subjectId: a.applicantId,
          key: keys[i],
          wrapped: encrypt(this.masterKey, keys[i], `key:${a.applicantId}`),
        })),
        { subjectId: appealId, key: textKey, wrapped: encrypt(this.masterKey, textKey, `key:${appealId}`) },
      ],
    };
  }

  /** Seals a free-text field of a registration under its appeal's key, in memory (see `prepare`). */
  sealPreparedText(prepared: PreparedKeys, text: string): string {
    const own = prepared.keys.find((k) => k.subjectId === prepared.appealId);
    if (!own) throw new Error('prepared keys without the appeal key');
    return sealText(own.subjectId, own.key, text);
  }

  /**
   * Seals free-text fields of an appeal under the appeal's key. An appeal registered before free text
   * was sealed gets its key now; once the appeal's personal data was erased, the text is sealed under
   * a key nobody keeps (it reads as erased, like the rest).
   */
  async sealTexts(appealId: string, texts: string[]): Promise<string[]> {
    if (texts.length === 0) return [];
    let key = (await this.keysFor([appealId])).get(appealId);
    if (key === undefined) {
      const fresh = pooledRandomBytes(32);
      const res = await this.pool.query(
        `INSERT INTO personal_data_keys (subject_id, appeal_id, wrapped_key)
         SELECT $1, $1, $2
          WHERE NOT EXISTS (SELECT 1 FROM personal_data_keys WHERE appeal_id = $1 AND wrapped_key IS NULL)
         ON CONFLICT (subject_id) DO NOTHING`,
        [appealId, encrypt(this.masterKey, fresh, `key:${appealId}`)],
      );
      this.cache.delete(appealId);
      key = res.rowCount === 1 ? fresh : (await this.keysFor([appealId])).get(appealId);
      if (res.rowCount === 1) this.remember(appealId, fresh);
    }
    const usable = key ?? pooledRandomBytes(32);
    return texts.map((text) => sealText(appealId, usable, text));
  }

  /** Opens sealed free-text fields; ERASED_TEXT where the key was destroyed. Other values pass unchanged. */
  async openTexts(values: string[]): Promise<string[]> {
    const subjects = [...new Set(values.flatMap((v) => SEALED_TEXT.exec(v)?.[1] ?? []))];
    const keys = subjects.length ? await this.keysFor(subjects) : new Map<string, Buffer | null>();
    return values.map((value) => {
      const match = SEALED_TEXT.exec(value);
      if (!match) return value;
      const key = keys.get(match[1]);
      if (!key) return ERASED_TEXT;
      try {
        return decrypt(key, `${VERSION}.${match[2]}`, `text:${match[1]}`).toString('utf8');
      } catch {
        return ERASED_TEXT; // not sealed with this key: nothing to show
      }
    });
  }

  /** Whether any personal-data key of the appeal was destroyed (its personal data erased). */
  async erased(appealId: string): Promise<boolean> {
    const res = await this.pool.query(
      'SELECT 1 FROM personal_data_keys WHERE appeal_id = $1 AND wrapped_key IS NULL LIMIT 1',
      [appealId],
    );
    return (res.rowCount ?? 0) > 0;
  }

  /**
   * Stores prepared keys on `client` (inside the caller's transaction). Called only after the
   * registration's event was accepted for a new stream, so a row already there for one of these
   * applicant ids belongs to no stored event (an orphan of a registration that failed before this
   * was atomic) and is replaced.
   */
  async storeKeys(client: Queryable, prepared: PreparedKeys): Promise<void> {
    if (prepared.keys.length === 0) return;
    await client.query({
      text: `INSERT INTO personal_data_keys (subject_id, appeal_id, wrapped_key)
             SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[])
             ON CONFLICT (subject_id) DO UPDATE
               SET appeal_id = EXCLUDED.appeal_id, wrapped_key = EXCLUDED.wrapped_key, created_at = now(),
                   destroyed_at = NULL, destroyed_by = NULL`,
      values: [
        prepared.keys.map((k) => k.subjectId),
        prepared.keys.map(() => prepared.appealId),
        prepared.keys.map((k) => k.wrapped),
      ],
    });
  }

  /** Caches the keys of a registration once its transaction committed. */
  committed(prepared: PreparedKeys): void {
    for (const k of prepared.keys) this.remember(k.subjectId, k.key);
  }

  /** Opens sealed applicants; those whose key was destroyed come back as `{ applicantId, erased: true }`. */
  async open(sealed: SealedApplicant[]): Promise<Applicant[]> {
    const keys = await this.keysFor(sealed.filter((s) => s.sealed).map((s) => s.applicantId));
    return sealed.map((s) => {
      if (!s.sealed) return { applicantId: s.applicantId };
      const key = keys.get(s.applicantId);
      if (!key) return { applicantId: s.applicantId, erased: true };
      // Every command response shows the applicants: keep the last opening of each sealed value.
      let fields = this.opened.get(s.sealed);
      if (!fields) {
        fields = JSON.parse(decrypt(key, s.sealed, s.applicantId).toString('utf8')) as PersonalFields;
        if (this.opened.size >= PersonalDataVault.OPENED_LIMIT) this.opened.clear();
        this.opened.set(s.sealed, fields);
      }
      return { applicantId: s.applicantId, ...fields };
    });
  }

  /**
   * Destroys the keys of an appeal's applicants; returns how many were destroyed now. The same
   * transaction notifies ERASURE_CHANNEL, so every other instance evicts what it cached (erasure.listener.ts).
   */
  async destroyForAppeal(appealId: string, actorId: string): Promise<number> {
    const client = await this.pool.connect();
    let destroyed: number;
    try {
      await client.query('BEGIN');
      destroyed = await this.destroyInTransaction(client, appealId, actorId);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    await this.evictAppeal(appealId);
    return destroyed;
  }

  /**
   * The destruction inside the caller's transaction (e.g. with the retention decision that orders
   * it); the notification goes out at its commit. The caller evicts (`evictAppeal`) after commit.
   */
  async destroyInTransaction(client: PoolClient, appealId: string, actorId: string): Promise<number> {
    const res = await client.query<{ subject_id: string }>(
      `UPDATE personal_data_keys SET wrapped_key = NULL, destroyed_at = now(), destroyed_by = $2
        WHERE appeal_id = $1 AND wrapped_key IS NOT NULL RETURNING subject_id`,
      [appealId, actorId],
    );
    for (const hook of this.erasureHooks) await hook(client, appealId);
    await client.query('SELECT pg_notify($1, $2)', [ERASURE_CHANNEL, appealId]);
    return res.rows.length;
  }

  /**
   * Another instance erased this appeal's personal data: forget its applicants' keys (the next read
   * finds them destroyed) and every plaintext opened here.
   */
  async evictAppeal(appealId: string): Promise<void> {
    const res = await this.pool.query<{ subject_id: string }>(
      'SELECT subject_id FROM personal_data_keys WHERE appeal_id = $1',
      [appealId],
    );
    for (const row of res.rows) this.cache.delete(row.subject_id);
    this.opened.clear();
  }

  /** Forgets every key and plaintext (after a lost notification connection: one may have been missed). */
  evictAll(): void {
    this.cache.clear();
    this.opened.clear();
  }

  private async keysFor(ids: string[]): Promise<Map<string, Buffer | null>> {
    const out = new Map<string, Buffer | null>();
    const missing: string[] = [];
    for (const id of ids) {
      const hit = this.cache.get(id);
      if (hit === undefined) missing.push(id);
      else out.set(id, hit);
    }
    if (missing.length) {
      const res = await this.pool.query<{ subject_id: string; wrapped_key: string | null }>(
        'SELECT subject_id, wrapped_key FROM personal_data_keys WHERE subject_id = ANY($1::uuid[])',
        [missing],
      );
      for (const row of res.rows) {
        const key = row.wrapped_key
          ? decrypt(this.masterKey, row.wrapped_key, `key:${row.subject_id}`)
          : null;
        this.remember(row.subject_id, key);
        out.set(row.subject_id, key);
      }
    }
    return out;
  }

  private remember(id: string, key: Buffer | null): void {
    if (this.cache.size >= PersonalDataVault.CACHE_LIMIT) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(id, key);
  }
}
