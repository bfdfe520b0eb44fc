/**
 * The statistics read model in PostgreSQL: `appeal_facts` (one row per appeal) and
 * `monthly_counters` (registration month × counter key), kept by applying each batch's difference of
 * contributions, so a summary over months reads a few thousand counter rows whatever the volume.
 */
import type { HandleContext, Projection, SqlExecutor } from '../projection.port';
import { liveSchema } from '../projection.port';
import { groupByAppeal } from '../shared/appeal-event';
import { monthStart } from '../shared/business-date';
import type { RecordedEvent } from '../shared/event-store';
import { arrayColumns, loadRows, qualified, upsertRows, type ColumnTypes } from '../shared/sql-batch';
import type { AppealFactsRow } from './statistics.evolve';
import { contributions, evolveFacts, FACT_EVENT_TYPES } from './statistics.evolve';

export const STATISTICS_PROJECTION = 'statistics';
export const STATISTICS_SCHEMA = liveSchema(STATISTICS_PROJECTION);

const FACT_COLUMNS = {
  appeal_id: 'text',
  registered_on: 'date',
  form: 'text',
  channel: 'text',
  kind: 'text',
  source_type: 'text',
  electronic_route: 'text',
  registered_late: 'boolean',
  repeat: 'boolean',
  repeat_of: 'text',
  duplicate_of: 'text',
  collective: 'boolean',
  anonymous: 'boolean',
  reception_role: 'text',
  reception_on_site: 'boolean',
  on_site_visit: 'boolean',
  questions: 'jsonb',
  due_date: 'date',
  disposition: 'text',
  disposed_on: 'date',
  late: 'boolean',
  further_control: 'boolean',
  position: 'bigint',
  answer_due: 'boolean',
  forwarded: 'boolean',
  forwarded_late: 'boolean',
  without_answer_ground: 'text',
  report_back_by: 'date',
  reported_to_source_on: 'date',
  reported_to_source_late: 'boolean',
  co_executed: 'boolean',
} as const satisfies ColumnTypes<AppealFactsRow>;

/** a monthly counter's key columns (what the delete of counters back at 0 sends) */
const COUNTER_KEY_COLUMNS = { month: 'date', key: 'text' } as const satisfies ColumnTypes<MonthlyCounterRow>;
const COUNTER_COLUMNS = {
  ...COUNTER_KEY_COLUMNS,
  n: 'bigint',
} as const satisfies ColumnTypes<MonthlyCounterRow>;

export interface MonthlyCounterRow {
  /** first day of the registration month */
  month: string;
  key: string;
  n: number;
}

export interface StatisticsProjectionOptions {
  /** the administration's time zone: business instants become local dates in it */
  timeZone: string;
}

export class StatisticsProjection implements Projection {
  readonly name = STATISTICS_PROJECTION;
  // 2: answer_due, forwarded, forwarded_late, without_answer_ground (59-FZ art. 8 ч.3, art. 11)
  // 2: repeat_of and duplicate_of (issue 15)
  /** 2: `electronic_route`, `registered_late` (59-FZ art. 4 п.1, art. 8 ч.2) */
  // 2: further control (issue 14)
  // 3: the report to the sending body (report_back_by, reported_to_source_on/_late; issue 14)
  // 3: co_executed (the head's resolution with co-executors, issue 14)
  readonly version = 3;
  /**
   * `appeal_facts` rows are one appeal's each, folded from its own events; `monthly_counters` are
   * sums of every appeal's contributions (each batch adds the difference of the appeals it changed,
   * and a counter that comes back to 0 is deleted), so the order between appeals does not change
   * them: a rebuild may fold each appeal whole.
   */
  readonly foldsPerStream = true;
  /** `handle` reads each event through `groupByAppeal`: its stream, position, type and data only. */
  readonly foldsFromDataAlone = true;
  readonly tables = ['appeal_facts', 'monthly_counters'] as const;

  constructor(private readonly options: StatisticsProjectionOptions) {}

  createTables(schema: string): readonly string[] {
    return [
      `CREATE TABLE ${qualified(schema, 'appeal_facts')} (
        appeal_id text PRIMARY KEY,
        registered_on date NOT NULL,
        form text NOT NULL,
        channel text NOT NULL,
        kind text NOT NULL,
        source_type text NOT NULL,
        electronic_route text,
        registered_late boolean NOT NULL,
        repeat boolean NOT NULL,
        repeat_of text,
        duplicate_of text,
        collective boolean NOT NULL,
        anonymous boolean NOT NULL,
        reception_role text,
        reception_on_site boolean NOT NULL,
        on_site_visit boolean NOT NULL,
        questions jsonb NOT NULL,
        due_date date NOT NULL,
        disposition text,
        disposed_on date,
        late boolean NOT NULL,
        position bigint NOT NULL,
        answer_due boolean NOT NULL,
        forwarded boolean NOT NULL,
        forwarded_late boolean NOT NULL,
        without_answer_ground text,
        further_control boolean NOT NULL DEFAULT false,
        report_back_by date,
        reported_to_source_on date,
        reported_to_source_late boolean NOT NULL DEFAULT false,
        co_executed boolean NOT NULL DEFAULT false
      )`,
      `CREATE TABLE ${qualified(schema, 'monthly_counters')} (
        month date NOT NULL,
        key text NOT NULL,
        n bigint NOT NULL,
        PRIMARY KEY (month, key)
      )`,
    ];
  }

  createIndexes(schema: string): readonly string[] {
    const facts = qualified(schema, 'appeal_facts');
    return [
      // periods that do not start or end on a month boundary read their edge days from the facts
      `CREATE INDEX appeal_facts_registered ON ${facts} (registered_on)`,
      // the part of answeredLate that depends on the report date: appeals still open
      `CREATE INDEX appeal_facts_open ON ${facts} (registered_on, due_date) WHERE disposition IS NULL`,
      // reportBackOverdue: reports still owed to the sending body (issue 14)
      `CREATE INDEX appeal_facts_report_owed ON ${facts} (registered_on, report_back_by) WHERE report_back_by IS NOT NULL AND reported_to_source_on IS NULL`,
    ];
  }

  async handle(
    events: readonly RecordedEvent[],
    tx: SqlExecutor,
    schema: string,
    context?: HandleContext,
  ): Promise<void> {
    const groups = groupByAppeal(events.filter((e) => FACT_EVENT_TYPES.has(e.type)));
    if (groups.size === 0) return;
    const factsTable = qualified(schema, 'appeal_facts');
    const before = await loadRows<AppealFactsRow>(tx, factsTable, 'appeal_id', [...groups.keys()], context);

    const changed: AppealFactsRow[] = [];
    const deltas = new Map<string, MonthlyCounterRow>();
    const apply = (facts: AppealFactsRow, sign: 1 | -1): void => {
      const month = monthStart(facts.registered_on);
      for (const [key, n] of contributions(facts)) {
        const id = `${month}|${key}`;
        const delta = deltas.get(id);
        if (delta) delta.n += sign * n;
        else deltas.set(id, { month, key, n: sign * n });
      }
    };
    for (const [appealId, envelopes] of groups) {
      const old = before.get(appealId);
      let row = old;
      for (const envelope of envelopes) row = evolveFacts(row, envelope, this.options.timeZone);
      if (!row || row === old) continue;
      if (old) apply(old, -1);
      apply(row, 1);
      changed.push(row);
    }

    await upsertRows(tx, factsTable, ['appeal_id'], FACT_COLUMNS, changed, 'update', context);
    const counters = qualified(schema, 'monthly_counters');
    const nonZero = [...deltas.values()].filter((d) => d.n !== 0);
    if (nonZero.length === 0) return;
    const added = arrayColumns(COUNTER_COLUMNS, nonZero);
    await tx.query(
      `INSERT INTO ${counters} (month, key, n) SELECT ${added.select} FROM ${added.from}
       ON CONFLICT (month, key) DO UPDATE SET n = ${counters}.n + EXCLUDED.n`,
      added.values,
    );
    // a counter that came back to 0 goes: the table then holds the sums of the appeals' contributions
    // whatever the batches were (a rebuild in stream order never writes a 0)
    const decreased = nonZero.filter((d) => d.n < 0);
    if (decreased.length > 0) {
      const { from, values } = arrayColumns(COUNTER_KEY_COLUMNS, decreased);
      await tx.query(
        `DELETE FROM ${counters} c USING ${from} WHERE c.month = u.month AND c.key = u.key AND c.n = 0`,
        values,
      );
    }
  }
}
