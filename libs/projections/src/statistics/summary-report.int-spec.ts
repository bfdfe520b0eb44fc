import type { AppealRegistered } from '@appeal-ledger/appeal';
import {
  assigned,
  finalAnswered,
  forwarded,
  registered,
  answeredWithOriginal,
  relatedConfirmed,
  relatedRejected,
  removedFromControl,
  returnedForRework,
  withdrawn,
} from '@appeal-ledger/appeal/testing';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { liveSchema } from '../projection.port';
import { addDays } from '../shared/business-date';
import { EventLog } from '../testing/event-log';
import { applyEvents, createReadModel, dumpTables } from '../testing/projection-harness';
import { DEFAULT_REPORT_CATEGORIES } from './report-categories';
import { contributions, type AppealFactsRow } from './statistics.evolve';
import { StatisticsProjection } from './statistics.projection';
import { OPEN_PAST_DUE, summaryFromCounts, SummaryReports } from './summary-report.query';

const TZ = 'Asia/Novokuznetsk';

/** An appeal registered on `on` with a 30-day term (no day-off adjustment needed by these tests). */
function reg(id: string, on: string, data: Partial<AppealRegistered['data']>): AppealRegistered {
  const due = addDays(on, 30);
  return registered({
    appealId: id,
    number: id,
    registeredAt: on,
    receivedAt: on,
    nominalDueDate: due,
    dueDate: due,
    ...data,
  });
}
const q = (...codes: string[]): { code: string }[] => codes.map((code) => ({ code }));
const at = (date: string): string => `${date}T10:00:00+07:00`;

/**
 * 2017: p1 written/direct, 2 questions, answered on time; p2 electronic/regional, repeat, answered
 * late; p3 personal reception by the head, still open past its due date.
 * 2018: c1 anonymous, answered; c2 collective from the Presidential Administration, reworked then
 * answered late; c3 by phone, forwarded; c4 at reception by a deputy on site; c5 at reception by the
 * head, answered after an on-site visit; c6 still open, due after the report date; c7 withdrawn.
 */
function dataset(): EventLog {
  const log = new EventLog();
  log.append(
    'p1',
    reg('p1', '2017-03-10', { questions: q('0005.0005.0056.1149', '0002.0007.0001') }),
    assigned(),
    finalAnswered({
      sentAt: at('2017-03-20'),
      dueDate: '2017-04-09',
      results: [
        { questionCode: '0005.0005.0056.1149', result: 'supported', measuresTaken: true },
        { questionCode: '0002.0007.0001', result: 'explained' },
      ],
    }),
  );
  log.append(
    'p2',
    reg('p2', '2017-06-01', {
      channel: 'electronic',
      form: 'electronic',
      source: { type: 'regional_administration' },
      repeatOf: 'p0',
      questions: q('0003.0009.0099.0742'),
    }),
    assigned(),
    finalAnswered({
      sentAt: at('2017-07-10'),
      late: true,
      dueDate: '2017-07-01',
      results: [{ questionCode: '0003.0009.0099.0742', result: 'explained' }],
    }),
  );
  log.append(
    'p3',
    reg('p3', '2017-12-31', {
      channel: 'personal_reception',
      form: 'oral',
      reception: { officialRole: 'head', onSite: false },
      questions: q('0005.0005.0055.1122'),
    }),
  );
  log.append(
    'c1',
    reg('c1', '2018-02-01', { anonymous: true, questions: q('0005.0005.0056.1160') }),
    assigned(),
    finalAnswered({
      sentAt: at('2018-02-10'),
      dueDate: '2018-03-03',
      results: [{ questionCode: '0005.0005.0056.1160', result: 'explained' }],
    }),
  );
  log.append(
    'c2',
    reg('c2', '2018-03-05', {
      source: { type: 'presidential_administration' },
      collective: true,
      questions: q('0005.0005.0056.1149', '0005.0005.0055.1122'),
    }),
    assigned(),
    finalAnswered({
      sentAt: at('2018-03-20'),
      dueDate: '2018-04-04',
      results: [{ questionCode: '0005.0005.0056.1149', result: 'explained' }],
    }),
    returnedForRework({ returnedAt: at('2018-03-21') }),
    finalAnswered({
      sentAt: at('2018-04-06'),
      late: true,
      dueDate: '2018-04-04',
      results: [
        { questionCode: '0005.0005.0056.1149', result: 'supported' },
        { questionCode: '0005.0005.0055.1122', result: 'not_supported' },
      ],
    }),
  );
  log.append(
    'c3',
    reg('c3', '2018-05-14', { channel: 'phone', form: 'oral', questions: q('0003.0009.0097.0689') }),
    forwarded({ sentAt: at('2018-05-15') }),
  );
  log.append(
    'c4',
    reg('c4', '2018-07-02', {
      channel: 'personal_reception',
      form: 'oral',
      reception: { officialRole: 'deputy', onSite: true },
      questions: q('0002.0007.0001', '0001.0002.0027.0001'),
    }),
    assigned(),
    finalAnswered({
      sentAt: at('2018-07-20'),
      dueDate: '2018-08-01',
      results: [
        { questionCode: '0002.0007.0001', result: 'answered' },
        { questionCode: '0001.0002.0027.0001', result: 'left_without_answer' },
      ],
    }),
  );
  log.append(
    'c5',
    reg('c5', '2018-09-03', {
      channel: 'personal_reception',
      form: 'oral',
      reception: { officialRole: 'head', onSite: false },
      questions: q('0004.0016.0001'),
    }),
    assigned(),
    finalAnswered({
      sentAt: at('2018-09-20'),
      dueDate: '2018-10-03',
      onSiteVisit: true,
      results: [{ questionCode: '0004.0016.0001', result: 'supported', measuresTaken: true }],
    }),
  );
  log.append(
    'c6',
    reg('c6', '2018-12-20', {
      channel: 'electronic',
      form: 'electronic',
      source: { type: 'other_body' },
      questions: q('0003.0008.0001'),
    }),
  );
  log.append(
    'c7',
    reg('c7', '2018-01-05', { questions: q('0002.0004.0001') }),
    withdrawn({ withdrawnAt: at('2018-01-09') }),
  );
  return log;
}

describe('statistics read model and the summary reports (PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  const projection = new StatisticsProjection({ timeZone: TZ });
  const reports = (): SummaryReports => new SummaryReports(pool, { categories: DEFAULT_REPORT_CATEGORIES });

  beforeAll(async () => {
    db = await createTestDatabase('statistics');
    pool = new Pool({ connectionString: db.url, max: 4 });
    await createReadModel(pool, projection);
    await applyEvents(pool, projection, dataset().events, { batchSize: 4 });
  });

  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('annual 2018 against 2017, every figure as computed by hand', async () => {
    const report = await reports().annual(2018, { asOf: '2019-01-15' });
    const c = (current: number, previous: number, changePercent: number | null) => ({
      current,
      previous,
      change: current - previous,
      changePercent,
    });
    expect(report.period).toEqual({ from: '2018-01-01', to: '2018-12-31' });
    expect(report.comparedTo).toEqual({ from: '2017-01-01', to: '2017-12-31' });
    expect(report.appeals).toEqual({
      total: c(7, 3, 133.3),
      byForm: { written: c(3, 1, 200), electronic: c(1, 1, 0), oral: c(3, 1, 200) },
      byChannel: {
        written: c(3, 1, 200),
        electronic: c(1, 1, 0),
        personal_reception: c(2, 1, 100),
        phone: c(1, 0, null),
      },
      bySource: {
        direct: c(5, 2, 150),
        presidential_administration: c(1, 0, null),
        regional_administration: c(0, 1, -100),
        other_body: c(1, 0, null),
      },
      byKind: { proposal: c(0, 0, null), application: c(0, 0, null), complaint: c(7, 3, 133.3) },
      repeat: c(0, 1, -100),
      collective: c(1, 0, null),
      anonymous: c(1, 0, null),
      // 2018: c2 answered late; 2017: p2 answered late, p3 still without an answer after its due date
      answeredLate: c(1, 2, -50),
      // the 2018 forwarding predates per-question forwarding: counted, not judged late
      forwarded: { total: c(1, 0, null), late: c(0, 0, null) },
      leftWithoutAnswer: {
        total: c(0, 0, null),
        byGround: {
          anonymous: c(0, 0, null),
          obscene: c(0, 0, null),
          unreadable: c(0, 0, null),
          unclear_essence: c(0, 0, null),
          state_secret: c(0, 0, null),
          answer_published: c(0, 0, null),
          court_decision: c(0, 0, null),
          correspondence_terminated: c(0, 0, null),
        },
      },
      // no further control in the seed: the new figure is zero and nothing else moves
      onFurtherControl: c(0, 0, null),
      // no appeal here was sent with a request for its result: nothing counted (issue 14)
      reportedToSource: { total: c(0, 0, null), late: c(0, 0, null) },
      reportBackOverdue: c(0, 0, null),
      coExecuted: c(0, 0, null),
      // the seed registers within three days and records no electronic route
      registeredLate: c(0, 0, null),
      byElectronicRoute: {
        epgu: c(0, 0, null),
        official_site: c(0, 0, null),
        information_system: c(0, 0, null),
        email: c(0, 0, null),
      },
    });
    expect(report.questions).toEqual({
      total: c(9, 4, 125),
      bySection: {
        '0001': c(1, 0, null),
        '0002': c(2, 1, 100),
        '0003': c(2, 1, 100),
        '0004': c(1, 0, null),
        '0005': c(3, 2, 50),
      },
      byCategory: {
        'Коммунальное хозяйство': c(2, 1, 100),
        'Жилищные вопросы': c(1, 1, 0),
        'Социальная сфера': c(2, 1, 100),
        'Благоустройство и градостроительство': c(1, 0, null),
        'Транспорт и дороги': c(0, 1, -100),
        'Иная хозяйственная деятельность (земля, торговля и др.)': c(0, 0, null),
        'Экономика (иное)': c(1, 0, null),
        'Государство, общество, политика': c(1, 0, null),
        'Оборона, безопасность, законность': c(1, 0, null),
      },
      byResult: {
        supported: c(2, 1, 100),
        explained: c(1, 2, -50),
        not_supported: c(1, 0, null),
        forwarded: c(1, 0, null),
        answered: c(1, 0, null),
        left_without_answer: c(1, 0, null),
        in_work: c(2, 1, 100),
      },
      measuresTaken: c(1, 1, 0),
    });
    expect(report.personalReception.byOfficialRole).toEqual({
      head: { questions: c(1, 1, 0), onSite: c(1, 0, null) },
      deputy: { questions: c(2, 0, null), onSite: c(2, 0, null) },
      department_head: { questions: c(0, 0, null), onSite: c(0, 0, null) },
      specialist: { questions: c(0, 0, null), onSite: c(0, 0, null) },
    });
  });

  it('answeredLate counts open appeals once their due date has passed at the report date', async () => {
    // c6 is due 2019-01-19: open past due only when the report is made after that
    expect((await reports().annual(2018, { asOf: '2019-01-19' })).appeals.answeredLate.current).toBe(1);
    expect((await reports().annual(2018, { asOf: '2019-01-20' })).appeals.answeredLate.current).toBe(2);
  });

  it('quarterly and monthly use the same period a year earlier; compareTo names another year', async () => {
    const q4 = await reports().quarterly(2018, 4, { asOf: '2019-01-15' });
    expect(q4.period).toEqual({ from: '2018-10-01', to: '2018-12-31' });
    expect(q4.appeals.total).toEqual({ current: 1, previous: 1, change: 0, changePercent: 0 });
    const january = await reports().monthly(2018, 1, { asOf: '2019-01-15' });
    expect(january.appeals.total).toEqual({ current: 1, previous: 0, change: 1, changePercent: null });
    const against2018 = await reports().annual(2017, { asOf: '2019-01-15', compareTo: 2018 });
    expect(against2018.appeals.total).toEqual({ current: 3, previous: 7, change: -4, changePercent: -57.1 });
  });

  it('any period gives what the facts give (whole months from counters, edge days from facts)', async () => {
    const facts = (
      await pool.query<{ row: AppealFactsRow }>(
        `SELECT row_to_json(f) AS row FROM ${liveSchema('statistics')}.appeal_facts f`,
      )
    ).rows.map((r) => r.row);
    const asOf = '2019-01-15';
    const bruteForce = (from: string, to: string): Map<string, number> => {
      const counts = new Map<string, number>();
      for (const f of facts.filter((f) => f.registered_on >= from && f.registered_on <= to)) {
        contributions(f).forEach((n, key) => counts.set(key, (counts.get(key) ?? 0) + n));
        if (f.disposition === null && f.due_date < asOf)
          counts.set(OPEN_PAST_DUE, (counts.get(OPEN_PAST_DUE) ?? 0) + 1);
      }
      return counts;
    };
    const periods: [string, string][] = [
      ['2017-03-10', '2018-12-20'],
      ['2017-03-11', '2018-12-19'],
      ['2018-01-05', '2018-01-05'],
      ['2017-12-31', '2018-02-01'],
      ['2018-02-02', '2018-05-13'],
    ];
    for (const [from, to] of periods) {
      const period = { from, to };
      const comparedTo = { from: '2017-01-01', to: '2017-06-30' };
      const fast = await reports().summary(period, comparedTo, { asOf });
      const expected = summaryFromCounts(
        { period, comparedTo, asOf, categories: DEFAULT_REPORT_CATEGORIES },
        bruteForce(from, to),
        bruteForce(comparedTo.from, comparedTo.to),
      );
      expect(fast).toEqual(expected);
    }
  });

  it('counters do not depend on how events were batched', async () => {
    const other = 'rm_statistics_one_by_one';
    await createReadModel(pool, projection, other);
    await applyEvents(pool, projection, dataset().events, { batchSize: 1, schema: other });
    const tables = ['appeal_facts', 'monthly_counters'];
    const strip = (dump: Record<string, unknown[]>) => ({
      ...dump,
      monthly_counters: dump.monthly_counters?.filter((r) => (r as { n: number }).n !== 0),
    });
    expect(strip(await dumpTables(pool, other, tables))).toEqual(
      strip(await dumpTables(pool, liveSchema('statistics'), tables)),
    );
  });

  it('rejects impossible periods', async () => {
    await expect(reports().quarterly(2018, 5, { asOf: '2019-01-15' })).rejects.toThrow(/quarter/);
    await expect(reports().monthly(2018, 0, { asOf: '2019-01-15' })).rejects.toThrow(/month/);
    await expect(reports().annual(18, { asOf: '2019-01-15' })).rejects.toThrow(/year/);
  });
});

describe('annual summary at district scale (PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  const projection = new StatisticsProjection({ timeZone: TZ });

  beforeAll(async () => {
    db = await createTestDatabase('statistics_district');
    pool = new Pool({ connectionString: db.url, max: 2 });
    await createReadModel(pool, projection);
    // the district of docs/domain.md (“Who uses the engine”): 2,077 appeals in 2017, 1,270 holding 1,408 questions in 2018
    const log = new EventLog();
    for (let i = 0; i < 2077; i++) {
      const on = addDays('2017-01-01', i % 365);
      log.append(`a17-${i}`, reg(`a17-${i}`, on, { questions: q('0005.0005.0056.1149') }));
    }
    for (let i = 0; i < 1270; i++) {
      const on = addDays('2018-01-01', i % 365);
      const codes = i < 138 ? q('0005.0005.0056.1149', '0002.0007.0001') : q('0005.0005.0056.1149');
      log.append(`a18-${i}`, reg(`a18-${i}`, on, { questions: codes }));
    }
    await applyEvents(pool, projection, log.events, { batchSize: 1000 });
  });

  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('1,270 appeals against 2,077: −807, −38.9 %; 1,408 questions against 2,077: −32.2 %', async () => {
    const report = await new SummaryReports(pool).annual(2018, { asOf: '2017-01-01' });
    expect(report.appeals.total).toEqual({
      current: 1270,
      previous: 2077,
      change: -807,
      changePercent: -38.9,
    });
    expect(report.questions.total).toEqual({
      current: 1408,
      previous: 2077,
      change: -669,
      changePercent: -32.2,
    });
    expect(report.questions.byCategory['Социальная сфера']).toEqual({
      current: 138,
      previous: 0,
      change: 138,
      changePercent: null,
    });
  });
});

/**
 * Issue 15, as the seed district counts them: a copy of an open appeal that came again via the region
 * is a duplicate (not an appeal, not a repeat); an appeal after the answer is a repeat (one appeal);
 * a rejected proposal changes nothing.
 */
describe('repeats and duplicates in the summary (PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  const projection = new StatisticsProjection({ timeZone: TZ });

  beforeAll(async () => {
    db = await createTestDatabase('statistics_repeats');
    pool = new Pool({ connectionString: db.url, max: 2 });
  });

  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  function base(): EventLog {
    const log = new EventLog();
    log.append(
      'o1',
      reg('o1', '2018-11-01', { questions: q('0005.0005.0056.1149') }),
      assigned(),
      finalAnswered({
        sentAt: at('2018-11-20'),
        dueDate: '2018-12-01',
        results: [{ questionCode: '0005.0005.0056.1149', result: 'explained' }],
      }),
    );
    log.append(
      'd1',
      reg('d1', '2018-11-10', {
        source: { type: 'regional_administration' },
        questions: q('0005.0005.0056.1149'),
      }),
    );
    log.append('r1', reg('r1', '2018-12-05', { questions: q('0005.0005.0056.1149') }));
    log.append('x1', reg('x1', '2018-12-06', { questions: q('0003.0009.0097.0650') }));
    return log;
  }

  it('counts a duplicate apart and a repeat once; events without relations count as before', async () => {
    const without = base();
    await createReadModel(pool, projection, 'stat_plain');
    await applyEvents(pool, projection, without.events, { schema: 'stat_plain' });

    const decided = base();
    decided.append(
      'd1',
      relatedConfirmed({ relatedAppealId: 'o1', kind: 'duplicate', decidedAt: at('2018-11-10') }),
    );
    decided.append(
      'r1',
      relatedConfirmed({ relatedAppealId: 'o1', kind: 'repeat', decidedAt: at('2018-12-05') }),
    );
    decided.append(
      'x1',
      relatedRejected({ relatedAppealId: 'o1', kind: 'repeat', decidedAt: at('2018-12-06') }),
    );
    await createReadModel(pool, projection, 'stat_decided');
    await applyEvents(pool, projection, decided.events, { schema: 'stat_decided', batchSize: 2 });

    const counts = async (schema: string): Promise<Record<string, number>> => {
      const r = await pool.query<{ key: string; n: string }>(
        `SELECT key, sum(n)::text AS n FROM ${schema}.monthly_counters GROUP BY key`,
      );
      return Object.fromEntries(r.rows.filter((row) => row.n !== '0').map((row) => [row.key, Number(row.n)]));
    };
    const plain = await counts('stat_plain');
    expect([plain.appeals, plain.repeat, plain.duplicates, plain.questions]).toEqual([
      4,
      undefined,
      undefined,
      4,
    ]);
    const after = await counts('stat_decided');
    expect([after.appeals, after.repeat, after.duplicates, after.questions]).toEqual([3, 1, 1, 3]);
    expect(after['source:regional_administration']).toBeUndefined();

    // the same through the report: the live schema holds the decided events
    await createReadModel(pool, projection);
    await applyEvents(pool, projection, decided.events);
    const report = await new SummaryReports(pool, { categories: DEFAULT_REPORT_CATEGORIES }).annual(2018, {
      asOf: '2019-01-15',
    });
    expect(report.appeals.total.current).toBe(3);
    expect(report.appeals.repeat.current).toBe(1);
    expect(report.duplicates.current).toBe(1);
    expect(report.questions.total.current).toBe(3);
    // the duplicate's own term (open, past due by the report date) is not counted late
    expect(report.appeals.answeredLate.current).toBe(2); // r1 and x1, open past their due dates
  });

  it('a seeded year: originals, their duplicates answered with them, repeats — each counted in its place', async () => {
    // 2018, one original a month (o01–o12), answered in 20 days and removed from control; every odd
    // month a copy of it via the region two days later, joined and answered with it; every third month a
    // repeat after the answer; in December also a copy never confirmed (counted as an appeal).
    const log = new EventLog();
    let duplicates = 0;
    let repeats = 0;
    for (let m = 1; m <= 12; m++) {
      const month = String(m).padStart(2, '0');
      const o = `o${month}`;
      const on = `2018-${month}-02`;
      log.append(
        o,
        reg(o, on, { questions: q('0005.0005.0056.1149') }),
        assigned(),
        finalAnswered({
          sentAt: at(addDays(on, 20)),
          dueDate: addDays(on, 30),
          results: [{ questionCode: '0005.0005.0056.1149', result: 'explained' }],
        }),
        removedFromControl({ closedAt: at(addDays(on, 21)) }),
      );
      if (m % 2 === 1) {
        const d = `d${month}`;
        log.append(
          d,
          reg(d, addDays(on, 2), {
            source: { type: 'regional_administration' },
            questions: q('0005.0005.0056.1149'),
          }),
          relatedConfirmed({
            relatedAppealId: o,
            kind: 'duplicate',
            decidedAt: at(addDays(on, 2)),
            joined: true,
          }),
          answeredWithOriginal({
            originalAppealId: o,
            originalNumber: o,
            closedAt: at(addDays(on, 21)),
            answer: { sentAt: at(addDays(on, 20)) },
            recordedAt: at(addDays(on, 21)),
          }),
        );
        duplicates += 1;
      }
      if (m % 3 === 0) {
        const r = `r${month}`;
        log.append(
          r,
          reg(r, addDays(on, 25), { questions: q('0005.0005.0056.1149') }),
          relatedConfirmed({ relatedAppealId: o, kind: 'repeat', decidedAt: at(addDays(on, 25)) }),
        );
        repeats += 1;
      }
    }
    log.append('u12', reg('u12', '2018-12-04', { questions: q('0005.0005.0056.1149') }));
    // the live schema holds the other test's events: start it afresh
    await pool.query(`DROP SCHEMA IF EXISTS ${liveSchema(projection.name)} CASCADE`);
    await createReadModel(pool, projection);
    await applyEvents(pool, projection, log.events, { batchSize: 7 });
    const report = await new SummaryReports(pool, { categories: DEFAULT_REPORT_CATEGORIES }).annual(2018, {
      asOf: '2019-01-15',
    });
    expect([duplicates, repeats]).toEqual([6, 4]);
    // 12 originals + 4 repeats + the unconfirmed copy; the 6 duplicates only under «дубликаты»
    expect(report.appeals.total.current).toBe(12 + 4 + 1);
    expect(report.appeals.repeat.current).toBe(4);
    expect(report.duplicates.current).toBe(6);
    expect(report.questions.total.current).toBe(17);
    expect(report.appeals.bySource.regional_administration.current).toBe(0);
    // open past their terms at the report date: r03, r06, r09 and u12 (r12 is due 2019-01-26); the
    // duplicates, answered with their originals, never are
    expect(report.appeals.answeredLate.current).toBe(4);
  });
});
