/**
 * The applicant index read model (`rm_applicant_index`): the blind-index entries of every appeal's
 * applicants (`entries`: appeal, applicant, kind, digest — no personal data) and the registrar's
 * decisions on related appeals (`links`). Rebuilt from the events: each registration's applicants are
 * opened with their own keys and hashed with the index key; an applicant whose key was destroyed
 * opens to nothing and leaves no entry, and erasure deletes the entries it already had
 * (`forgetAppeal`, run in the erasure's transaction).
 *
 * `terminations` (version 2): the decisions to terminate correspondence (59-FZ art. 11 ч.5) as the
 * terminating appeal's applicant keys × the terminated classifier codes — copied from its `entries`
 * when the decision is folded, so an erased applicant (no entries, no keys to rebuild them) leaves
 * none, and erasure deletes those already there.
 */
import type { AppealRegistered } from '@appeal-ledger/appeal';
import { APPEAL_STREAM_PREFIX } from '@appeal-ledger/appeal';
import type { RecordedEvent } from '@appeal-ledger/event-store';
import { liveSchema, qualified, type Projection, type SqlExecutor } from '@appeal-ledger/projections';
import type { PersonalDataVault, SealedApplicant } from '../personal-data/personal-data.vault';
import type { BlindIndex } from './blind-index';

export const APPLICANT_INDEX_PROJECTION = 'applicant_index';
export const APPLICANT_INDEX_SCHEMA = liveSchema(APPLICANT_INDEX_PROJECTION);

/** The stored types of the registrar's decisions on a related appeal (libs/appeal events). */
export const LINK_CONFIRMED = 'RelatedAppealConfirmed';
export const LINK_REJECTED = 'RelatedAppealRejected';
/** The stored type of the head's decision to terminate correspondence (libs/appeal events). */
export const TERMINATED = 'CorrespondenceTerminated';

type StoredApplicant = SealedApplicant & { name?: string; address?: string; email?: string; phone?: string };

interface TerminationData {
  decidedAt: string;
  questionCodes: string[];
}

interface LinkData {
  relatedAppealId: string;
  kind: string;
  decidedAt?: string;
}

export class ApplicantIndexProjection implements Projection {
  readonly name = APPLICANT_INDEX_PROJECTION;
  // 2: terminations of correspondence (art. 11 ч.5); 3: entries indexed by (digest, position), so a
  // registration's newest matches are read in position order without grouping every match
  readonly version = 3;
  readonly tables = ['entries', 'links', 'terminations'] as const;

  constructor(
    private readonly vault: PersonalDataVault,
    private readonly index: BlindIndex,
  ) {}

  createTables(schema: string): readonly string[] {
    return [
      `CREATE TABLE ${qualified(schema, 'entries')} (
        appeal_id text NOT NULL,
        applicant_id text NOT NULL,
        kind text NOT NULL,
        digest text NOT NULL,
        position bigint NOT NULL,
        PRIMARY KEY (appeal_id, applicant_id, kind)
      )`,
      `CREATE TABLE ${qualified(schema, 'links')} (
        appeal_id text NOT NULL,
        related_id text NOT NULL,
        kind text NOT NULL,
        status text NOT NULL,
        decided_at text,
        position bigint NOT NULL,
        PRIMARY KEY (appeal_id, related_id)
      )`,
      `CREATE TABLE ${qualified(schema, 'terminations')} (
        appeal_id text NOT NULL,
        kind text NOT NULL,
        digest text NOT NULL,
        code text NOT NULL,
        decided_at text NOT NULL,
        position bigint NOT NULL,
        PRIMARY KEY (appeal_id, kind, digest, code)
      )`,
    ];
  }

  createIndexes(schema: string): readonly string[] {
    return [
      `CREATE INDEX applicant_index_digest ON ${qualified(schema, 'entries')} (digest, position)`,
      `CREATE INDEX applicant_index_links_related ON ${qualified(schema, 'links')} (related_id)`,
      `CREATE INDEX applicant_index_terminations_digest ON ${qualified(schema, 'terminations')} (digest, code)`,
    ];
  }

  async handle(events: readonly RecordedEvent[], tx: SqlExecutor, schema: string): Promise<void> {
    for (const recorded of events) {
      if (!recorded.streamId.startsWith(APPEAL_STREAM_PREFIX)) continue;
      const appealId = recorded.streamId.slice(APPEAL_STREAM_PREFIX.length);
      if (recorded.type === 'AppealRegistered') {
        await this.register(appealId, recorded, tx, schema);
      } else if (recorded.type === TERMINATED) {
        const data = recorded.data as unknown as TerminationData;
        // The terminating appeal's keys (none when its applicants were erased) × the terminated codes.
        await tx.query(
          `INSERT INTO ${qualified(schema, 'terminations')} (appeal_id, kind, digest, code, decided_at, position)
           SELECT e.appeal_id, e.kind, e.digest, c.code, $3, $4
             FROM ${qualified(schema, 'entries')} e, unnest($2::text[]) AS c(code)
            WHERE e.appeal_id = $1
           ON CONFLICT (appeal_id, kind, digest, code) DO NOTHING`,
          [appealId, data.questionCodes, data.decidedAt, recorded.position],
        );
      } else if (recorded.type === LINK_CONFIRMED || recorded.type === LINK_REJECTED) {
        const data = recorded.data as unknown as LinkData;
        await tx.query(
          `INSERT INTO ${qualified(schema, 'links')} (appeal_id, related_id, kind, status, decided_at, position)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (appeal_id, related_id) DO UPDATE
             SET kind = EXCLUDED.kind, status = EXCLUDED.status, decided_at = EXCLUDED.decided_at,
                 position = EXCLUDED.position`,
          [
            appealId,
            data.relatedAppealId,
            data.kind,
            recorded.type === LINK_CONFIRMED ? 'confirmed' : 'rejected',
            data.decidedAt ?? null,
            recorded.position,
          ],
        );
      }
    }
  }

  private async register(
    appealId: string,
    recorded: RecordedEvent,
    tx: SqlExecutor,
    schema: string,
  ): Promise<void> {
    const stored = (recorded.data as unknown as AppealRegistered['data']).applicants as StoredApplicant[];
    const sealed = stored.filter((a) => a.sealed);
    const opened = new Map((await this.vault.open(sealed)).map((a) => [a.applicantId, a]));
    const rows: { applicantId: string; kind: string; digest: string }[] = [];
    for (const a of stored) {
      // Applicants stored before sealing carry their fields in the clear.
      const fields = a.sealed ? opened.get(a.applicantId) : a;
      if (!fields || ('erased' in fields && fields.erased)) continue;
      for (const e of this.index.entries(fields)) rows.push({ applicantId: a.applicantId, ...e });
    }
    if (rows.length === 0) return;
    // An erasure committed after the keys were read must not leave entries behind: an applicant (or
    // an appeal) whose key is destroyed by now gets none.
    await tx.query(
      `INSERT INTO ${qualified(schema, 'entries')} (appeal_id, applicant_id, kind, digest, position)
       SELECT $1, r.applicant_id, r.kind, r.digest, $5
         FROM unnest($2::text[], $3::text[], $4::text[]) AS r(applicant_id, kind, digest)
        WHERE NOT EXISTS (SELECT 1 FROM personal_data_keys k
                           WHERE k.appeal_id::text = $1 AND k.wrapped_key IS NULL)
       ON CONFLICT (appeal_id, applicant_id, kind) DO UPDATE SET digest = EXCLUDED.digest`,
      [
        appealId,
        rows.map((r) => r.applicantId),
        rows.map((r) => r.kind),
        rows.map((r) => r.digest),
        recorded.position,
      ],
    );
  }
}

/**
 * Erasure: the appeal's applicants are no longer found, nor a termination of correspondence decided
 * on it (inside the erasure's transaction).
 */
export async function forgetAppeal(client: SqlExecutor, appealId: string): Promise<void> {
  for (const name of ['entries', 'terminations']) {
    const table = qualified(APPLICANT_INDEX_SCHEMA, name);
    const exists = await client.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table]);
    if (exists.rows[0]?.t) await client.query(`DELETE FROM ${table} WHERE appeal_id = $1`, [appealId]);
  }
}
