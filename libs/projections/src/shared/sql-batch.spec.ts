/**
 * The parameters arrayColumns sends: the exact text of each column's array literal (the round trip
 * of every value through PostgreSQL is in sql-batch.int-spec.ts).
 */
import { arrayColumns } from './sql-batch';

describe('arrayColumns', () => {
  it('sends a text column with quotes as one array literal, each quote escaped once', () => {
    const { from, select, values } = arrayColumns({ id: 'text' }, [{ id: 'he said "no"' }, { id: null }]);
    expect(from).toBe('unnest($1::text[]) AS u(id)');
    expect(select).toBe('u.id');
    expect(values).toEqual(['{"he said \\"no\\"",null}']);
  });

  it('sends a jsonb column as the literal of the JSON text of each value, NULL for null', () => {
    const { from, values } = arrayColumns({ doc: 'jsonb' }, [
      { doc: { note: 'a "b"', n: 1, list: [true, null] } },
      { doc: null },
      { doc: 'text' },
    ]);
    expect(from).toBe('unnest($1::jsonb[]) AS u(doc)');
    expect(values).toEqual([
      '{"{\\"note\\":\\"a \\\\\\"b\\\\\\"\\",\\"n\\":1,\\"list\\":[true,null]}",null,"\\"text\\""}',
    ]);
  });

  it('sends a text[] column as the literal of each array literal, cast back in the SELECT', () => {
    const { from, select, values } = arrayColumns({ tags: 'text[]' }, [
      { tags: ['x "y"', 'z'] },
      { tags: null },
    ]);
    expect(from).toBe('unnest($1::text[]) AS u(tags)');
    expect(select).toBe('u.tags::text[]');
    expect(values).toEqual(['{"{\\"x \\\\\\"y\\\\\\"\\",\\"z\\"}",null}']);
  });

  it('sends the values themselves when a JSON escape has no array literal form (pg then writes the literal)', () => {
    const { values } = arrayColumns({ id: 'text', doc: 'jsonb' }, [
      { id: 'line\nbreak', doc: { s: 'tab\there' } },
    ]);
    expect(values).toEqual([['line\nbreak'], ['{"s":"tab\\there"}']]);
  });
});
