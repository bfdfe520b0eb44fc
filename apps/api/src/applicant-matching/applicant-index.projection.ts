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
  // reads a stored event's stream, type, data and position only (a registration's applicants are
  // opened with the keys in personal_data_keys, not with anything in its metadata)
  readonly foldsFromDataAlone = true;

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
    // Registrations are indexed together (one opening of their applicants, one insert) up to the next
    // event that reads or writes the other tables: a termination copies its appeal's entries.
    let registrations: RecordedEvent[] = [];
    const flush = async (): Promise<void> => {
      if (registrations.length > 0) await this.register(registrations, tx, schema);
      registrations = [];
    };
    for (const recorded of events) {
      if (!recorded.streamId.startsWith(APPEAL_STREAM_PREFIX)) continue;
      const appealId = recorded.streamId.slice(APPEAL_STREAM_PREFIX.length);
      if (recorded.type === 'AppealRegistered') {
        registrations.push(recorded);
        continue;
      }
      if (recorded.type === TERMINATED || recorded.type === LINK_CONFIRMED || recorded.type === LINK_REJECTED)
        await flush();
      if (recorded.type === TERMINATED) {
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
    await flush();
  }

  private async register(
    registrations: readonly RecordedEvent[],
    tx: SqlExecutor,
    schema: string,
  ): Promise<void> {
    const stored = registrations.map((recorded) => ({
      appealId: recorded.streamId.slice(APPEAL_STREAM_PREFIX.length),
      position: recorded.position,
      applicants: storedApplicants(recorded),
    }));
    const sealed = stored.flatMap((r) => r.applicants.filter((a) => a.sealed));
    const opened = new Map((await this.vault.open(sealed)).map((a) => [a.applicantId, a]));
    // by appeal, applicant and kind (the table's key; an insert may not update a row twice)
    const rows = new Map<
      string,
      { appealId: string; applicantId: string; kind: string; digest: string; position: number }
    >();
    for (const r of stored)
      for (const a of r.applicants) {
        // Applicants stored before sealing carry their fields in the clear.
        const fields = a.sealed ? opened.get(a.applicantId) : a;
        if (!fields || ('erased' in fields && fields.erased)) continue;
        for (const e of this.index.entries(fields))
          rows.set(`${r.appealId}\u0000${a.applicantId}\u0000${e.kind}`, {
            appealId: r.appealId,
            applicantId: a.applicantId,
            position: r.position,
            ...e,
          });
      }
    if (rows.size === 0) return;
    const list = [...rows.values()];
    // An erasure committed after the keys were read must not leave entries behind: an applicant (or
    // an appeal) whose key is destroyed by now gets none.
    await tx.query(
      `INSERT INTO ${qualified(schema, 'entries')} (appeal_id, applicant_id, kind, digest, position)
       SELECT r.appeal_id, r.applicant_id, r.kind, r.digest, r.position
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])
              AS r(appeal_id, applicant_id, kind, digest, position)
        WHERE NOT EXISTS (SELECT 1 FROM personal_data_keys k
                           WHERE k.appeal_id::text = r.appeal_id AND k.wrapped_key IS NULL)
       ON CONFLICT (appeal_id, applicant_id, kind) DO UPDATE SET digest = EXCLUDED.digest`,
      [
        list.map((r) => r.appealId),
        list.map((r) => r.applicantId),
        list.map((r) => r.kind),
        list.map((r) => r.digest),
        list.map((r) => r.position),
      ],
    );
  }
}

/** A registration's applicants as stored: sealed, or (stored before sealing) in the clear. */
function storedApplicants(recorded: RecordedEvent): StoredApplicant[] {
  return (recorded.data as unknown as { applicants: StoredApplicant[] }).applicants;
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
