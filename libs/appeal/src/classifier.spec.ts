// Classifier codes: format, section, theme from the shipped list, and a fuller classifier from data.
import { Classifier, parseClassifierCode } from './classifier';

describe('Classifier', () => {
  const shipped = Classifier.shipped();

  it.each(['0005.0005.0056.1149', '0003.0009.0099.0742', '0002.0007.0001.0001', '0001.0002.0027.0001.0002'])(
    'accepts %s',
    (code) => {
      expect(shipped.validate(code)).toEqual([]);
      expect(shipped.isValid(code)).toBe(true);
    },
  );

  it.each([
    ['0005.0005.0056', /NNNN\.NNNN\.NNNN\.NNNN/],
    ['5.5.56.1149', /NNNN\.NNNN\.NNNN\.NNNN/],
    ['0005.0005.0056.1149.0001.0001', /NNNN\.NNNN\.NNNN\.NNNN/],
    ['0000.0005.0056.1149', /section 0000 does not exist/],
    ['0006.0005.0056.1149', /section 0006 does not exist/],
    ['0005.0001.0001.0001', /theme 0005\.0001 is not in the classifier/],
    ['0002.0009.0001.0001', /theme 0002\.0009/],
  ])('refuses %s', (code, message) => {
    expect(shipped.validate(code, 'questions[0].code')).toEqual([
      { field: 'questions[0].code', message: expect.stringMatching(message) as string },
    ]);
  });

  it('refuses a non-string', () => {
    expect(shipped.validate(42)).toEqual([{ field: 'code', message: 'classifier code must be a string' }]);
  });

  it('names codes from the most specific level it knows', () => {
    expect(shipped.nameOf('0005.0005.0056.1149')).toBe('Жилище');
    expect(shipped.nameOf('0005')).toBe('Жилищно-коммунальная сфера');
  });

  it('accepts deeper codes under a known theme until a complete classifier is loaded', () => {
    const fuller = shipped.extend({
      version: '2024-01',
      topics: [{ code: '0005.0005.0056', name: 'Коммунальное хозяйство' }],
      questions: [{ code: '0005.0005.0056.1149', name: 'Оплата ЖКУ' }],
    });
    expect(fuller.isValid('0005.0005.0056.1150')).toBe(true);
    expect(fuller.nameOf('0005.0005.0056.1149')).toBe('Оплата ЖКУ');
    expect(fuller.nameOf('0005.0005.0056.1150')).toBe('Коммунальное хозяйство');
    const complete = fuller.extend({ version: '2024-01-full', complete: true });
    expect(complete.isValid('0005.0005.0056.1149')).toBe(true);
    expect(complete.validate('0005.0005.0056.1150')).toEqual([
      { field: 'code', message: 'classifier question 0005.0005.0056.1150 is not in the classifier' },
    ]);
    expect(complete.validate('0005.0005.0055.1122')).toEqual([
      { field: 'code', message: 'classifier topic 0005.0005.0055 is not in the classifier' },
    ]);
    expect(complete.versions).toEqual(['shipped-themes', '2024-01', '2024-01-full']);
    expect(shipped.isValid('0005.0005.0055.1122')).toBe(true); // immutable
  });

  it('refuses malformed entries in extension data', () => {
    expect(() => shipped.extend({ topics: [{ code: '0005.0005', name: 'x' }] })).toThrow(
      /not a level-3 code/,
    );
  });

  it('parses the levels of a code', () => {
    expect(parseClassifierCode('0005.0005.0056.1149')).toEqual({
      section: '0005',
      theme: '0005.0005',
      topic: '0005.0005.0056',
      question: '0005.0005.0056.1149',
      sub: undefined,
    });
    expect(parseClassifierCode('0005.0005')).toBeNull();
  });
});

describe('Classifier.search (the registration picker)', () => {
  const classifier = Classifier.shipped().extend({
    questions: [{ code: '0005.0005.0056.1149', name: 'Перебои в теплоснабжении' }],
  });

  it('finds entries by the start of their code, from section to question', () => {
    const codes = classifier.search('0005.0005').map((e) => e.code);
    expect(codes[0]).toBe('0005.0005');
    expect(codes).toContain('0005.0005.0056.1149');
    expect(classifier.search('0005').map((e) => e.code)).toContain('0005');
  });

  it('finds entries by every word of their name, ignoring case', () => {
    expect(classifier.search('ТЕПЛОСНАБЖЕНИИ перебои')).toEqual([
      { code: '0005.0005.0056.1149', name: 'Перебои в теплоснабжении' },
    ]);
    expect(classifier.search('нет такого слова')).toEqual([]);
    expect(classifier.search('  ')).toEqual([]);
  });

  it('returns at most the limit', () => {
    expect(classifier.search('0', 3)).toHaveLength(3);
  });
});
