/**
 * Schema version 6: group commit of appends. `append_events_batch()` appends to several streams in
 * one call — one statement, one transaction, one WAL flush — and answers every member as
 * append_events() would have answered it alone (docs/event-store.md, "Group commit of appends").
 *
 * Members are given as parallel arrays: `p_streams[m]`, `p_expected[m]` (append_events()'s codes)
 * and `p_counts[m]` events, the events of all members concatenated in member order in `p_ids`,
 * `p_types`, `p_data`, `p_metadata`. The streams must be distinct (the adapter leaves a second member
 * of a stream for the next batch).
 *
 * 1. Every member's stream lock (`1095521108, hashtext(stream)`) in ascending hashtext order, so two
 *    batches (of this process or another) cannot deadlock; a lone append_events() holds one lock.
 * 2. One duplicate-id lookup for all ids, judged per member exactly as append_events() does
 *    (all stored contiguously in its stream → `retry`; any stored otherwise → `duplicate`).
 * 3. The heads (revision and hash) of all streams in one query; expected revisions → `wrong_revision`.
 * 4. Positions for every event of the members still `ok`, and the transaction id, taken ONCE under
 *    the global lock (the readers' no-skip rule), in member order; nothing is taken when no member is
 *    written (the call then takes no transaction id).
 * 5. Hashes chained per stream (event_chain_hash(), the formula of migration 5), one INSERT.
 *
 * Anything that raises (a unique violation from a concurrent append elsewhere, a lost connection)
 * rolls the whole call back: the adapter then appends each member alone through append_events().
 * Same plan settings as append_events() (migration 4): generic plans, index plans only.
 */
import type { Migration } from '../migrations.runner';

export const appendEventsBatchMigration: Migration = {
  version: 6,
  name: 'append-events-batch',
  sql: `
CREATE FUNCTION append_events_batch(
  p_streams   text[],
  p_expected  bigint[],
  p_counts    int[],
  p_ids       uuid[],
  p_types     text[],
  p_data      jsonb[],
  p_metadata  jsonb[]
) RETURNS TABLE (member int, outcome text, stream_revision bigint, last_position bigint,
                 conflicting_event_id uuid, tx_id xid8)
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_members    int := coalesce(cardinality(p_streams), 0);
  v_total      int := coalesce(cardinality(p_ids), 0);
  v_member_of  int[];
  v_first      int[];
  v_outcome    text[];
  v_revision   bigint[];
  v_position   bigint[];
  v_conflict   uuid[];
  v_head_rev   bigint[];
  v_head_hash  bytea[];
  v_written    int := 0;
  v_xid        xid8;
  v_positions  bigint[];
  v_ins_idx    int[];
  v_ins_rev    bigint[];
  v_ins_hash   bytea[];
  v_hash       bytea;
  v_current    bigint;
  v_next       int := 0;
  v_k          int := 0;
  v_lock       int;
  r            record;
BEGIN
  IF v_members = 0 OR v_members <> coalesce(cardinality(p_expected), 0)
     OR v_members <> coalesce(cardinality(p_counts), 0)
     OR v_total <> coalesce(cardinality(p_types), 0) OR v_total <> coalesce(cardinality(p_data), 0)
     OR v_total <> coalesce(cardinality(p_metadata), 0)
     OR v_total <> (SELECT sum(c) FROM unnest(p_counts) AS c)
     OR (SELECT min(c) FROM unnest(p_counts) AS c) < 1 THEN
    RAISE EXCEPTION 'append_events_batch: % streams, % expected, % counts for % ids, % types, % data, % metadata',
      v_members, cardinality(p_expected), cardinality(p_counts), v_total, cardinality(p_types),
      cardinality(p_data), cardinality(p_metadata)
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF (SELECT count(DISTINCT s) FROM unnest(p_streams) AS s) <> v_members THEN
    RAISE EXCEPTION 'append_events_batch: a stream appears twice' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION 'append_events_batch must be the first write of its transaction'
      USING ERRCODE = 'active_sql_transaction';
  END IF;

  FOR v_lock IN SELECT DISTINCT hashtext(s) FROM unnest(p_streams) AS s ORDER BY 1 LOOP
    PERFORM pg_advisory_xact_lock(1095521108, v_lock);
  END LOOP;

  -- which member each event belongs to, and where each member's events start
  v_member_of := array_fill(0, ARRAY[v_total]);
  v_first := array_fill(0, ARRAY[v_members]);
  v_outcome := array_fill(NULL::text, ARRAY[v_members]);
  v_revision := array_fill(NULL::bigint, ARRAY[v_members]);
  v_position := array_fill(NULL::bigint, ARRAY[v_members]);
  v_conflict := array_fill(NULL::uuid, ARRAY[v_members]);
  FOR m IN 1 .. v_members LOOP
    v_first[m] := v_next + 1;
    FOR k IN 1 .. p_counts[m] LOOP
      v_member_of[v_next + k] := m;
    END LOOP;
    v_next := v_next + p_counts[m];
  END LOOP;

  -- one lookup of every id; per member the judgement of append_events()
  FOR r IN
    SELECT i.m,
           count(*)::int AS found,
           (array_agg(i.id ORDER BY (e.stream_id = p_streams[i.m]), i.ord))[1] AS first_id,
           bool_and(e.stream_id = p_streams[i.m]) AND min(e.revision - i.ord) = max(e.revision - i.ord) AS contiguous,
           max(e.revision) AS last_rev,
           max(e.position) AS last_pos
      FROM unnest(p_ids, v_member_of) WITH ORDINALITY AS i(id, m, ord)
      JOIN events e ON e.event_id = i.id
     GROUP BY i.m
  LOOP
    IF r.found = p_counts[r.m] AND r.contiguous THEN
      v_outcome[r.m] := 'retry';
      v_revision[r.m] := r.last_rev;
      v_position[r.m] := r.last_pos;
    ELSE
      v_outcome[r.m] := 'duplicate';
      v_conflict[r.m] := r.first_id;
    END IF;
  END LOOP;

  -- every stream's head in one query
  SELECT array_agg(coalesce(h.revision, -1) ORDER BY s.m), array_agg(h.hash ORDER BY s.m)
    INTO v_head_rev, v_head_hash
    FROM unnest(p_streams) WITH ORDINALITY AS s(stream_id, m)
    LEFT JOIN LATERAL (SELECT e.revision, e.hash FROM events e WHERE e.stream_id = s.stream_id
                        ORDER BY e.revision DESC LIMIT 1) h ON true;

  FOR m IN 1 .. v_members LOOP
    CONTINUE WHEN v_outcome[m] IS NOT NULL;
    v_current := v_head_rev[m];
    IF (p_expected[m] = -1 AND v_current <> -1) OR (p_expected[m] = -3 AND v_current = -1)
       OR (p_expected[m] >= 0 AND p_expected[m] <> v_current) THEN
      v_outcome[m] := 'wrong_revision';
      v_revision[m] := v_current;
    ELSE
      v_outcome[m] := 'ok';
      v_written := v_written + p_counts[m];
    END IF;
  END LOOP;

  IF v_written > 0 THEN
    BEGIN
      PERFORM pg_advisory_lock(1095520339, 0);
      v_xid := pg_current_xact_id();
      SELECT array_agg(nextval('events_position_seq') ORDER BY g) INTO v_positions
        FROM generate_series(1, v_written) AS g;
      PERFORM pg_advisory_unlock(1095520339, 0);
    EXCEPTION WHEN OTHERS OR query_canceled THEN
      PERFORM pg_advisory_unlock(1095520339, 0);
      RAISE;
    END;

    v_ins_idx := array_fill(0, ARRAY[v_written]);
    v_ins_rev := array_fill(0::bigint, ARRAY[v_written]);
    v_ins_hash := array_fill(NULL::bytea, ARRAY[v_written]);
    FOR m IN 1 .. v_members LOOP
      CONTINUE WHEN v_outcome[m] <> 'ok';
      v_current := v_head_rev[m];
      v_hash := v_head_hash[m];
      FOR j IN 1 .. p_counts[m] LOOP
        v_k := v_k + 1;
        v_next := v_first[m] + j - 1;
        v_hash := event_chain_hash(v_hash, p_streams[m], v_current + j, p_ids[v_next], v_positions[v_k],
                                   p_types[v_next], p_data[v_next], p_metadata[v_next]);
        v_ins_idx[v_k] := v_next;
        v_ins_rev[v_k] := v_current + j;
        v_ins_hash[v_k] := v_hash;
      END LOOP;
      v_revision[m] := v_current + p_counts[m];
      v_position[m] := v_positions[v_k];
    END LOOP;

    INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata, tx_id, hash)
    SELECT v_positions[w.k::int], p_streams[v_member_of[w.idx]], w.rev, p_ids[w.idx], p_types[w.idx],
           p_data[w.idx], p_metadata[w.idx], v_xid, w.hash
      FROM unnest(v_ins_idx, v_ins_rev, v_ins_hash) WITH ORDINALITY AS w(idx, rev, hash, k);
  END IF;

  RETURN QUERY
    SELECT m, v_outcome[m], v_revision[m], v_position[m], v_conflict[m],
           CASE WHEN v_outcome[m] = 'ok' THEN v_xid END
      FROM generate_series(1, v_members) AS m;
END
$fn$;

ALTER FUNCTION append_events_batch(text[], bigint[], int[], uuid[], text[], jsonb[], jsonb[])
  SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off;
`,
};
