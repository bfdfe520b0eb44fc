/**
 * Log lines keep a PostgreSQL error's code, severity and message, and nothing of its detail, context
 * (`where`), internal query or statement — which quote the JSON being written. Real errors from real
 * queries, written through the engine's logger to a captured stream.
 */
import { Writable } from 'node:stream';
import { Client, DatabaseError } from 'pg';
import { createLogger } from './logger';

const SECRET = 'Секретова Агриппина';

function capture(): { lines: () => Record<string, unknown>[]; raw: () => string; stream: Writable } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return {
    stream,
    raw: () => text,
    lines: () =>
      text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('the logger and PostgreSQL errors', () => {
  let client: Client;

  beforeAll(async () => {
    client = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
  });

  async function failing(sql: string, values: unknown[] = []): Promise<DatabaseError> {
    const error = await client.query(sql, values).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof DatabaseError)) throw new Error(`expected a DatabaseError from ${sql}`);
    return error;
  }

  it('keeps code, severity and message of a jsonb refusal; drops the JSON that PostgreSQL quotes', async () => {
    const error = await failing('SELECT $1::jsonb', [JSON.stringify({ name: `${SECRET}\u0000` })]);
    // The driver's error does quote the data: what the log line must not carry.
    expect(`${error.where ?? ''}${error.detail ?? ''}`).toContain('Секретова');
    const log = capture();
    const logger = createLogger('info', log.stream);
    logger.error({ err: error }, 'request failed');
    logger.error({ error }, 'under another key');
    logger.error({ err: new Error('appending failed', { cause: error }) }, 'wrapped');
    logger.flush();

    expect(log.raw()).not.toContain('Секретова');
    const [direct, other, wrapped] = log.lines();
    for (const logged of [direct.err, other.error, (wrapped.err as { cause: unknown }).cause]) {
      expect(logged).toEqual(
        expect.objectContaining({ code: '22P05', severity: 'ERROR', message: error.message }),
      );
      for (const key of [
        'detail',
        'where',
        'internalQuery',
        'internalPosition',
        'query',
        'parameters',
        'hint',
      ])
        expect(logged).not.toHaveProperty(key);
    }
  });

  it('drops the context and internal query of an error raised inside a function', async () => {
    const error = await failing(`DO $$ BEGIN PERFORM ('{"name": "${SECRET} \\u0000"}')::jsonb; END $$`);
    expect(error.where ?? '').toContain('PL/pgSQL');
    const log = capture();
    createLogger('info', log.stream).warn({ err: error }, 'failed');
    expect(log.raw()).not.toContain('Секретова');
    expect(log.raw()).not.toContain('PL/pgSQL');
    expect(log.lines()[0].err).toEqual(expect.objectContaining({ code: error.code, severity: 'ERROR' }));
  });
});
