/**
 * Schema version 5: tamper evidence. Every event carries `hash`, chained to the previous event of its
 * stream and computed by append_events() in the same statement that inserts it (no second round
 * trip); events stored before this version are hashed here, in stream order. Signed checkpoints of
 * every stream's head (`event_store_checkpoints`, `event_store_stream_heads`) show what a per-stream
 * chain cannot: a deleted tail event, a deleted stream. See docs/event-store.md ("Tamper evidence").
 *
 * hash = sha256(previous hash of the stream (empty for revision 0)
 *               || sha256(stream_id) || int8(revision) || uuid(event_id) || int8(position)
 *               || sha256(type) || sha256(data::text) || sha256(metadata::text))
 * Every part is of fixed width, so the encoding is unambiguous; `data::text` is PostgreSQL's
 * canonical text of the stored jsonb, so a verifier outside the database (integrity.ts) computes the
 * same bytes from what it reads. Personal data is sealed ciphertext inside `data` and erasure
 * destroys keys, never events, so erasure leaves every hash valid.
 */
import type { Migration } from '../migrations.runner';

export const eventHashChainMigration: Migration = {
  version: 5,
  name: 'event-hash-chain',
  sql: `
ALTER TABLE events ADD COLUMN hash bytea;

CREATE FUNCTION event_chain_hash(
  p_previous bytea, p_stream_id text, p_revision bigint, p_event_id uuid, p_position bigint,
  p_type text, p_data jsonb, p_metadata jsonb
) RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT sha256(coalesce(p_previous, '\\x'::bytea)
                || sha256(convert_to(p_stream_id, 'UTF8')) || int8send(p_revision) || uuid_send(p_event_id)
                || int8send(p_position) || sha256(convert_to(p_type, 'UTF8'))
                || sha256(convert_to(p_data::text, 'UTF8')) || sha256(convert_to(p_metadata::text, 'UTF8')))
$fn$;

-- Backfill, one revision level at a time: each pass hashes the events whose predecessor in the
-- stream is hashed already (or which have none), so a store of appeals with ~10 events each takes
-- ~10 set-based passes. The immutability trigger is off only inside this transaction.
ALTER TABLE events DISABLE TRIGGER events_are_immutable;
DO $backfill$
DECLARE
  v_done bigint;
BEGIN
  LOOP
    UPDATE events e
       SET hash = event_chain_hash(p.hash, e.stream_id, e.revision, e.event_id, e.position, e.type, e.data, e.metadata)
      FROM (SELECT c.position,
                   (SELECT b.hash FROM events b WHERE b.stream_id = c.stream_id AND b.revision < c.revision
                     ORDER BY b.revision DESC LIMIT 1) AS hash,
                   EXISTS (SELECT 1 FROM events b WHERE b.stream_id = c.stream_id AND b.revision < c.revision
                            AND b.hash IS NULL) AS waits
              FROM events c WHERE c.hash IS NULL) p
     WHERE e.position = p.position AND NOT p.waits;
    GET DIAGNOSTICS v_done = ROW_COUNT;
    EXIT WHEN v_done = 0;
  END LOOP;
END
$backfill$;
ALTER TABLE events ENABLE TRIGGER events_are_immutable;
ALTER TABLE events ALTER COLUMN hash SET NOT NULL;

-- append_events() as in migration 2, plus the hash: the head's hash comes with the head's revision
-- (the same index lookup), and the new events' hashes are chained in a loop before the one INSERT.
CREATE OR REPLACE FUNCTION append_events(
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
  v_head_hash  bytea;
  v_xid        xid8;
  v_positions  bigint[];
  v_hashes     bytea[] := '{}';
BEGIN
  IF v_count = 0 OR v_count <> coalesce(cardinality(p_types), 0) OR v_count <> coalesce(cardinality(p_data), 0)
     OR v_count <> coalesce(cardinality(p_metadata), 0) THEN
    RAISE EXCEPTION 'append_events: got % ids, % types, % data, % metadata; need one or more of each, as many of each',
      v_count, cardinality(p_types), cardinality(p_data), cardinality(p_metadata)
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION 'append_events must be the first write of its transaction'
      USING ERRCODE = 'active_sql_transaction';
  END IF;

  PERFORM pg_advisory_xact_lock(1095521108, hashtext(p_stream_id));

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

  SELECT e.revision, e.hash INTO v_current, v_head_hash
    FROM events e WHERE e.stream_id = p_stream_id ORDER BY e.revision DESC LIMIT 1;
  v_current := coalesce(v_current, -1);
  IF (p_expected = -1 AND v_current <> -1) OR (p_expected = -3 AND v_current = -1)
     OR (p_expected >= 0 AND p_expected <> v_current) THEN
    RETURN QUERY SELECT 'wrong_revision'::text, v_current, NULL::bigint, NULL::uuid;
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

  FOR k IN 1 .. v_count LOOP
    v_head_hash := event_chain_hash(v_head_hash, p_stream_id, v_current + k, p_ids[k], v_positions[k],
                                    p_types[k], p_data[k], p_metadata[k]);
    v_hashes := v_hashes || v_head_hash;
  END LOOP;

  INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata, tx_id, hash)
  SELECT v_positions[i.ord::int], p_stream_id, v_current + i.ord, i.id, p_types[i.ord::int], p_data[i.ord::int],
         p_metadata[i.ord::int], v_xid, v_hashes[i.ord::int]
    FROM unnest(p_ids) WITH ORDINALITY AS i(id, ord);

  RETURN QUERY SELECT 'ok'::text, v_current + v_count, v_positions[v_count], NULL::uuid;
END
$fn$;

-- CREATE OR REPLACE keeps the settings of migration 4; stated again so this file says what runs.
ALTER FUNCTION append_events(text, bigint, uuid[], text[], jsonb[], jsonb[])
  SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off;

-- Signed checkpoints. A row signs (HMAC-SHA256, key outside the database) the count of events up to
-- \`position\` and the digest of every stream's head at that position; the heads themselves are kept
-- in event_store_stream_heads (one row per stream, the latest checkpoint's), so verify can name the
-- stream whose tail or whole self is gone.
CREATE TABLE event_store_checkpoints (
  id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  position     bigint      NOT NULL,
  event_count  bigint      NOT NULL,
  stream_count bigint      NOT NULL,
  heads_digest bytea       NOT NULL,
  created_at   timestamptz NOT NULL,
  key_id       text        NOT NULL,
  signature    bytea       NOT NULL
);
CREATE TABLE event_store_stream_heads (
  stream_id text   PRIMARY KEY,
  revision  bigint NOT NULL,
  position  bigint NOT NULL,
  hash      bytea  NOT NULL
);
`,
};
