import type { PageRequest } from '../../shell/page';
import { pageMinPosition } from './read-your-writes';

const request = (cookie?: string): PageRequest =>
  ({ cookies: cookie === undefined ? {} : { al_pos: cookie } }) as unknown as PageRequest;

describe("pageMinPosition: a page waits for the user's last command", () => {
  it('takes the cookie when the query has no minPosition', () => {
    expect(pageMinPosition(request('42'), undefined)).toBe(42);
  });
  it('takes the later of the query and the cookie', () => {
    expect(pageMinPosition(request('42'), '50')).toBe(50);
    expect(pageMinPosition(request('60'), '50')).toBe(60);
  });
  it('ignores a malformed cookie but refuses a malformed query', () => {
    expect(pageMinPosition(request('x1'), undefined)).toBeUndefined();
    expect(pageMinPosition(request('1'.repeat(40)), '7')).toBe(7);
    expect(() => pageMinPosition(request(), 'abc')).toThrow();
  });
  it('waits for nothing without either', () => {
    expect(pageMinPosition(request(), undefined)).toBeUndefined();
  });
});
