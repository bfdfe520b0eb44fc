/**
 * Terminations of correspondence (59-FZ art. 11 ч.5) that apply to appeals: the applicant index's
 * `terminations` (the terminating appeal's keys × the terminated codes) matched against an appeal's
 * own keys and questions (`rm_journal`). An appeal is flagged when it was registered on or after the
 * day of the decision, shares an applicant-index key with the terminating appeal and has one of the
 * terminated questions; the terminating appeal itself is not flagged (its decision is on it).
 */
import type { TerminationFact } from '@appeal-ledger/appeal';
import type { SqlExecutor } from '@appeal-ledger/projections';
import { JOURNAL_SCHEMA } from '@appeal-ledger/projections';
import { APPLICANT_INDEX_SCHEMA } from './applicant-index.projection';
import type { IndexKind } from './normalise';

/** The arrival flag: the decision that terminated correspondence on this appeal's question(s). */
export interface CorrespondenceTerminatedFlag extends TerminationFact {
  /** the applicant-index keys the two appeals share (a surname with initials alone is weak) */
  matchedBy: IndexKind[];
}

const KIND_ORDER: readonly IndexKind[] = ['name', 'address', 'email', 'phone'];

/** One decision as the queries below (and a registration's lookup) answer it. */
export interface TerminationRow {
  termination_appeal_id: string;
  decided_at: string;
  codes: string[];
  kinds: IndexKind[];
}

/** The flag of one decision's row. */
export const terminationFlag = (r: TerminationRow): CorrespondenceTerminatedFlag => ({
  terminationAppealId: r.termination_appeal_id,
  decidedAt: r.decided_at,
  questionCodes: r.codes,
  matchedBy: KIND_ORDER.filter((k) => r.kinds.includes(k)),
});

/**
 * The terminations applying to each of `appealIds` (latest decision first); appeals with none are
 * absent from the map.
 */
export async function findTerminations(
  db: SqlExecutor,
  appealIds: readonly string[],
  timeZone: string,
  schemas: { index: string; journal: string } = { index: APPLICANT_INDEX_SCHEMA, journal: JOURNAL_SCHEMA },
): Promise<Map<string, CorrespondenceTerminatedFlag[]>> {
  const out = new Map<string, CorrespondenceTerminatedFlag[]>();
  if (appealIds.length === 0) return out;
  const { rows } = await db.query<TerminationRow & { appeal_id: string }>(
    `SELECT x.appeal_id, t.appeal_id AS termination_appeal_id, t.decided_at,
            array_agg(DISTINCT t.code ORDER BY t.code) AS codes, array_agg(DISTINCT t.kind) AS kinds
       FROM ${schemas.journal}.appeals x
       JOIN ${schemas.index}.entries m ON m.appeal_id = x.appeal_id
       JOIN ${schemas.index}.terminations t
         ON t.kind = m.kind AND t.digest = m.digest AND t.code = ANY(x.question_codes)
      WHERE x.appeal_id = ANY($1::text[])
        AND t.appeal_id <> x.appeal_id
        AND x.registered_on >= (t.decided_at::timestamptz AT TIME ZONE $2)::date
      GROUP BY x.appeal_id, t.appeal_id, t.decided_at
      ORDER BY x.appeal_id, t.decided_at::timestamptz DESC, t.appeal_id`,
    [[...appealIds], timeZone],
  );
  for (const r of rows) {
    const list = out.get(r.appeal_id) ?? [];
    list.push(terminationFlag(r));
    out.set(r.appeal_id, list);
  }
  return out;
}

/**
 * The rule for an appeal being registered, as SQL (one for the registration's lookup and the query
 * below): the decisions by another appeal sharing one of its index keys (`kinds` × `digests`, from the
 * plaintext of the request: no waiting for the index to apply it) on one of its question `codes`,
 * taken on or before its administration-local registration day. The arguments are the statement's
 * placeholders; one row per decision.
 */
export function terminationsForKeysSql(
  index: string,
  p: {
    kinds: string;
    digests: string;
    codes: string;
    appealId: string;
    registeredOn: string;
    timeZone: string;
  },
): string {
  return `SELECT t.appeal_id AS termination_appeal_id, t.decided_at,
            array_agg(DISTINCT t.code ORDER BY t.code) AS codes, array_agg(DISTINCT t.kind) AS kinds
       FROM ${index}.terminations t
       JOIN unnest(${p.kinds}::text[], ${p.digests}::text[]) AS m(kind, digest)
         ON m.kind = t.kind AND m.digest = t.digest
      WHERE t.code = ANY(${p.codes}::text[])
        AND t.appeal_id <> ${p.appealId}
        AND ${p.registeredOn}::date >= (t.decided_at::timestamptz AT TIME ZONE ${p.timeZone})::date
      GROUP BY t.appeal_id, t.decided_at`;
}

/** Latest decision first, then by the terminating appeal's id: the order the queries here answer in. */
export function byLatestDecision(a: TerminationRow, b: TerminationRow): number {
  return (
    Date.parse(b.decided_at) - Date.parse(a.decided_at) ||
    (a.termination_appeal_id < b.termination_appeal_id
      ? -1
      : a.termination_appeal_id > b.termination_appeal_id
        ? 1
        : 0)
  );
}

/**
 * The decisions the applicant index holds that apply to an appeal with these index keys, question
 * codes and registration date, with the index's checkpoint — both from one snapshot, so the decisions
 * stored after the checkpoint are exactly those the index has not applied.
 */
export async function findTerminationsForKeysAt(
  db: SqlExecutor,
  appeal: { id: string; registeredOn: string; questionCodes: readonly string[] },
  keys: readonly { kind: IndexKind; digest: string }[],
  timeZone: string,
  index: string = APPLICANT_INDEX_SCHEMA,
): Promise<{ checkpoint: number; rows: TerminationRow[] }> {
  const { rows } = await db.query<{ checkpoint: string | null; rows: TerminationRow[] }>(
    `SELECT (SELECT position::text FROM ${index}.projection_checkpoint) AS checkpoint,
            coalesce((SELECT json_agg(t) FROM (${terminationsForKeysSql(index, {
              kinds: '$1',
              digests: '$2',
              codes: '$3',
              appealId: '$4',
              registeredOn: '$5',
              timeZone: '$6',
            })}) t), '[]'::json) AS rows`,
    [
      keys.map((k) => k.kind),
      keys.map((k) => k.digest),
      [...appeal.questionCodes],
      appeal.id,
      appeal.registeredOn,
      timeZone,
    ],
  );
  return { checkpoint: Number(rows[0]?.checkpoint ?? 0), rows: rows[0]?.rows ?? [] };
}

/**
 * The terminations applying to an appeal being registered, from its own index keys, its question
 * codes and its registration date — latest decision first.
 */
export async function findTerminationsForKeys(
  db: SqlExecutor,
  appeal: { id: string; registeredOn: string; questionCodes: readonly string[] },
  keys: readonly { kind: IndexKind; digest: string }[],
  timeZone: string,
  index: string = APPLICANT_INDEX_SCHEMA,
): Promise<CorrespondenceTerminatedFlag[]> {
  if (keys.length === 0 || appeal.questionCodes.length === 0) return [];
  const { rows } = await findTerminationsForKeysAt(db, appeal, keys, timeZone, index);
  return rows.sort(byLatestDecision).map(terminationFlag);
}
