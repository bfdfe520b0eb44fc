/**
 * Schema version 3: the readers' boundary ignores transactions of other databases and of background
 * workers. xids are cluster-wide, so `pg_snapshot_xmin` let any long transaction elsewhere on the
 * server (another application on a shared cluster, another test database, an autovacuum ANALYZE)
 * hold back every subscriber here.
 */
import type { Migration } from '../migrations.runner';

export const visibleBoundaryMigration: Migration = {
  version: 3,
  name: 'visible-boundary',
  sql: `
-- The oldest transaction in flight in the current snapshot that may be an appender of this
-- database; the snapshot's xmax when there is none. An xid is excluded only when it is positively
-- seen running in another database, or in a backend that never appends: background workers
-- (autovacuum's ANALYZE takes an xid) and the adapter's notifier session, whose NOTIFY takes one. An
-- xid that ended meanwhile stays counted (safe, never skips).
CREATE FUNCTION events_visible_boundary() RETURNS xid8
LANGUAGE sql STABLE AS $$
  WITH snap AS (SELECT pg_current_snapshot() AS s),
       running AS (SELECT x FROM snap, pg_snapshot_xip(snap.s) AS x)
  SELECT coalesce(
    (SELECT min(x) FROM running
      -- uncorrelated: the other databases' xids are read once per call, and only when any is running
      WHERE x::xid NOT IN (SELECT backend_xid FROM pg_stat_activity
                            WHERE backend_xid IS NOT NULL
                              AND (datname IS DISTINCT FROM current_database() OR backend_type <> 'client backend'
                                   OR application_name = 'appeal-ledger-notifier'))),
    (SELECT pg_snapshot_xmax(s) FROM snap))
$$;
`,
};
