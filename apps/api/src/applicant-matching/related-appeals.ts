/**
 * Earlier appeals of the same applicant on the same question (docs/applicant-matching.md): appeals
 * sharing a blind-index digest with this one (`rm_applicant_index`), registered before it, with a
 * classifier code or theme in common, each with its state and dates (`rm_journal`) and what the rule
 * proposes (repeat or duplicate), and the registrar's decision on it when there is one.
 */
import type { SqlExecutor } from '@appeal-ledger/projections';
import { JOURNAL_SCHEMA } from '@appeal-ledger/projections';
import { APPLICANT_INDEX_SCHEMA } from './applicant-index.projection';
import type { IndexKind } from './normalise';
import { proposeRelation, sameQuestion, type RelationKind, type SameQuestion } from './repeat-rule';

export interface RelatedAppeal {
  appealId: string;
  number: string;
  state: string;
  receivedOn: string;
  registeredOn: string;
  dueDate: string;
  /** when its final answer (or forwarding) in force was sent */
  resolvedOn: string | null;
  questionCodes: string[];
  /** the index keys the two appeals' applicants share */
  matchedBy: IndexKind[];
  sameQuestion: SameQuestion;
  /** what the rule proposes */
  proposed: RelationKind;
  /** the registrar's decision on this pair, once made */
  decision: { status: 'confirmed' | 'rejected'; kind: RelationKind; decidedAt: string | null } | null;
}

interface JournalRow {
  appeal_id: string;
  number: string;
  state: string;
  received_on: string;
  registered_on: string;
  due_date: string;
  resolved_on: string | null;
  off_control_on: string | null;
  resolution_kind: string | null;
  question_codes: string[];
  position: string;
  department: string | null;
  executor_id: string | null;
}

const KIND_ORDER: readonly IndexKind[] = ['name', 'address', 'email', 'phone'];

/** Null when the appeal is not (yet) in the read models. */
export async function findRelatedAppeals(
  db: SqlExecutor,
  appealId: string,
  /** which earlier appeals the reader may see, by their assignment now */
  visible: (facts: { department: string | null; executorId: string | null }) => boolean = () => true,
  schemas: { index: string; journal: string } = { index: APPLICANT_INDEX_SCHEMA, journal: JOURNAL_SCHEMA },
): Promise<RelatedAppeal[] | null> {
  const journal = `${schemas.journal}.appeals`;
  const columns = `appeal_id, number, state, received_on::text, registered_on::text, due_date::text,
                   resolved_on::text, off_control_on::text, resolution_kind, question_codes, position::text,
                   department, executor_id`;
  const self = await db.query<JournalRow>(`SELECT ${columns} FROM ${journal} WHERE appeal_id = $1`, [
    appealId,
  ]);
  const me = self.rows[0];
  if (!me) return null;
  const matches = await db.query<{ appeal_id: string; kinds: IndexKind[] }>(
    `SELECT e.appeal_id, array_agg(DISTINCT e.kind) AS kinds
       FROM ${schemas.index}.entries e
       JOIN (SELECT DISTINCT kind, digest FROM ${schemas.index}.entries WHERE appeal_id = $1) m
         ON m.kind = e.kind AND m.digest = e.digest
      WHERE e.appeal_id <> $1
      GROUP BY e.appeal_id`,
    [appealId],
  );
  if (matches.rows.length === 0) return [];
  const kinds = new Map(matches.rows.map((r) => [r.appeal_id, r.kinds]));
  const [earlier, links] = await Promise.all([
    db.query<JournalRow>(
      // ordered by the table's columns (j.): \`position\` alone would name the output's text column,
      // and "9" sorts after "23"
      `SELECT ${columns} FROM ${journal} j
        WHERE appeal_id = ANY($1::text[]) AND (registered_on, position) < ($2::date, $3::bigint)
        ORDER BY j.registered_on DESC, j.position DESC`,
      [[...kinds.keys()], me.registered_on, me.position],
    ),
    db.query<{
      related_id: string;
      kind: RelationKind;
      status: 'confirmed' | 'rejected';
      decided_at: string | null;
    }>(`SELECT related_id, kind, status, decided_at FROM ${schemas.index}.links WHERE appeal_id = $1`, [
      appealId,
    ]),
  ]);
  const decisions = new Map(links.rows.map((l) => [l.related_id, l]));
  const out: RelatedAppeal[] = [];
  for (const row of earlier.rows) {
    const same = sameQuestion(me.question_codes, row.question_codes);
    if (!same || !visible({ department: row.department, executorId: row.executor_id })) continue;
    const decision = decisions.get(row.appeal_id);
    const resolvedOn = row.resolution_kind ? row.resolved_on : null;
    out.push({
      appealId: row.appeal_id,
      number: row.number,
      state: row.state,
      receivedOn: row.received_on,
      registeredOn: row.registered_on,
      dueDate: row.due_date,
      resolvedOn,
      questionCodes: row.question_codes,
      matchedBy: KIND_ORDER.filter((k) => kinds.get(row.appeal_id)?.includes(k)),
      sameQuestion: same,
      proposed: proposeRelation(
        { resolvedOn, offControlOn: row.off_control_on, dueDate: row.due_date },
        me.registered_on,
      ),
      decision: decision
        ? { status: decision.status, kind: decision.kind, decidedAt: decision.decided_at }
        : null,
    });
  }
  return out;
}
