/**
 * The expert commission's acts (ЭПК): each decision and the appeals it covers. An appeal is in at
 * most one act; the runtime role may read and add acts, never change or remove them.
 */
export const RETENTION_MIGRATIONS = [
  {
    version: 1,
    name: 'retention-decisions',
    sql: `CREATE TABLE IF NOT EXISTS retention_decisions (
            decision_id uuid PRIMARY KEY,
            act_number text NOT NULL,
            act_date date NOT NULL,
            recorded_at timestamptz NOT NULL DEFAULT now(),
            recorded_by text NOT NULL
          );
          CREATE TABLE IF NOT EXISTS retention_decision_appeals (
            appeal_id uuid PRIMARY KEY,
            decision_id uuid NOT NULL REFERENCES retention_decisions (decision_id),
            number text NOT NULL,
            closed_on date NOT NULL,
            keys_destroyed int NOT NULL
          );
          CREATE INDEX IF NOT EXISTS retention_decision_appeals_decision
            ON retention_decision_appeals (decision_id);`,
  },
];
