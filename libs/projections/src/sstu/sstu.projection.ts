/**
 * The ССТУ read model in PostgreSQL: `rm_sstu.appeals`, one row per appeal with its registration
 * facts (no personal data), its status changes and the months whose export holds it (GIN-indexed).
 * A rebuild replays the same events into the same rows, so it gives the same export.
 */
import type { Projection, SqlExecutor } from '../projection.port';
import { liveSchema } from '../projection.port';
import { groupByAppeal } from '../shared/appeal-event';
import type { RecordedEvent } from '../shared/event-store';
import { loadRows, qualified, upsertRows } from '../shared/sql-batch';
import { evolveSstu, SSTU_EVENT_TYPES, type SstuAppealRow } from './sstu.evolve';

export const SSTU_PROJECTION = 'sstu';
export const SSTU_SCHEMA = liveSchema(SSTU_PROJECTION);

const COLUMNS = [
  'appeal_id',
  'number',
  'received_on',
  'registered_on',
  'form',
  'source',
  'question_codes',
  'changes',
  'months',
  'position',
] as const satisfies readonly (keyof SstuAppealRow)[];

export interface SstuProjectionOptions {
  /** the administration's time zone: business instants become local dates in it */
  timeZone: string;
}

export class SstuProjection implements Projection {
  readonly name = SSTU_PROJECTION;
  readonly version = 1;
  readonly tables = ['appeals'] as const;

  constructor(private readonly options: SstuProjectionOptions) {}

  createTables(schema: string): readonly string[] {
    return [
      `CREATE TABLE ${qualified(schema, 'appeals')} (
        appeal_id text PRIMARY KEY,
        number text NOT NULL,
        received_on date NOT NULL,
        registered_on date NOT NULL,
        form text NOT NULL,
        source jsonb NOT NULL,
        question_codes text[] NOT NULL,
        changes jsonb NOT NULL,
        months date[] NOT NULL,
        position bigint NOT NULL
      )`,
    ];
  }

  createIndexes(schema: string): readonly string[] {
    return [`CREATE INDEX sstu_months ON ${qualified(schema, 'appeals')} USING gin (months)`];
  }

  async handle(events: readonly RecordedEvent[], tx: SqlExecutor, schema: string): Promise<void> {
    const groups = groupByAppeal(events.filter((e) => SSTU_EVENT_TYPES.has(e.type)));
    if (groups.size === 0) return;
    const table = qualified(schema, 'appeals');
    const loaded = await loadRows<SstuAppealRow>(tx, table, 'appeal_id', [...groups.keys()]);
    const rows = new Map(loaded.map((row) => [row.appeal_id, row]));
    const changed: SstuAppealRow[] = [];
    for (const [appealId, envelopes] of groups) {
      const old = rows.get(appealId);
      let row = old;
      for (const envelope of envelopes) row = evolveSstu(row, envelope, this.options.timeZone);
      if (row && row !== old) changed.push(row);
    }
    await upsertRows(tx, table, ['appeal_id'], COLUMNS, changed);
  }
}

/** The rows of the appeals registered or changed in the month starting on `monthStart`. */
export async function findSstuRows(
  db: SqlExecutor,
  monthStart: string,
  schema = SSTU_SCHEMA,
): Promise<SstuAppealRow[]> {
  const result = await db.query<{ row: SstuAppealRow }>(
    `SELECT row_to_json(t) AS row FROM ${qualified(schema, 'appeals')} t
      WHERE months @> ARRAY[$1::date] ORDER BY registered_on, appeal_id`,
    [monthStart],
  );
  return result.rows.map((r) => r.row);
}
