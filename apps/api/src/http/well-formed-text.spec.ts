import { Problem } from './problem';
import { illFormedString, jsonDeeperThan, textProblem } from './well-formed-text';

describe('well-formed text', () => {
  it.each([
    ['plain text', 'жалоба на отопление'],
    ['a surrogate pair', 'жалоба 😀'],
    ['tabs and new lines', 'строка\tодна\nдве'],
  ])('given %s, then it is accepted', (_case, text) => {
    expect(textProblem(text)).toBeUndefined();
  });

  it.each([
    ['a NUL', 'a\u0000b', /NUL.*offset 1/],
    ['a lone high surrogate', 'a\ud800', /unpaired.*offset 1/],
    ['a lone low surrogate', '\udc00a', /unpaired.*offset 0/],
    ['a reversed pair', '\ude00\ud83d', /unpaired/],
  ])('given %s, then it is refused saying where', (_case, text, message) => {
    expect(textProblem(text)).toMatch(message);
  });

  it('given a parsed body, then the first bad string or key is named by its path', () => {
    expect(illFormedString({ a: [{ b: 'ok' }, { c: 'x\u0000' }] })).toEqual({
      field: 'body.a[1].c',
      message: expect.stringMatching(/NUL/) as unknown,
    });
    expect(illFormedString({ 'k\ud800': 1 })?.field).toBe('body');
    expect(illFormedString({ a: ['fine', 1, null, true] })).toBeUndefined();
  });
});

describe('JSON depth', () => {
  it('counts objects and arrays, not brackets inside strings', () => {
    expect(jsonDeeperThan('{"a":[[1]]}', 3)).toBe(false);
    expect(jsonDeeperThan('{"a":[[[1]]]}', 3)).toBe(true);
    expect(jsonDeeperThan(`{"a":"${'['.repeat(100)}"}`, 3)).toBe(false);
    expect(jsonDeeperThan(`{"a":"\\"${'{'.repeat(100)}"}`, 3)).toBe(false);
    expect(jsonDeeperThan('['.repeat(100_000), 32)).toBe(true);
  });
});

describe('validation problems stay small', () => {
  it('lists at most 20 errors, counts the rest and cuts long texts', () => {
    const errors = Array.from({ length: 10_000 }, (_, i) => ({
      field: `results[${i}].questionCode${'x'.repeat(1000)}`,
      message: 'y'.repeat(100_000),
    }));
    const body = Problem.validation(errors, 'z'.repeat(1_000_000)).body('/appeals');
    expect(body.errors).toHaveLength(20);
    expect(body.moreErrors).toBe(9_980);
    expect(JSON.stringify(body).length).toBeLessThan(8 * 1024);
  });
});
