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
