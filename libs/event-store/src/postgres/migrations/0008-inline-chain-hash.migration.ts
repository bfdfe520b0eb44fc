/**
 * Schema version 8: the hash chain's formula inlined where it is used. Migration 5 declared
 * `event_chain_hash()` IMMUTABLE, but its body calls `convert_to()`, which PostgreSQL marks STABLE, so
 * the planner never inlined it: every event appended ran the SQL function through its own executor
 * (a `SELECT sha256(…)` of its own in pg_stat_statements, ~6 µs of server CPU per event more than
 * the expression itself; docs/benchmarks.md, session 14). Declared STABLE — what it is — the same
 * body is inlined into append_events() and append_events_batch(), which then evaluate the expression
 * directly.
 *
 * The formula is unchanged, byte for byte (migration 5 defines it; integrity.ts computes the same in
 * Node), so events hashed before and after this version verify alike. CREATE OR REPLACE invalidates
 * the cached plans of the functions that call it, so every session picks up the inlined form.
 */
import type { Migration } from '../migrations.runner';

export const inlineChainHashMigration: Migration = {
  version: 8,
  name: 'inline-chain-hash',
  sql: `
CREATE OR REPLACE FUNCTION event_chain_hash(
  p_previous bytea, p_stream_id text, p_revision bigint, p_event_id uuid, p_position bigint,
  p_type text, p_data jsonb, p_metadata jsonb
) RETURNS bytea LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
  SELECT sha256(coalesce(p_previous, '\\x'::bytea)
                || sha256(convert_to(p_stream_id, 'UTF8')) || int8send(p_revision) || uuid_send(p_event_id)
                || int8send(p_position) || sha256(convert_to(p_type, 'UTF8'))
                || sha256(convert_to(p_data::text, 'UTF8')) || sha256(convert_to(p_metadata::text, 'UTF8')))
$fn$;
`,
};
