/**
 * Schema version 4: append_events() plans its statements once per session, as index plans.
 *
 * Its statements are point lookups by key (event_id; stream_id + revision) and an insert. PL/pgSQL's
 * plan cache kept building a custom plan for every statement of every call (a custom plan's estimate
 * never loses to the generic one here), and planning was most of an append's server CPU.
 * `force_generic_plan` plans once per session; but a session's first append may come while `events`
 * is empty and never analyzed, when a sequential scan and a hash join look cheapest, and that plan
 * would then be kept while the table grows (measured: 891 commands/s instead of 1,790). So sequential
 * scans are also ruled out for this function, leaving the index plans at any table size.
 *
 * Measured with the lifecycle benchmark (docs/benchmarks.md): PostgreSQL CPU per command
 * 0.72 → 0.39 ms.
 */
import type { Migration } from '../migrations.runner';

export const appendGenericPlansMigration: Migration = {
  version: 4,
  name: 'append-generic-plans',
  sql: `
ALTER FUNCTION append_events(text, bigint, uuid[], text[], jsonb[], jsonb[])
  SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off;
`,
};
