/**
 * The ССТУ read model in PostgreSQL: `rm_sstu.appeals`, one row per appeal with its registration
 * facts (no personal data), its status changes and the months whose export holds it (GIN-indexed).
 * A rebuild replays the same events into the same rows, so it gives the same export.
 */
import type { HandleContext, Projection, SqlExecutor } from '../projection.port';
import { liveSchema } from '../projection.port';
import { groupByAppeal } from '../shared/appeal-event';
import type { RecordedEvent } from '../shared/event-store';
import { loadRows, qualified, upsertRows, type ColumnTypes } from '../shared/sql-batch';
import { inSstuMonth } from './sstu-export';
import { evolveSstu, SSTU_EVENT_TYPES, type SstuAppealRow } from './sstu.evolve';

export const SSTU_PROJECTION = 'sstu';
export const SSTU_SCHEMA = liveSchema(SSTU_PROJECTION);

const COLUMNS = {
  appeal_id: 'text',
  number: 'text',
  received_on: 'date',
  registered_on: 'date',
  form: 'text',
  source: 'jsonb',
  question_codes: 'text[]',
  changes: 'jsonb',
  months: 'date[]',
  originals: 'text[]',
  position: 'bigint',
} as const satisfies ColumnTypes<SstuAppealRow>;

export interface SstuProjectionOptions {
  /** the administration's time zone: business instants become local dates in it */
  timeZone: string;
}

export class SstuProjection implements Projection {
  readonly name = SSTU_PROJECTION;
  // 2: joined duplicates (changes `joined`/`unjoined`, column `originals`) — reported with their original's results
  // 3: a duplicate not joined, answered with its original (change `answered_with_original`)
  readonly version = 3;
  /**
   * One row per appeal, folded by `evolveSstu` from that appeal's events alone (`originals` names
   * other appeals but comes from this one's events; the export joins them when it reads).
   */
  readonly foldsPerStream = true;
  /** `handle` reads each event through `groupByAppeal`: its stream, position, type and data only. */
  readonly foldsFromDataAlone = true;
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
        originals text[] NOT NULL,
        position bigint NOT NULL
      )`,
    ];
  }

  createIndexes(schema: string): readonly string[] {
    return [
      `CREATE INDEX sstu_months ON ${qualified(schema, 'appeals')} USING gin (months)`,
      `CREATE INDEX sstu_originals ON ${qualified(schema, 'appeals')} USING gin (originals)`,
    ];
  }

  async handle(
    events: readonly RecordedEvent[],
    tx: SqlExecutor,
    schema: string,
    context?: HandleContext,
  ): Promise<void> {
    const groups = groupByAppeal(events.filter((e) => SSTU_EVENT_TYPES.has(e.type)));
    if (groups.size === 0) return;
    const table = qualified(schema, 'appeals');
    const rows = await loadRows<SstuAppealRow>(tx, table, 'appeal_id', [...groups.keys()], context);
    const changed: SstuAppealRow[] = [];
    for (const [appealId, envelopes] of groups) {
      const old = rows.get(appealId);
      let row = old;
      for (const envelope of envelopes) row = evolveSstu(row, envelope, this.options.timeZone);
      if (row && row !== old) changed.push(row);
    }
    await upsertRows(tx, table, ['appeal_id'], COLUMNS, changed, 'update', context);
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

/** How many rounds of duplicates of duplicates the month's query follows. */
const MAX_ROUNDS = 8;

const rowsWhere = async (
  db: SqlExecutor,
  schema: string,
  where: string,
  values: unknown[],
): Promise<SstuAppealRow[]> =>
  (
    await db.query<{ row: SstuAppealRow }>(
      `SELECT row_to_json(t) AS row FROM ${qualified(schema, 'appeals')} t WHERE ${where}`,
      values,
    )
  ).rows.map((r) => r.row);

/**
 * Everything the export of the month `from`…`to` needs: `rows`, the appeals it holds — registered or
 * changed in the month, and the joined duplicates whose original's results changed in it while they
 * were joined — in registration order; `originals`, the rows of the originals those duplicates are
 * reported with (chains of duplicates followed).
 */
export async function findSstuMonth(
  db: SqlExecutor,
  month: { from: string; to: string },
  schema = SSTU_SCHEMA,
): Promise<{ rows: SstuAppealRow[]; originals: Map<string, SstuAppealRow> }> {
  const known = new Map<string, SstuAppealRow>();
  const remember = (rows: SstuAppealRow[]): SstuAppealRow[] => {
    const fresh = rows.filter((r) => !known.has(r.appeal_id));
    for (const r of fresh) known.set(r.appeal_id, r);
    return fresh;
  };
  const base = remember(await findSstuRows(db, month.from, schema));
  // duplicates joined (at some time) to an appeal of the month, or to such a duplicate…
  let frontier = base.map((r) => r.appeal_id);
  for (let round = 0; frontier.length > 0 && round < MAX_ROUNDS; round += 1)
    frontier = remember(await rowsWhere(db, schema, 'originals && $1::text[]', [frontier])).map(
      (r) => r.appeal_id,
    );
  // …and the originals every row is joined to, wherever they are
  let missing = [...known.values()].flatMap((r) => r.originals).filter((id) => !known.has(id));
  for (let round = 0; missing.length > 0 && round < MAX_ROUNDS; round += 1) {
    const fresh = remember(
      await rowsWhere(db, schema, 'appeal_id = ANY($1::text[])', [[...new Set(missing)]]),
    );
    missing = fresh.flatMap((r) => r.originals).filter((id) => !known.has(id));
  }
  const originalOf = (id: string): SstuAppealRow | undefined => known.get(id);
  const baseIds = new Set(base.map((r) => r.appeal_id));
  const rows = [...known.values()]
    .filter((r) => r.registered_on <= month.to)
    .filter((r) => baseIds.has(r.appeal_id) || inSstuMonth(r, month, originalOf))
    .sort((a, b) => a.registered_on.localeCompare(b.registered_on) || a.appeal_id.localeCompare(b.appeal_id));
  return { rows, originals: known };
}
