/**
 * Migration 1 of `registration_lookup()` (session 10), frozen: its SQL is recorded by checksum in every
 * database that applied it, so it must never change (the migration runner refuses an edited applied
 * migration). The live statement is `lookupStatement` in registration-candidates.ts, installed by
 * migration 2; this copy is used by migration 1 only, and by the tests that check migration 2 answers
 * as it did (registration-lookup-v2.int-spec.ts). Self-contained on purpose: the termination rule and
 * the checkpoint table it inlines are the text of that time, not the live helpers.
 */

/**
 * The lookup's statement as migration 1 installed it: per key the newest MAX_SCANNED index entries
 * registered before the new appeal, each entry's appeal looked up in the journal (a scalar subquery per
 * entry) to keep those on one of the new appeal's questions (or not in the journal yet), the newest
 * MAX_MATCHES entries, their newest MAX_CANDIDATES appeals, joined with the journal again for their rows.
 */
export function lookupStatementV1(index: string, journal: string): string {
  return `WITH matched AS (
      SELECT e.appeal_id, e.kind, e.position
        FROM unnest($1::text[]) AS d(digest)
        CROSS JOIN LATERAL (
          SELECT x.appeal_id, x.kind, x.position FROM ${index}.entries x
           WHERE x.digest = d.digest AND x.position < $11 AND x.appeal_id <> $2
           ORDER BY x.position DESC LIMIT $6) e
       -- a scalar subquery, looked up by the journal's key row by row whatever the statistics say
       -- (a join may be planned as a scan of the whole journal while its table is young)
       WHERE coalesce(
               (SELECT EXISTS (SELECT 1 FROM unnest(j.question_codes) AS q(code)
                                WHERE q.code = ANY($4::text[])
                                   OR array_to_string((string_to_array(q.code, '.'))[1:2], '.') = ANY($5::text[]))
                  FROM ${journal}.appeals j WHERE j.appeal_id = e.appeal_id),
               true)
       ORDER BY e.position DESC LIMIT $3),
    newest AS (
      SELECT appeal_id, array_agg(DISTINCT kind) AS kinds, max(position) AS position
        FROM matched GROUP BY appeal_id ORDER BY max(position) DESC LIMIT $12),
    decided AS (SELECT t.appeal_id AS termination_appeal_id, t.decided_at,
            array_agg(DISTINCT t.code ORDER BY t.code) AS codes, array_agg(DISTINCT t.kind) AS kinds
       FROM ${index}.terminations t
       JOIN unnest($7::text[], $8::text[]) AS m(kind, digest)
         ON m.kind = t.kind AND m.digest = t.digest
      WHERE t.code = ANY($4::text[])
        AND t.appeal_id <> $2
        AND $9::date >= (t.decided_at::timestamptz AT TIME ZONE $10)::date
      GROUP BY t.appeal_id, t.decided_at)
    SELECT (SELECT position::text FROM ${index}.projection_checkpoint) AS checkpoint,
           (SELECT coalesce(json_agg(json_build_object(
                     'appeal_id', n.appeal_id, 'kinds', n.kinds, 'position', n.position,
                     'journal', CASE WHEN j.appeal_id IS NULL THEN NULL ELSE json_build_object(
                       'number', j.number, 'state', j.state, 'received_on', j.received_on,
                       'registered_on', j.registered_on, 'due_date', j.due_date, 'resolved_on', j.resolved_on,
                       'off_control_on', j.off_control_on, 'resolution_kind', j.resolution_kind,
                       'question_codes', j.question_codes, 'department', j.department,
                       'executor_id', j.executor_id, 'position', j.position) END,
                     'link', CASE WHEN l.appeal_id IS NULL THEN NULL ELSE json_build_object(
                       'kind', l.kind, 'status', l.status, 'decided_at', l.decided_at) END)
                   ORDER BY n.position DESC), '[]'::json)
              FROM newest n
              LEFT JOIN ${journal}.appeals j ON j.appeal_id = n.appeal_id
              LEFT JOIN ${index}.links l ON l.appeal_id = $2 AND l.related_id = n.appeal_id) AS matches,
           (SELECT coalesce(json_agg(d ORDER BY d.decided_at::timestamptz DESC, d.termination_appeal_id),
                            '[]'::json)
              FROM decided d) AS terminations`;
}

/** Migration 1 of `registration_lookup_migrations`, verbatim. */
export const REGISTRATION_LOOKUP_V1 = {
  version: 1,
  name: 'registration-lookup-function',
  sql: `CREATE OR REPLACE FUNCTION registration_lookup(
            text[], text, int, text[], text[], int, text[], text[], date, text, bigint, int)
          RETURNS TABLE (checkpoint text, matches json, terminations json)
          LANGUAGE plpgsql STABLE
          SET plan_cache_mode = force_generic_plan
          SET enable_seqscan = off
          SET enable_bitmapscan = off
          SET enable_hashjoin = off
          SET enable_mergejoin = off
          AS $fn$
          #variable_conflict use_column
          BEGIN
            RETURN QUERY ${lookupStatementV1('rm_applicant_index', 'rm_journal')};
          END
          $fn$;`,
} as const;
