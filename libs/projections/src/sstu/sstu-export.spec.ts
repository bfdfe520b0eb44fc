import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import {
  answeredWithOriginal,
  extended,
  finalAnswered,
  forwarded,
  QUESTION_CODES,
  registered,
  relatedConfirmed,
  relatedRejected,
  returnedForRework,
  withdrawn,
} from '@appeal-ledger/appeal/testing';
import { QUESTION_RESULTS, type AppealEvent } from '@appeal-ledger/appeal';
import { toAppealEnvelope } from '../shared/appeal-event';
import { EventLog } from '../testing/event-log';
import {
  buildSstuExport,
  inSstuMonth,
  SSTU_STATUSES,
  sstuMonth,
  sstuRecordOf,
  sstuStatusOf,
  type SstuExportConfig,
} from './sstu-export';
import { evolveSstu, joinedTo, sstuStateAt, type SstuAppealRow } from './sstu.evolve';

const TZ = 'Asia/Novokuznetsk';
const OWN = '11111111-2222-3333-4444-555555555555';
const PROSECUTOR = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const config: SstuExportConfig = {
  departmentId: OWN,
  departmentIdOf: (name) => (name === 'Прокуратура района' ? PROSECUTOR : undefined),
};
const PETROV = { name: 'Петров П.П.', address: 'п. Елань, ул. Мира, 1', email: 'petrov@example.ru' };

const schema = JSON.parse(
  readFileSync(join(__dirname, '../../../../docs/schemas/sstu-export.schema.json'), 'utf8'),
) as object;
const validate = addFormats(new Ajv({ allErrors: true, strict: true, strictRequired: false })).compile(
  schema,
);

/** The read-model row the projection keeps for these events of one appeal. */
function rowOf(...events: AppealEvent[]): SstuAppealRow {
  const log = new EventLog();
  let row: SstuAppealRow | undefined;
  for (const recorded of log.append('a', ...events)) {
    const envelope = toAppealEnvelope(recorded);
    if (envelope) row = evolveSstu(row, envelope, TZ);
  }
  if (!row) throw new Error('not registered');
  return row;
}

const exportOf = (month: string, rows: SstuAppealRow[], applicant = PETROV) =>
  buildSstuExport(
    sstuMonth(month),
    rows,
    new Map(rows.map((r) => [r.appeal_id, applicant])),
    config,
    '2019-01-10T03:00:00.000Z',
  );

describe('ССТУ statuses', () => {
  it('maps every result of the engine to the status docs/sstu.md gives it', () => {
    expect(Object.fromEntries(QUESTION_RESULTS.map((r) => [r, sstuStatusOf(r)]))).toEqual({
      in_work: 'InWork',
      explained: 'Explained',
      supported: 'Supported',
      not_supported: 'NotSupported',
      forwarded: 'Transferred',
      answered: 'Answered',
      left_without_answer: 'LeftWithoutAnswer',
    });
    expect(new Set(QUESTION_RESULTS.map(sstuStatusOf))).toEqual(new Set(SSTU_STATUSES));
  });
});

describe('the month', () => {
  it('is YYYY-MM of a real month', () => {
    expect(sstuMonth('2018-12')).toEqual({ month: '2018-12', from: '2018-12-01', to: '2018-12-31' });
    expect(sstuMonth('2020-02').to).toBe('2020-02-29');
    for (const bad of [undefined, '', '2018-13', '2018-00', '2018-1', '18-12', '2018-12-01'])
      expect(() => sstuMonth(bad)).toThrow(expect.objectContaining({ field: 'month' }) as Error);
  });
});

describe('one record', () => {
  it('a direct written appeal answered in the month: every field from the spec', () => {
    const row = rowOf(
      registered({ number: 'П/401', receivedAt: '2018-11-29', registeredAt: '2018-11-30' }),
      extended({ extendedAt: '2018-12-20T10:00:00+07:00' }),
      finalAnswered({
        sentAt: '2018-12-27T23:30:00+07:00',
        results: [
          { questionCode: QUESTION_CODES[0], result: 'supported', measuresTaken: true },
          { questionCode: QUESTION_CODES[1], result: 'explained' },
        ],
      }),
    );
    const file = exportOf('2018-12', [row]);
    expect(validate(file)).toBe(true);
    expect(file.problems).toEqual([]);
    expect(file.appeals).toEqual([
      {
        departmentId: OWN,
        isDirect: true,
        format: 'Other',
        number: 'П/401',
        registrationNumber: 'П/401',
        incomingDate: '2018-11-29',
        registrationDate: '2018-11-30',
        name: 'Петров П.П.',
        address: 'п. Елань, ул. Мира, 1',
        email: 'petrov@example.ru',
        questions: [
          {
            code: QUESTION_CODES[0],
            status: 'Supported',
            incomingDate: '2018-11-29',
            registrationDate: '2018-11-30',
            responseDate: '2018-12-27',
            actionsTaken: true,
          },
          {
            code: QUESTION_CODES[1],
            status: 'Explained',
            incomingDate: '2018-11-29',
            registrationDate: '2018-11-30',
            responseDate: '2018-12-27',
          },
        ],
      },
    ]);
  });

  it('as it stood at the end of the month: extended in December, answered in January', () => {
    const row = rowOf(
      registered({ registeredAt: '2018-11-30', receivedAt: '2018-11-30' }),
      extended({ extendedAt: '2018-12-20T10:00:00+07:00' }),
      finalAnswered({ sentAt: '2019-01-09T10:00:00+07:00' }),
    );
    const nov = exportOf('2018-11', [row]).appeals[0];
    expect(nov.questions.map((q) => [q.status, q.isExtend, q.responseDate])).toEqual([
      ['InWork', false, undefined],
      ['InWork', false, undefined],
    ]);
    const dec = exportOf('2018-12', [row]).appeals[0];
    expect(dec.questions.map((q) => [q.status, q.isExtend])).toEqual([
      ['InWork', true],
      ['InWork', true],
    ]);
    expect(row.months).toEqual(['2018-11-01', '2018-12-01', '2019-01-01']);
  });

  it('forwarded to it by the region, electronic: number and createDate are the covering letter', () => {
    const row = rowOf(
      registered({
        number: 'И/17',
        channel: 'electronic',
        form: 'electronic',
        registeredAt: '2018-12-03',
        receivedAt: '2018-12-03',
        source: {
          type: 'regional_administration',
          name: 'Администрация области',
          reference: '01/2345',
          date: '2018-11-28',
        },
      }),
    );
    const record = exportOf('2018-12', [row]).appeals[0];
    expect(record).toMatchObject({
      isDirect: false,
      format: 'Electronic',
      number: '01/2345',
      createDate: '2018-11-28',
      registrationNumber: 'И/17',
    });
  });

  it('forwarded by competence: Transferred with the receiving body from the directory', () => {
    const row = rowOf(
      registered({ registeredAt: '2018-12-03', receivedAt: '2018-12-03' }),
      forwarded({ to: 'Прокуратура района', sentAt: '2018-12-05T10:00:00+07:00', reference: 'исх-55' }),
    );
    const file = exportOf('2018-12', [row]);
    expect(validate(file)).toBe(true);
    expect(file.appeals[0].questions[0]).toEqual({
      code: QUESTION_CODES[0],
      status: 'Transferred',
      incomingDate: '2018-12-03',
      registrationDate: '2018-12-03',
      transfer: { departmentId: PROSECUTOR, transferDate: '2018-12-05', transferNumber: 'исх-55' },
    });
  });

  it('what cannot be made right goes to problems, never with made-up values', () => {
    const unknownBody = rowOf(
      registered({ number: 'А/1' }),
      forwarded({ to: 'Неизвестный орган', reference: '7' }),
    );
    const noReference = rowOf(registered({ number: 'А/2' }), forwarded({}));
    const region = rowOf(registered({ number: 'А/3', source: { type: 'regional_administration' } }));
    const gone = rowOf(registered({ number: 'А/4' }), withdrawn());
    const byResult = rowOf(
      registered({ number: 'А/5' }),
      finalAnswered({ results: [{ questionCode: QUESTION_CODES[0], result: 'forwarded' }] }),
    );
    const problems = (row: SstuAppealRow, applicant = PETROV as object) =>
      'problems' in sstuRecordOf(row, applicant, '2018-03-31', config)
        ? (sstuRecordOf(row, applicant, '2018-03-31', config) as { problems: string[] }).problems
        : [];
    expect(problems(unknownBody)).toEqual([expect.stringContaining('«Неизвестный орган»')]);
    expect(problems(noReference)).toEqual([expect.stringContaining('исходящий номер')]);
    expect(problems(region)).toHaveLength(2);
    expect(problems(gone)).toEqual([expect.stringContaining('отозвано')]);
    expect(problems(byResult)).toEqual([expect.stringContaining('без указания органа')]);
    const ok = rowOf(registered({ number: 'А/6' }));
    expect(problems(ok, { erased: true })).toEqual([expect.stringContaining('удалены')]);
    expect(problems(ok, {})).toEqual([expect.stringContaining('анонимное')]);
    const file = exportOf('2018-03', [unknownBody, ok]);
    expect(validate(file)).toBe(true);
    expect(file.problems).toEqual([{ registrationNumber: 'А/1', problem: expect.any(String) as unknown }]);
    // an erased applicant's appeal is a problem with its number only
    const erased = buildSstuExport(
      sstuMonth('2018-03'),
      [ok],
      new Map([['a', { erased: true }]]),
      config,
      'x',
    );
    expect(erased.appeals).toEqual([]);
    expect(JSON.stringify(erased)).not.toContain('Петров');
  });

  it('a return for rework puts the questions back in work from its date', () => {
    const row = rowOf(
      registered({ registeredAt: '2018-11-20', receivedAt: '2018-11-20' }),
      finalAnswered({ sentAt: '2018-11-29T10:00:00+07:00' }),
      returnedForRework({ returnedAt: '2018-12-02T10:00:00+07:00' }),
    );
    expect(exportOf('2018-11', [row]).appeals[0].questions.map((q) => q.status)).toEqual([
      'Supported',
      'Explained',
    ]);
    expect(exportOf('2018-12', [row]).appeals[0].questions.map((q) => q.status)).toEqual([
      'InWork',
      'InWork',
    ]);
  });

  it('orders records by registration date and number, and leaves out appeals registered after the month', () => {
    const later = rowOf(registered({ appealId: 'x', number: 'Б/10', registeredAt: '2019-01-02' }));
    const a = { ...rowOf(registered({ number: 'Б/10', registeredAt: '2018-12-03' })), appeal_id: 'a2' };
    const b = { ...rowOf(registered({ number: 'Б/9', registeredAt: '2018-12-03' })), appeal_id: 'a1' };
    const file = exportOf('2018-12', [later, a, b]);
    expect(file.appeals.map((r) => r.registrationNumber)).toEqual(['Б/9', 'Б/10']);
  });
});

describe('the JSON Schema', () => {
  it('refuses records the spec does not allow', () => {
    const row = rowOf(registered({ registeredAt: '2018-12-03', receivedAt: '2018-12-03' }));
    const good = exportOf('2018-12', [row]);
    expect(validate(good)).toBe(true);
    const bad = (mutate: (record: Record<string, unknown>, question: Record<string, unknown>) => void) => {
      const copy = JSON.parse(JSON.stringify(good)) as { appeals: Record<string, unknown>[] };
      mutate(copy.appeals[0], (copy.appeals[0].questions as Record<string, unknown>[])[0]);
      return validate(copy);
    };
    expect(bad((r) => delete r.name)).toBe(false);
    expect(bad((r) => (r.format = 'Paper'))).toBe(false);
    expect(bad((r) => (r.questions = []))).toBe(false);
    expect(bad((_, q) => delete q.isExtend)).toBe(false);
    expect(bad((_, q) => (q.status = 'NotReceived'))).toBe(false);
    expect(bad((_, q) => Object.assign(q, { status: 'Explained' }))).toBe(false); // isExtend, no responseDate
    expect(bad((r) => (r.isDirect = false))).toBe(false); // a forwarded appeal needs createDate
    expect(bad((r) => (r.registrationDate = '03.12.2018'))).toBe(false);
  });
});

describe('a duplicate joined to its original (docs/sstu.md, decision 0008)', () => {
  const REGION = {
    type: 'regional_administration' as const,
    name: 'Администрация области',
    reference: '01/2345',
    date: '2018-11-28',
  };
  /** The original, received directly and answered on 27 December. */
  const original = {
    ...rowOf(
      registered({ number: 'П/401', receivedAt: '2018-11-26', registeredAt: '2018-11-26' }),
      extended({ extendedAt: '2018-12-10T10:00:00+07:00' }),
      finalAnswered({
        sentAt: '2018-12-27T10:00:00+07:00',
        results: [
          { questionCode: QUESTION_CODES[0], result: 'supported', measuresTaken: true },
          { questionCode: QUESTION_CODES[1], result: 'explained' },
        ],
      }),
    ),
    appeal_id: 'o',
  };
  /** The same letter again, via the region: registered on 30 November, joined on 3 December. */
  const copy = (...more: AppealEvent[]) => ({
    ...rowOf(
      registered({ number: 'П/402', receivedAt: '2018-11-30', registeredAt: '2018-11-30', source: REGION }),
      relatedConfirmed({
        relatedAppealId: 'o',
        kind: 'duplicate',
        joined: true,
        decidedAt: '2018-12-03T10:00:00+07:00',
      }),
      ...more,
    ),
    appeal_id: 'd',
  });
  const rows = new Map([['o', original]]);
  const originalOf = (id: string) => rows.get(id);
  const exportWith = (month: string, list: SstuAppealRow[]) =>
    buildSstuExport(
      sstuMonth(month),
      list,
      new Map(list.map((r) => [r.appeal_id, PETROV])),
      config,
      '2019-01-10T03:00:00.000Z',
      originalOf,
    );

  it("is reported on its own record (its source, its number) with the original's results", () => {
    const file = exportWith('2018-12', [original, copy()]);
    expect(validate(file)).toBe(true);
    expect(file.problems).toEqual([]);
    const [own, dup] = file.appeals;
    expect(dup).toMatchObject({
      isDirect: false,
      number: '01/2345',
      createDate: '2018-11-28',
      registrationNumber: 'П/402',
      incomingDate: '2018-11-30',
      registrationDate: '2018-11-30',
    });
    // each question: the original's status, response date and measures; the copy's own dates
    expect(dup.questions).toEqual(
      own.questions.map((q) => ({ ...q, incomingDate: '2018-11-30', registrationDate: '2018-11-30' })),
    );
    expect(dup.questions.map((q) => [q.status, q.responseDate, q.actionsTaken])).toEqual([
      ['Supported', '2018-12-27', true],
      ['Explained', '2018-12-27', undefined],
    ]);
  });

  it('before it was joined it is reported with its own status; while joined, the original decides isExtend', () => {
    const nov = exportWith('2018-11', [copy()]).appeals[0];
    expect(nov.questions.map((q) => [q.status, q.isExtend])).toEqual([
      ['InWork', false],
      ['InWork', false],
    ]);
    // the original was extended on 10 December, before its answer: mid-December the copy is extended too
    const earlyOriginal = { ...original, changes: original.changes.filter((c) => c.on <= '2018-12-15') };
    const file = buildSstuExport(
      sstuMonth('2018-12'),
      [copy()],
      new Map([['d', PETROV]]),
      config,
      'x',
      (id) => (id === 'o' ? earlyOriginal : undefined),
    );
    expect(file.appeals[0].questions.map((q) => [q.status, q.isExtend])).toEqual([
      ['InWork', true],
      ['InWork', true],
    ]);
  });

  it('is in the months its original changed in while joined, and not after the join is undone', () => {
    const joined = copy();
    const rejected = copy(
      relatedRejected({ relatedAppealId: 'o', kind: 'duplicate', decidedAt: '2018-12-05' }),
    );
    const january = { from: '2019-01-01', to: '2019-01-31' };
    const laterOriginal = {
      ...original,
      changes: [...original.changes, { kind: 'returned_for_rework' as const, on: '2019-01-15' }],
      months: [...original.months, '2019-01-01'],
    };
    const lookup = (id: string) => (id === 'o' ? laterOriginal : undefined);
    expect(inSstuMonth(joined, january, lookup)).toBe(true);
    expect(inSstuMonth(rejected, january, lookup)).toBe(false);
    expect(inSstuMonth(joined, january)).toBe(false); // without its original, only its own months
    expect(joinedTo(joined)).toBe('o');
    expect(joinedTo(rejected)).toBeUndefined();
    expect(joinedTo(rejected, '2018-12-04')).toBe('o');
    // after the rejection the copy is reported with its own status again
    expect(exportWith('2018-12', [rejected]).appeals[0].questions.map((q) => q.status)).toEqual([
      'InWork',
      'InWork',
    ]);
  });

  it('confirming the original as the earlier appeal of a repeat undoes the join', () => {
    const repeat = copy(relatedConfirmed({ relatedAppealId: 'o', kind: 'repeat', decidedAt: '2018-12-04' }));
    expect(joinedTo(repeat)).toBeUndefined();
    expect(repeat.changes.map((c) => c.kind)).toEqual(['joined', 'unjoined']);
    // a duplicate confirmed without joining (it had an answer of its own) keeps its own results
    const own = {
      ...rowOf(
        registered({ number: 'П/403', registeredAt: '2018-12-01', receivedAt: '2018-12-01' }),
        relatedConfirmed({ relatedAppealId: 'o', kind: 'duplicate', decidedAt: '2018-12-04' }),
      ),
      appeal_id: 'e',
    };
    expect(own.changes).toEqual([]);
    expect(own.originals).toEqual([]);
  });

  it('answered with its original: a joined one keeps its join, one not joined takes the outcome itself', () => {
    const answered = answeredWithOriginal({
      originalAppealId: 'o',
      closedAt: '2018-12-28T10:00:00+07:00',
      recordedAt: '2018-12-28T10:00:05+07:00',
    });
    // joined: reported with the original's results, as before the event
    const joined = copy(answered);
    expect(joined.changes.map((c) => c.kind)).toEqual(['joined']);
    expect(joinedTo(joined)).toBe('o');
    // not joined (an anonymous one, off control): its questions in work are answered, as in the machine
    const anonymous = {
      ...rowOf(
        registered({ number: 'А/406', registeredAt: '2018-12-01', receivedAt: '2018-12-01', applicants: [] }),
        relatedConfirmed({ relatedAppealId: 'o', kind: 'duplicate', decidedAt: '2018-12-04' }),
        answered,
      ),
      appeal_id: 'h',
    };
    expect(anonymous.changes).toEqual([
      { kind: 'answered_with_original', on: '2018-12-28', result: 'answered' },
    ]);
    expect(sstuStateAt(anonymous, '2018-12-27').questions.map((q) => q.result)).toEqual([
      'in_work',
      'in_work',
    ]);
    expect(sstuStateAt(anonymous, '2018-12-31').questions.map((q) => [q.result, q.resultOn])).toEqual([
      ['answered', '2018-12-28'],
      ['answered', '2018-12-28'],
    ]);
    // a withdrawn original answers no question
    const afterWithdrawal = rowOf(
      registered({ applicants: [] }),
      relatedConfirmed({ relatedAppealId: 'o', kind: 'duplicate', decidedAt: '2018-12-04' }),
      answeredWithOriginal({ originalAppealId: 'o', outcome: 'withdrawn' }),
    );
    expect(afterWithdrawal.changes).toEqual([]);
  });

  it('a question the original does not have is a problem for a clerk, not a made-up status', () => {
    const odd = {
      ...rowOf(
        registered({
          number: 'П/404',
          registeredAt: '2018-12-01',
          receivedAt: '2018-12-01',
          questions: [{ code: '0005.0005.0055.1124' }],
        }),
        relatedConfirmed({ relatedAppealId: 'o', kind: 'duplicate', joined: true, decidedAt: '2018-12-03' }),
      ),
      appeal_id: 'f',
    };
    const file = exportWith('2018-12', [odd]);
    expect(file.appeals).toEqual([]);
    expect(file.problems).toEqual([
      { registrationNumber: 'П/404', problem: expect.stringContaining('№ П/401') as unknown },
    ]);
    const missing = buildSstuExport(sstuMonth('2018-12'), [copy()], new Map([['d', PETROV]]), config, 'x');
    expect(missing.problems).toEqual([
      { registrationNumber: 'П/402', problem: expect.stringContaining('нет в данных ССТУ') as unknown },
    ]);
  });

  it('a duplicate of a duplicate is reported with the first original', () => {
    const second = {
      ...rowOf(
        registered({ number: 'П/405', registeredAt: '2018-12-04', receivedAt: '2018-12-04', source: REGION }),
        relatedConfirmed({ relatedAppealId: 'd', kind: 'duplicate', joined: true, decidedAt: '2018-12-05' }),
      ),
      appeal_id: 'g',
    };
    const chain = new Map<string, SstuAppealRow>([
      ['o', original],
      ['d', copy()],
    ]);
    const file = buildSstuExport(
      sstuMonth('2018-12'),
      [second],
      new Map([['g', PETROV]]),
      config,
      'x',
      (id) => chain.get(id),
    );
    expect(file.appeals[0].questions.map((q) => [q.status, q.responseDate])).toEqual([
      ['Supported', '2018-12-27'],
      ['Explained', '2018-12-27'],
    ]);
  });
});
