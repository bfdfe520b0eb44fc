import { postgresLogMessage } from './database-server';

describe('postgresLogMessage: what of the embedded server’s stderr reaches the log', () => {
  it('keeps the message of ERROR, FATAL and PANIC lines', () => {
    expect(
      postgresLogMessage('2026-12-02 11:00:00.123 UTC [4242] ERROR:  unsupported Unicode escape sequence'),
    ).toBe('ERROR: unsupported Unicode escape sequence');
    expect(
      postgresLogMessage('2026-12-02 11:00:00.123 UTC [1] FATAL:  the database system is shutting down'),
    ).toBe('FATAL: the database system is shutting down');
  });

  it('drops DETAIL, CONTEXT, STATEMENT and ordinary lines, which may quote the data being written', () => {
    for (const line of [
      '2026-12-02 11:00:00.123 UTC [4242] DETAIL:  \\u0000 cannot be converted to text.',
      '2026-12-02 11:00:00.123 UTC [4242] CONTEXT:  JSON data, line 1: {"name": "Петров...',
      '2026-12-02 11:00:00.123 UTC [4242] STATEMENT:  SELECT append_events($1, $2)',
      '2026-12-02 11:00:00.123 UTC [1] LOG:  database system is ready to accept connections',
    ])
      expect(postgresLogMessage(line)).toBeUndefined();
  });
});
