import { InvalidReportQueryError } from '@appeal-ledger/projections';
import { ok } from '../shared/outcome';
import { forbidden, invalid, notFound, readModelQuery } from '../shared/read-refusal';
import { Problem } from './problem';
import { answer, refusalProblem, type ServiceRefusal } from './refusal-problem';

const TYPE = 'https://appeal-ledger.dev/problems/';

describe('refusalProblem: a service refusal becomes the problem+json it always was', () => {
  it.each<[string, ServiceRefusal, Record<string, unknown>]>([
    [
      'not found → 404',
      notFound('appeal 1 not found'),
      { type: `${TYPE}not-found`, title: 'Not found', status: 404, detail: 'appeal 1 not found' },
    ],
    [
      'forbidden → 403',
      forbidden('you may not read reminders'),
      { type: `${TYPE}forbidden`, title: 'Not allowed', status: 403, detail: 'you may not read reminders' },
    ],
    [
      'invalid → 400 naming the field',
      invalid('cursor', 'is not a cursor of this list'),
      {
        type: `${TYPE}validation`,
        title: 'Invalid request',
        status: 400,
        detail: 'cursor: is not a cursor of this list',
        errors: [{ field: 'cursor', message: 'is not a cursor of this list' }],
      },
    ],
    [
      'ССТУ export not configured → 409',
      { ok: false, reason: 'sstu_not_configured', message: 'set SSTU_DEPARTMENT_ID' },
      {
        type: `${TYPE}sstu-not-configured`,
        title: 'The ССТУ.РФ export is not configured',
        status: 409,
        detail: 'set SSTU_DEPARTMENT_ID',
      },
    ],
    [
      'unknown projection → 404',
      { ok: false, reason: 'unknown_projection', message: 'unknown projection "x"; known: control' },
      {
        type: `${TYPE}not-found`,
        title: 'Not found',
        status: 404,
        detail: 'unknown projection "x"; known: control',
      },
    ],
    [
      'rebuild in progress → 409',
      { ok: false, reason: 'rebuild_in_progress', message: 'control is being rebuilt' },
      {
        type: `${TYPE}rebuild-in-progress`,
        title: 'A rebuild is in progress',
        status: 409,
        detail: 'control is being rebuilt',
      },
    ],
    [
      'database unavailable → 503',
      { ok: false, reason: 'unavailable', message: 'connection refused' },
      {
        type: `${TYPE}unavailable`,
        title: 'The database is unavailable',
        status: 503,
        detail: 'connection refused',
      },
    ],
    [
      'an act dated after today → 400 on date',
      { ok: false, reason: 'act_after_today', today: '2026-12-03' },
      {
        type: `${TYPE}validation`,
        title: 'Invalid request',
        status: 400,
        detail: 'date: the act cannot be dated after today (2026-12-03)',
        errors: [{ field: 'date', message: 'the act cannot be dated after today (2026-12-03)' }],
      },
    ],
    [
      'an act refused for some appeals → 422 listing them',
      {
        ok: false,
        reason: 'retention_refused',
        appeals: 3,
        refusals: [
          { appealId: 'a', reason: 'not_due', detail: 'closed on 2025-01-01' },
          { appealId: 'b', reason: 'unknown', detail: 'no such appeal' },
        ],
      },
      {
        type: `${TYPE}retention-refused`,
        title: 'The act cannot erase these appeals',
        status: 422,
        detail: '2 of 3 appeal(s) cannot be erased by this act: a (not_due), b (unknown)',
        refusals: [
          { appealId: 'a', reason: 'not_due', detail: 'closed on 2025-01-01' },
          { appealId: 'b', reason: 'unknown', detail: 'no such appeal' },
        ],
      },
    ],
  ])('%s', (_, refusal, body) => {
    expect(refusalProblem(refusal).body()).toEqual(body);
  });

  it('answer() gives the value, or throws the refusal as a Problem', () => {
    expect(answer(ok(42))).toBe(42);
    let thrown: unknown;
    try {
      answer(forbidden('no'));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Problem);
    expect((thrown as Problem).body()).toMatchObject({ status: 403, detail: 'no' });
  });
});

describe('readModelQuery', () => {
  it("turns the projections library's query error into an invalid refusal naming the field", async () => {
    await expect(
      readModelQuery(() => {
        throw new InvalidReportQueryError('must be a month YYYY-MM (e.g. 2018-12)', 'month');
      }),
    ).resolves.toEqual({
      ok: false,
      reason: 'invalid',
      errors: [{ field: 'month', message: 'must be a month YYYY-MM (e.g. 2018-12)' }],
    });
  });

  it('passes the value on, and any other error', async () => {
    await expect(readModelQuery(() => Promise.resolve('rows'))).resolves.toEqual(ok('rows'));
    await expect(readModelQuery(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });
});
