// Registration numbers and the registration facts derived from applicants and channel.
import { firstApplicantSurname, formOf, isAnonymous, isCollective, surnameOf } from './applicants';
import {
  fillNumberTemplate,
  formatRegistrationNumber,
  registrationNumberTemplate,
  surnameInitial,
  validateNumberPattern,
} from './registration-number';

describe('formatRegistrationNumber', () => {
  it('uses the default pattern {initial}/{seq}', () => {
    expect(
      formatRegistrationNumber('{initial}/{seq}', {
        sequence: 401,
        year: 2018,
        applicantSurname: 'Дмитриев',
      }),
    ).toBe('Д/401');
  });

  it('uppercases the initial, including Ё', () => {
    expect(surnameInitial('петров')).toBe('П');
    expect(surnameInitial('ёлкин')).toBe('Ё');
    expect(surnameInitial(' «Иванов»')).toBe('И');
  });

  it('falls back for anonymous appeals, configurable', () => {
    expect(formatRegistrationNumber('{initial}/{seq}', { sequence: 7, year: 2018 })).toBe('А/7');
    expect(
      formatRegistrationNumber('{initial}/{seq}', { sequence: 7, year: 2018 }, { anonymousInitial: 'Б/Н' }),
    ).toBe('Б/Н/7');
  });

  it('supports {year} and zero-padded {seq:N}', () => {
    expect(formatRegistrationNumber('{year}-{seq:5}', { sequence: 42, year: 2018 })).toBe('2018-00042');
    expect(
      formatRegistrationNumber('ОГ-{initial}{seq}/{year}', {
        sequence: 3,
        year: 2019,
        applicantSurname: 'Петров',
      }),
    ).toBe('ОГ-П3/2019');
  });

  it('validates patterns', () => {
    expect(validateNumberPattern('{initial}/{seq}')).toEqual([]);
    expect(validateNumberPattern('{initial}/{n}')).toEqual([
      'unknown token {n}; known: {initial}, {seq}, {seq:N}, {year}',
      'pattern must contain {seq}, or numbers would repeat',
    ]);
    expect(validateNumberPattern('{year:2}{seq}')).toEqual(['only {seq} takes a width, not {year:2}']);
    expect(() => formatRegistrationNumber('{initial}', { sequence: 1, year: 2018 })).toThrow(
      /must contain \{seq\}/,
    );
    expect(() => formatRegistrationNumber('{seq}', { sequence: 0, year: 2018 })).toThrow(/positive/);
  });
});

describe('derived registration facts', () => {
  it('derives form from channel', () => {
    expect([formOf('written'), formOf('electronic'), formOf('personal_reception'), formOf('phone')]).toEqual([
      'written',
      'electronic',
      'oral',
      'oral',
    ]);
  });

  it('calls two or more applicants collective', () => {
    expect(isCollective([])).toBe(false);
    expect(isCollective([{ applicantId: '1' }])).toBe(false);
    expect(isCollective([{ applicantId: '1' }, { applicantId: '2' }])).toBe(true);
  });

  it.each([
    [[], true],
    [[{ applicantId: '1', name: 'Петров П.П.', address: 'п. Елань' }], false],
    [[{ applicantId: '1', name: 'Петров П.П.', email: 'p@example.org' }], false],
    [[{ applicantId: '1', name: 'Петров П.П.', phone: '123' }], true],
    [[{ applicantId: '1', address: 'п. Елань', email: 'p@example.org' }], true],
    [[{ applicantId: '1', name: '  ', address: 'п. Елань' }], true],
    // a name from one applicant and an address from another give nobody to answer
    [
      [
        { applicantId: '1', name: 'Петров П.П.' },
        { applicantId: '2', address: 'п. Елань' },
      ],
      true,
    ],
    [
      [
        { applicantId: '1', name: 'Петров П.П.' },
        { applicantId: '2', name: 'Дёмина Д.Д.', address: 'п. Елань' },
      ],
      false,
    ],
  ])('anonymous(%j) = %s', (applicants, anonymous) => {
    expect(isAnonymous(applicants)).toBe(anonymous);
  });

  it('takes the surname of the first named applicant', () => {
    expect(surnameOf('Петров П.П.')).toBe('Петров');
    expect(surnameOf('  ')).toBeUndefined();
    expect(firstApplicantSurname([{ applicantId: '1' }, { applicantId: '2', name: 'Дёмина Д.Д.' }])).toBe(
      'Дёмина',
    );
  });
});

describe('registrationNumberTemplate (the number before its sequence is known)', () => {
  it('keeps the text around each {seq} and each width; fills like formatRegistrationNumber', () => {
    const template = registrationNumberTemplate('{initial}-{seq:4}/{year} ({seq})', {
      year: 2026,
      applicantSurname: 'ёлкин',
    });
    expect(template).toEqual({ parts: ['Ё-', '/2026 (', ')'], widths: [4, 0] });
    for (const sequence of [1, 42, 12345])
      expect(fillNumberTemplate(template, sequence)).toBe(
        formatRegistrationNumber('{initial}-{seq:4}/{year} ({seq})', {
          sequence,
          year: 2026,
          applicantSurname: 'ёлкин',
        }),
      );
    expect(fillNumberTemplate(template, 42)).toBe('Ё-0042/2026 (42)');
  });

  it('refuses a bad pattern and a sequence that is not a positive whole number', () => {
    expect(() => registrationNumberTemplate('{initial}', { year: 2026 })).toThrow(/must contain \{seq\}/);
    const template = registrationNumberTemplate('{seq}', { year: 2026 });
    expect(() => fillNumberTemplate(template, 0)).toThrow(RangeError);
    expect(() => fillNumberTemplate(template, 1.5)).toThrow(RangeError);
  });
});
