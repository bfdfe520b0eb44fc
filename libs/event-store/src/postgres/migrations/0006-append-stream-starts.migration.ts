/**
 * Schema version 6: append_stream_starts(), the first event of several new streams in one call
 * (group commit of registrations, docs/decisions/0007-group-commit-registrations.md).
 *
 * Two append_events() calls in one transaction would take positions twice, and only the first call
 * may take the transaction id (append_events must be the first write of its transaction): a reader
 * could move past the second call's positions while an older transaction was still to fill the
 * positions between them. So a batch of new streams gets its positions here, in ONE step under the
 * global lock together with the transaction id, as append_events() does for one stream:
 *
 * 1. every stream's append lock (the same one append_events() takes), in hashtext order so two
 *    batches never wait on each other in a cycle;
 * 2. per stream, the checks of append_events() with the expectation no_stream: its event id stored
 *    in this stream → `retry` (revision and position of the stored event); stored in another stream
 *    → `duplicate`; the stream exists → `wrong_revision` (its current revision). If any stream's
 *    outcome is not `ok`, NOTHING is written (no transaction id is taken) and every outcome is
 *    returned, so the caller decides what to do with the others;
 * 3. positions for all events and the transaction id under the global lock (1095520339, 0), once;
 * 4. one INSERT, each event revision 0 of its stream, hashed as the first link of its chain.
 *
 * Rows come back in input order (`ord`, from 1). append_events() is unchanged.
 */
import type { Migration } from '../migrations.runner';

export const appendStreamStartsMigration: Migration = {
  version: 6,
  name: 'append-stream-starts',
  sql: `
CREATE FUNCTION append_stream_starts(
  p_stream_ids text[],
  p_ids        uuid[],
  p_types      text[],
  p_data       jsonb[],
  p_metadata   jsonb[]
) RETURNS TABLE (ord int, outcome text, stream_revision bigint, event_position bigint, conflicting_event_id uuid)
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_count       int := coalesce(cardinality(p_stream_ids), 0);
  v_lock        int;
  v_outcomes    text[];
  v_revisions   bigint[];
  v_stored_at   bigint[];
  v_conflicting uuid[];
  v_xid         xid8;
  v_positions   bigint[];
BEGIN
  IF v_count = 0 OR v_count <> coalesce(cardinality(p_ids), 0) OR v_count <> coalesce(cardinality(p_types), 0)
     OR v_count <> coalesce(cardinality(p_data), 0) OR v_count <> coalesce(cardinality(p_metadata), 0) THEN
    RAISE EXCEPTION 'append_stream_starts: got % streams, % ids, % types, % data, % metadata; need one or more of each, as many of each',
      v_count, cardinality(p_ids), cardinality(p_types), cardinality(p_data), cardinality(p_metadata)
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF (SELECT count(DISTINCT s) FROM unnest(p_stream_ids) AS s) <> v_count
     OR (SELECT count(DISTINCT i) FROM unnest(p_ids) AS i) <> v_count THEN
    RAISE EXCEPTION 'append_stream_starts: stream ids and event ids must each be distinct'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION 'append_stream_starts must be the first write of its transaction'
      USING ERRCODE = 'active_sql_transaction';
  END IF;

  FOR v_lock IN SELECT DISTINCT hashtext(s) AS h FROM unnest(p_stream_ids) AS s ORDER BY h LOOP
    PERFORM pg_advisory_xact_lock(1095521108, v_lock);
  END LOOP;

  -- The checks, kept in arrays (a temporary table would be a write and take a transaction id).
  SELECT array_agg(c.outcome ORDER BY c.ord), array_agg(c.revision ORDER BY c.ord),
         array_agg(c.position ORDER BY c.ord), array_agg(c.conflicting ORDER BY c.ord)
    INTO v_outcomes, v_revisions, v_stored_at, v_conflicting
    FROM (SELECT i.ord,
                 CASE WHEN e.event_id IS NOT NULL AND e.stream_id = i.stream_id THEN 'retry'
                      WHEN e.event_id IS NOT NULL THEN 'duplicate'
                      WHEN h.revision IS NOT NULL THEN 'wrong_revision'
                      ELSE 'ok' END AS outcome,
                 CASE WHEN e.event_id IS NOT NULL AND e.stream_id = i.stream_id THEN e.revision
                      WHEN e.event_id IS NULL THEN h.revision END AS revision,
                 CASE WHEN e.event_id IS NOT NULL AND e.stream_id = i.stream_id THEN e.position END AS position,
                 CASE WHEN e.event_id IS NOT NULL AND e.stream_id <> i.stream_id THEN i.id END AS conflicting
            FROM unnest(p_stream_ids, p_ids) WITH ORDINALITY AS i(stream_id, id, ord)
            LEFT JOIN events e ON e.event_id = i.id
            LEFT JOIN LATERAL (SELECT x.revision FROM events x WHERE x.stream_id = i.stream_id
                                ORDER BY x.revision DESC LIMIT 1) h ON true) c;
  IF NOT ('ok' = ALL (v_outcomes)) THEN
    RETURN QUERY SELECT g::int, CASE v_outcomes[g] WHEN 'ok' THEN 'not_written' ELSE v_outcomes[g] END,
                        v_revisions[g], v_stored_at[g], v_conflicting[g]
      FROM generate_series(1, v_count) AS g ORDER BY g;
    RETURN;
  END IF;

  BEGIN
    PERFORM pg_advisory_lock(1095520339, 0);
    v_xid := pg_current_xact_id();
    SELECT array_agg(nextval('events_position_seq') ORDER BY g) INTO v_positions FROM generate_series(1, v_count) AS g;
    PERFORM pg_advisory_unlock(1095520339, 0);
  EXCEPTION WHEN OTHERS OR query_canceled THEN
    PERFORM pg_advisory_unlock(1095520339, 0);
    RAISE;
  END;

  INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata, tx_id, hash)
  SELECT v_positions[i.ord::int], i.stream_id, 0, i.id, p_types[i.ord::int], p_data[i.ord::int],
         p_metadata[i.ord::int], v_xid,
         event_chain_hash(NULL, i.stream_id, 0, i.id, v_positions[i.ord::int], p_types[i.ord::int],
                          p_data[i.ord::int], p_metadata[i.ord::int])
    FROM unnest(p_stream_ids, p_ids) WITH ORDINALITY AS i(stream_id, id, ord);

  RETURN QUERY SELECT g::int, 'ok'::text, 0::bigint, v_positions[g], NULL::uuid
    FROM generate_series(1, v_count) AS g ORDER BY g;
END
$fn$;

-- The plans of migration 4: generic, index lookups only.
ALTER FUNCTION append_stream_starts(text[], uuid[], text[], jsonb[], jsonb[])
  SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off;
`,
};
