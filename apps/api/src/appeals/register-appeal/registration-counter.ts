/**
 * Registration sequence numbers per year in PostgreSQL (unique per administration and year; the
 * sequence restarts each year). A number is taken inside the transaction that records the
 * registration, so a registration that fails takes none: no gaps, no duplicates.
 */
import type { Queryable } from '@appeal-ledger/event-store';

/** Advisory-lock class of the per-year registration lock ("RegN"). */
const REGISTRATION_LOCK = 0x5265674e;

export const REGISTRATION_COUNTER_MIGRATIONS = [
  {
    version: 1,
    name: 'registration-counters',
    sql: `CREATE TABLE IF NOT EXISTS registration_counters (
            year int PRIMARY KEY,
            last_sequence int NOT NULL
          );`,
  },
  {
    version: 2,
    name: 'register-appeal-function',
    // The registration in one statement (docs/architecture.md, "Registration is atomic"): the year's
    // lock is held only while the server runs it and commits, never across client round trips — a
    // busy engine's event loop used to stretch every step of the locked section, and registrations of
    // one year queue on that lock. The number is the template the app made from the configured
    // pattern (registrationNumberTemplate) filled with the sequence, as fillNumberTemplate does; the
    // event's "number" is set to it before the append hashes and stores the event. The append is the
    // transaction's first write (the lock and the read take no transaction id); the keys and the
    // number follow it; a refused append (outcome other than ok) writes nothing.
    sql: `
CREATE OR REPLACE FUNCTION register_appeal(
  p_year          int,
  p_number_parts  text[],
  p_number_widths int[],
  p_stream_id     text,
  p_event_id      uuid,
  p_type          text,
  p_data          jsonb,
  p_metadata      jsonb,
  p_appeal_id     uuid,
  p_key_subjects  uuid[],
  p_wrapped_keys  text[]
) RETURNS TABLE (outcome text, stream_revision bigint, last_position bigint, conflicting_event_id uuid,
                 sequence int, number text)
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_sequence int;
  v_digits   text;
  v_number   text;
  v_append   record;
BEGIN
  IF coalesce(cardinality(p_number_parts), 0) <> coalesce(cardinality(p_number_widths), 0) + 1 THEN
    RAISE EXCEPTION 'register_appeal: % number parts for % widths; need one more part than widths',
      cardinality(p_number_parts), cardinality(p_number_widths) USING ERRCODE = 'invalid_parameter_value';
  END IF;
  PERFORM pg_advisory_xact_lock(${REGISTRATION_LOCK}, p_year);
  SELECT c.last_sequence + 1 INTO v_sequence FROM registration_counters c WHERE c.year = p_year;
  v_sequence := coalesce(v_sequence, 1);
  v_digits := v_sequence::text;
  v_number := p_number_parts[1];
  FOR i IN 1 .. coalesce(cardinality(p_number_widths), 0) LOOP
    v_number := v_number
      || CASE WHEN length(v_digits) >= p_number_widths[i] THEN v_digits ELSE lpad(v_digits, p_number_widths[i], '0') END
      || p_number_parts[i + 1];
  END LOOP;
  SELECT a.* INTO v_append FROM append_events(p_stream_id, -1, ARRAY[p_event_id], ARRAY[p_type],
    ARRAY[jsonb_set(p_data, '{number}', to_jsonb(v_number))], ARRAY[p_metadata]) a;
  IF v_append.outcome = 'ok' THEN
    INSERT INTO personal_data_keys (subject_id, appeal_id, wrapped_key)
    SELECT k.subject_id, p_appeal_id, k.wrapped_key FROM unnest(p_key_subjects, p_wrapped_keys) AS k(subject_id, wrapped_key)
    ON CONFLICT (subject_id) DO UPDATE
      SET appeal_id = EXCLUDED.appeal_id, wrapped_key = EXCLUDED.wrapped_key, created_at = now(),
          destroyed_at = NULL, destroyed_by = NULL;
    INSERT INTO registration_counters (year, last_sequence) VALUES (p_year, v_sequence)
    ON CONFLICT (year) DO UPDATE SET last_sequence = greatest(registration_counters.last_sequence, EXCLUDED.last_sequence);
  ELSE
    v_sequence := NULL;
    v_number := NULL;
  END IF;
  RETURN QUERY SELECT v_append.outcome, v_append.stream_revision, v_append.last_position,
    v_append.conflicting_event_id, v_sequence, v_number;
END
$fn$;`,
  },
  {
    version: 3,
    name: 'register-appeals-batch-function',
    // Group commit of registrations (docs/decisions/0010-group-commit-registrations-landed.md): the
    // registrations that queued while another was being written, in ONE statement — one transaction,
    // one WAL flush. Members are parallel arrays in arrival order: p_years[m], p_part_counts[m] number
    // parts (all members' parts concatenated in p_parts, their widths — one fewer each — in p_widths),
    // p_streams[m], the stream's first event (p_event_ids[m], p_types[m], p_data[m], p_metadata[m]),
    // p_appeal_ids[m] and p_key_counts[m] keys (concatenated in p_key_subjects, p_wrapped_keys).
    //  1. Every year's lock (the lock register_appeal() takes) in ascending year order — once per
    //     year, not once per registration; a registration holds year locks before any stream lock, so
    //     two batches, or a batch and register_appeal(), cannot deadlock.
    //  2. Each year's counter read once; numbers taken in arrival order per year and filled in as
    //     register_appeal() fills one (the same template rule).
    //  3. Every stream's first event through append_events_batch() (expected: no stream) — still the
    //     transaction's first write (locks and reads take no transaction id).
    //  4. Every member must be plainly fine: appended ('ok'). A retry, a duplicate id or an existing
    //     stream raises SQLSTATE AL001 — the whole call is rolled back, and the app registers each
    //     member alone through register_appeal(), which answers it as it does without batching.
    //  5. The keys of all members in one INSERT, each year's counter once.
    sql: `
CREATE OR REPLACE FUNCTION register_appeals_batch(
  p_years        int[],
  p_part_counts  int[],
  p_parts        text[],
  p_widths       int[],
  p_streams      text[],
  p_event_ids    uuid[],
  p_types        text[],
  p_data         jsonb[],
  p_metadata     jsonb[],
  p_appeal_ids   uuid[],
  p_key_counts   int[],
  p_key_subjects uuid[],
  p_wrapped_keys text[]
) RETURNS TABLE (member int, outcome text, stream_revision bigint, last_position bigint,
                 conflicting_event_id uuid, sequence int, number text)
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_members   int := coalesce(cardinality(p_years), 0);
  v_year_list int[];
  v_year_last int[];
  v_sequences int[];
  v_numbers   text[];
  v_data      jsonb[];
  v_key_owner uuid[];
  v_part      int := 0;
  v_width     int := 0;
  v_y         int;
  v_digits    text;
  v_number    text;
  v_outcomes  text[];
  v_revisions bigint[];
  v_positions bigint[];
  v_conflicts uuid[];
BEGIN
  IF v_members = 0
     OR v_members <> coalesce(cardinality(p_part_counts), 0) OR v_members <> coalesce(cardinality(p_streams), 0)
     OR v_members <> coalesce(cardinality(p_event_ids), 0) OR v_members <> coalesce(cardinality(p_types), 0)
     OR v_members <> coalesce(cardinality(p_data), 0) OR v_members <> coalesce(cardinality(p_metadata), 0)
     OR v_members <> coalesce(cardinality(p_appeal_ids), 0) OR v_members <> coalesce(cardinality(p_key_counts), 0)
     OR coalesce(cardinality(p_parts), 0) <> (SELECT sum(c) FROM unnest(p_part_counts) AS c)
     OR coalesce(cardinality(p_widths), 0) <> (SELECT sum(c) - v_members FROM unnest(p_part_counts) AS c)
     OR (SELECT min(c) FROM unnest(p_part_counts) AS c) < 1
     OR coalesce(cardinality(p_key_subjects), 0) <> coalesce((SELECT sum(c) FROM unnest(p_key_counts) AS c), 0)
     OR coalesce(cardinality(p_wrapped_keys), 0) <> coalesce(cardinality(p_key_subjects), 0) THEN
    RAISE EXCEPTION 'register_appeals_batch: arrays of % members do not fit', v_members
      USING ERRCODE = 'invalid_parameter_value';
  END IF;

  SELECT array_agg(y ORDER BY y) INTO v_year_list FROM (SELECT DISTINCT y FROM unnest(p_years) AS y) d;
  FOREACH v_y IN ARRAY v_year_list LOOP
    PERFORM pg_advisory_xact_lock(${REGISTRATION_LOCK}, v_y);
  END LOOP;
  SELECT array_agg(coalesce(c.last_sequence, 0) ORDER BY l.ord) INTO v_year_last
    FROM unnest(v_year_list) WITH ORDINALITY AS l(year, ord)
    LEFT JOIN registration_counters c ON c.year = l.year;

  v_sequences := array_fill(0, ARRAY[v_members]);
  v_numbers := array_fill(NULL::text, ARRAY[v_members]);
  v_data := array_fill(NULL::jsonb, ARRAY[v_members]);
  FOR m IN 1 .. v_members LOOP
    v_y := array_position(v_year_list, p_years[m]);
    v_year_last[v_y] := v_year_last[v_y] + 1;
    v_sequences[m] := v_year_last[v_y];
    v_digits := v_sequences[m]::text;
    v_number := p_parts[v_part + 1];
    FOR i IN 1 .. p_part_counts[m] - 1 LOOP
      v_number := v_number
        || CASE WHEN length(v_digits) >= p_widths[v_width + i] THEN v_digits
                ELSE lpad(v_digits, p_widths[v_width + i], '0') END
        || p_parts[v_part + i + 1];
    END LOOP;
    v_part := v_part + p_part_counts[m];
    v_width := v_width + p_part_counts[m] - 1;
    v_numbers[m] := v_number;
    v_data[m] := jsonb_set(p_data[m], '{number}', to_jsonb(v_number));
  END LOOP;

  SELECT array_agg(a.outcome ORDER BY a.member), array_agg(a.stream_revision ORDER BY a.member),
         array_agg(a.last_position ORDER BY a.member), array_agg(a.conflicting_event_id ORDER BY a.member)
    INTO v_outcomes, v_revisions, v_positions, v_conflicts
    FROM append_events_batch(p_streams, array_fill(-1::bigint, ARRAY[v_members]),
                             array_fill(1, ARRAY[v_members]), p_event_ids, p_types, v_data, p_metadata) a;
  FOR m IN 1 .. v_members LOOP
    IF v_outcomes[m] IS DISTINCT FROM 'ok' THEN
      RAISE EXCEPTION 'register_appeals_batch: member % is not plainly fine (%)', m, v_outcomes[m]
        USING ERRCODE = 'AL001';
    END IF;
  END LOOP;

  SELECT array_agg(p_appeal_ids[m] ORDER BY m, k) INTO v_key_owner
    FROM generate_series(1, v_members) AS m, generate_series(1, p_key_counts[m]) AS k;
  INSERT INTO personal_data_keys (subject_id, appeal_id, wrapped_key)
  SELECT k.subject_id, k.appeal_id, k.wrapped_key
    FROM unnest(p_key_subjects, v_key_owner, p_wrapped_keys) AS k(subject_id, appeal_id, wrapped_key)
  ON CONFLICT (subject_id) DO UPDATE
    SET appeal_id = EXCLUDED.appeal_id, wrapped_key = EXCLUDED.wrapped_key, created_at = now(),
        destroyed_at = NULL, destroyed_by = NULL;
  INSERT INTO registration_counters (year, last_sequence)
  SELECT l.year, l.last_sequence FROM unnest(v_year_list, v_year_last) AS l(year, last_sequence)
  ON CONFLICT (year) DO UPDATE SET last_sequence = greatest(registration_counters.last_sequence, EXCLUDED.last_sequence);

  RETURN QUERY
    SELECT m, v_outcomes[m], v_revisions[m], v_positions[m], v_conflicts[m], v_sequences[m], v_numbers[m]
      FROM generate_series(1, v_members) AS m;
END
$fn$;`,
  },
];

export class RegistrationCounter {
  /**
   * The year's next number, inside the caller's transaction on `client`. Takes the year's
   * registration lock until that transaction ends, so registrations of one year commit one at a
   * time. An advisory lock and a plain read take no transaction id: the event append may still be
   * the transaction's first write (the event store requires that).
   */
  async reserve(client: Queryable, year: number): Promise<number> {
    await client.query({ text: 'SELECT pg_advisory_xact_lock($1, $2)', values: [REGISTRATION_LOCK, year] });
    const res = await client.query<{ last_sequence: number }>({
      text: 'SELECT last_sequence FROM registration_counters WHERE year = $1',
      values: [year],
    });
    return (res.rows[0]?.last_sequence ?? 0) + 1;
  }

  /** Records `sequence` as the year's last number (in the transaction that reserved it). */
  async commit(client: Queryable, year: number, sequence: number): Promise<void> {
    await client.query({
      text: `INSERT INTO registration_counters (year, last_sequence) VALUES ($1, $2)
             ON CONFLICT (year) DO UPDATE SET last_sequence = greatest(registration_counters.last_sequence, EXCLUDED.last_sequence)`,
      values: [year, sequence],
    });
  }
}
