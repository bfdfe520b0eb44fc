import { proposeRelation, sameQuestion, themeOf } from './repeat-rule';

describe('repeat or duplicate (59-FZ)', () => {
  const open = { resolvedOn: null, offControlOn: null, dueDate: '2018-12-28' };

  it('same question: one code, else one theme (section.theme)', () => {
    expect(themeOf('0005.0005.0056.1149')).toBe('0005.0005');
    expect(sameQuestion(['0005.0005.0056.1149'], ['0003.0009.0099.0001', '0005.0005.0056.1149'])).toBe(
      'code',
    );
    expect(sameQuestion(['0005.0005.0056.1149'], ['0005.0005.0057.1160'])).toBe('theme');
    expect(sameQuestion(['0005.0005.0056.1149'], ['0005.0001.0056.1149'])).toBeNull();
  });

  it('a copy while the earlier one is under consideration is a duplicate', () => {
    expect(proposeRelation(open, '2018-12-10')).toBe('duplicate');
    expect(proposeRelation(open, '2018-12-28')).toBe('duplicate');
  });

  it('after the answer, or once the term expired, it is a repeat', () => {
    expect(proposeRelation({ ...open, resolvedOn: '2018-12-05' }, '2018-12-10')).toBe('repeat');
    expect(proposeRelation({ ...open, resolvedOn: '2018-12-10' }, '2018-12-10')).toBe('repeat');
    expect(proposeRelation(open, '2018-12-29')).toBe('repeat');
    expect(proposeRelation({ ...open, offControlOn: '2018-12-01' }, '2018-12-10')).toBe('repeat');
  });

  it('an answer sent after the later appeal arrived does not make it a repeat', () => {
    expect(proposeRelation({ ...open, resolvedOn: '2018-12-20' }, '2018-12-10')).toBe('duplicate');
  });
});
