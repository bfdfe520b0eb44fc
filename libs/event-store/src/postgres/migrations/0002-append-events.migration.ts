/**
 * Schema version 2: `append_events()`, the only writer of `events`, so an append is one round trip.
 * See docs/event-store.md for the no-skip rule it upholds.
 */
import type { Migration } from '../migrations.runner';

export const appendEventsMigration: Migration = {
  version: 2,
  name: 'append-events',
  sql: `
-- p_expected: a revision (>= 0), or -1 no_stream, -2 any, -3 stream_exists.
-- outcome: 'ok' | 'retry' (all ids already stored here: nothing written, the original result) |
--          'wrong_revision' (stream_revision = actual, -1 when no stream) |
--          'duplicate' (conflicting_event_id is stored outside this append).
-- Outcomes are returned, not raised: a lost race is an expected answer, not a server-log error.
-- No NOTIFY here: a notifying transaction holds a cluster-wide lock through its commit flush, which
-- serialises commits and halves throughput at 16 appenders; the adapter notifies after commit.
CREATE FUNCTION append_events(
  p_stream_id text,
  p_expected  bigint,
  p_ids       uuid[],
  p_types     text[],
  p_data      jsonb[],
  p_metadata  jsonb[]
) RETURNS TABLE (outcome text, stream_revision bigint, last_position bigint, conflicting_event_id uuid)
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_count      int := coalesce(cardinality(p_ids), 0);
  v_found      int;
  v_first_id   uuid;
  v_contiguous boolean;
  v_last_rev   bigint;
  v_last_pos   bigint;
  v_current    bigint;
  v_xid        xid8;
  v_positions  bigint[];
BEGIN
  IF v_count = 0 OR v_count <> coalesce(cardinality(p_types), 0) OR v_count <> coalesce(cardinality(p_data), 0)
     OR v_count <> coalesce(cardinality(p_metadata), 0) THEN
    RAISE EXCEPTION 'append_events: got % ids, % types, % data, % metadata; need one or more of each, as many of each',
      v_count, cardinality(p_types), cardinality(p_data), cardinality(p_metadata)
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  -- Step 3 must be where this transaction gets its id (see there).
  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION 'append_events must be the first write of its transaction'
      USING ERRCODE = 'active_sql_transaction';
  END IF;

  -- 1. One appender per stream until commit. An advisory lock, unlike a row lock, takes no
  --    transaction id. Each statement below sees the previous appender's committed events.
  PERFORM pg_advisory_xact_lock(1095521108, hashtext(p_stream_id));

  -- 2. A retry: every id already stored in this stream, contiguously and in order -> the original
  --    result, whatever the expectation. Some ids stored, but not like that -> a duplicate.
  SELECT count(*)::int,
         (array_agg(i.id ORDER BY (e.stream_id = p_stream_id), i.ord))[1],
         bool_and(e.stream_id = p_stream_id) AND min(e.revision - i.ord) = max(e.revision - i.ord),
         max(e.revision),
         max(e.position)
    INTO v_found, v_first_id, v_contiguous, v_last_rev, v_last_pos
    FROM unnest(p_ids) WITH ORDINALITY AS i(id, ord)
    JOIN events e ON e.event_id = i.id;
  IF v_found > 0 THEN
    IF v_found = v_count AND v_contiguous THEN
      RETURN QUERY SELECT 'retry'::text, v_last_rev, v_last_pos, NULL::uuid;
    ELSE
      RETURN QUERY SELECT 'duplicate'::text, NULL::bigint, NULL::bigint, v_first_id;
    END IF;
    RETURN;
  END IF;

  SELECT e.revision INTO v_current FROM events e WHERE e.stream_id = p_stream_id ORDER BY e.revision DESC LIMIT 1;
  v_current := coalesce(v_current, -1);
  IF (p_expected = -1 AND v_current <> -1) OR (p_expected = -3 AND v_current = -1)
     OR (p_expected >= 0 AND p_expected <> v_current) THEN
    RETURN QUERY SELECT 'wrong_revision'::text, v_current, NULL::bigint, NULL::uuid;
    RETURN;
  END IF;

  -- 3. Positions in transaction-id order. Readers of $all return only events of transactions older
  --    than the oldest one in flight (tx_id < pg_snapshot_xmin); that is gap-free only if a smaller
  --    position never belongs to a younger transaction. So the transaction id and the positions
  --    are taken together under a global lock held for microseconds (not until commit, which
  --    would serialise commits and defeat group commit). A session lock, hence the handler that
  --    releases it on any error, cancellation included.
  BEGIN
    PERFORM pg_advisory_lock(1095520339, 0);
    v_xid := pg_current_xact_id();
    SELECT array_agg(nextval('events_position_seq') ORDER BY g) INTO v_positions FROM generate_series(1, v_count) AS g;
    PERFORM pg_advisory_unlock(1095520339, 0);
  EXCEPTION WHEN OTHERS OR query_canceled THEN
    PERFORM pg_advisory_unlock(1095520339, 0);
    RAISE;
  END;

  -- 4. Write. A concurrent append of the same id to another stream surfaces as a unique violation
  --    of events_event_id_key, which the adapter maps to DuplicateEventIdError.
  INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata, tx_id)
  SELECT v_positions[i.ord::int], p_stream_id, v_current + i.ord, i.id, p_types[i.ord::int], p_data[i.ord::int],
         p_metadata[i.ord::int], v_xid
    FROM unnest(p_ids) WITH ORDINALITY AS i(id, ord);

  RETURN QUERY SELECT 'ok'::text, v_current + v_count, v_positions[v_count], NULL::uuid;
END
$fn$;
`,
};
