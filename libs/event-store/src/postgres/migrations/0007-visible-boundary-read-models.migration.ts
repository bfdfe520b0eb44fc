/**
 * Schema version 7: the readers' boundary does not wait for the read models' sessions either.
 *
 * A read model's batch takes its checkpoint row FOR UPDATE first, which gives its transaction an xid;
 * held up after that (a lock on one of its tables, a slow statement, a rebuild's long transaction),
 * that xid was the oldest in flight and every reader of `$all` — every other read model, every
 * delivery (reminders), every registration's lookup of the store's tail — stopped at the events
 * appended after it until it ended. Those sessions never append events (they are opened with
 * application_name READ_MODEL_APPLICATION_NAME, `appeal-ledger-read-model`), so their xids are left
 * out as the notifier's are (migration 3). The rule otherwise stands: an xid is excluded only when it
 * is positively seen running in a backend that never appends.
 */
import type { Migration } from '../migrations.runner';

export const visibleBoundaryReadModelsMigration: Migration = {
  version: 7,
  name: 'visible-boundary-read-models',
  sql: `
CREATE OR REPLACE FUNCTION events_visible_boundary() RETURNS xid8
LANGUAGE sql STABLE AS $$
  WITH snap AS (SELECT pg_current_snapshot() AS s),
       running AS (SELECT x FROM snap, pg_snapshot_xip(snap.s) AS x)
  SELECT coalesce(
    (SELECT min(x) FROM running
      -- uncorrelated: the other databases' xids are read once per call, and only when any is running
      WHERE x::xid NOT IN (SELECT backend_xid FROM pg_stat_activity
                            WHERE backend_xid IS NOT NULL
                              AND (datname IS DISTINCT FROM current_database() OR backend_type <> 'client backend'
                                   OR application_name IN ('appeal-ledger-notifier', 'appeal-ledger-read-model')))),
    (SELECT pg_snapshot_xmax(s) FROM snap))
$$;
`,
};
