import { DatabaseError } from 'pg';
import { classifyFailure, shortErrorMessage } from './event-failure';

/** An error as the pg client builds it from PostgreSQL's ErrorResponse. */
function pgError(code: string, message: string, extra: Partial<DatabaseError> = {}): DatabaseError {
  const error = new DatabaseError(message, 0, 'error');
  error.code = code;
  Object.assign(error, extra);
  return error;
}

describe('classifyFailure', () => {
  it.each([
    ['22008', 'date/time field value out of range: "2026-02-30"'],
    ['22007', 'invalid input syntax for type date: "50-03-05"'],
    ['22P05', 'unsupported Unicode escape sequence'],
    ['23502', 'null value in column "number" of relation "appeals" violates not-null constraint'],
    ['23505', 'duplicate key value violates unique constraint "reminders_reminder_id"'],
    ['54000', 'index row size 3456 exceeds btree version 4 maximum 2704'],
  ])('SQLSTATE %s is the event’s fault: data', (code, message) => {
    expect(classifyFailure(pgError(code, message))).toBe('data');
  });

  it.each([
    ['08006', 'connection failure'],
    ['40001', 'could not serialize access due to concurrent update'],
    ['40P01', 'deadlock detected'],
    ['53300', 'sorry, too many clients already'],
    ['55P03', 'could not obtain lock on row'],
    ['57P01', 'terminating connection due to administrator command'],
    ['57014', 'canceling statement due to statement timeout'],
    ['XX000', 'internal error'],
  ])('SQLSTATE %s is the database’s: transient', (code, message) => {
    expect(classifyFailure(pgError(code, message))).toBe('transient');
  });

  it('other SQLSTATEs (the projection’s SQL is wrong for every event) are faults, never quarantined', () => {
    expect(classifyFailure(pgError('42703', 'column "nope" does not exist'))).toBe('fault');
    expect(classifyFailure(pgError('42P01', 'relation "rm_x.y" does not exist'))).toBe('fault');
  });

  it('socket errors and the pg client’s own connection errors are transient', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), {
      code: 'ECONNRESET',
      errno: -104,
      syscall: 'read',
    });
    expect(classifyFailure(reset)).toBe('transient');
    expect(classifyFailure(new Error('Connection terminated unexpectedly'))).toBe('transient');
    expect(classifyFailure(new Error('Client has encountered a connection error and is not queryable'))).toBe(
      'transient',
    );
    expect(classifyFailure(new AggregateError([new Error('connect ECONNREFUSED')]))).toBe('transient');
  });

  it('exceptions of the projection’s own code (malformed or unknown-schema events) are data', () => {
    expect(classifyFailure(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe('data');
    expect(classifyFailure(new RangeError('Invalid time value'))).toBe('data');
    expect(classifyFailure(new Error('appeal 42: no resolution in force'))).toBe('data');
    // a TypeError mentioning a socket is still the code's, not the network's
    expect(classifyFailure(new TypeError('socket is undefined'))).toBe('data');
  });
});

describe('shortErrorMessage', () => {
  it('keeps SQLSTATE and primary message, masks quoted values, drops detail, context and statement', () => {
    const error = pgError('22008', 'date/time field value out of range: "2026-02-30"', {
      detail: 'secret detail',
      where: 'JSON data, line 1: [{"applicant":"Иванов"',
      internalQuery: 'SELECT …',
      hint: 'Perhaps you need a different "datestyle" setting.',
    });
    const message = shortErrorMessage(error);
    expect(message).toBe('SQLSTATE 22008: date/time field value out of range: "…"');
  });

  it('keeps quoted identifiers (columns, constraints), which say where it failed', () => {
    expect(
      shortErrorMessage(
        pgError('23502', 'null value in column "number" of relation "appeals" violates not-null constraint'),
      ),
    ).toBe(
      'SQLSTATE 23502: null value in column "number" of relation "appeals" violates not-null constraint',
    );
  });

  it('names exceptions, stays on one line and short', () => {
    expect(shortErrorMessage(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(
      "TypeError: Cannot read properties of undefined (reading 'id')",
    );
    const long = shortErrorMessage(new Error(`line one\nline two ${'x'.repeat(1000)}`));
    expect(long).not.toMatch(/\n/);
    expect(long.length).toBeLessThanOrEqual(300);
    expect(shortErrorMessage('plain')).toBe('plain');
  });
});
