import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidReportQueryError } from '../shared/errors';
import {
  categoryMatches,
  DEFAULT_REPORT_CATEGORIES,
  loadReportCategories,
  parseReportCategories,
} from './report-categories';

describe('report categories', () => {
  const housing = { name: 'Жилищные вопросы', include: ['0005.0005'], exclude: ['0005.0005.0056'] };

  it('match whole code levels, with exclusions', () => {
    expect(categoryMatches(housing, '0005.0005.0055.1122')).toBe(true);
    expect(categoryMatches(housing, '0005.0005')).toBe(true);
    expect(categoryMatches(housing, '0005.0005.0056.1149')).toBe(false);
    expect(categoryMatches(housing, '0005.00051.0001')).toBe(false);
  });

  it('the shipped default puts every code of the five sections in exactly one category', () => {
    const codes = [
      '0001.0002.0027.0001',
      '0002.0007.0001',
      '0003.0009.0097.0689',
      '0003.0009.0099.0742',
      '0003.0009.0100',
      '0003.0008.0001',
      '0004.0016',
      '0005.0005.0055.1122',
      '0005.0005.0056.1149',
    ];
    for (const code of codes) {
      expect([code, DEFAULT_REPORT_CATEGORIES.filter((c) => categoryMatches(c, code)).length]).toEqual([
        code,
        1,
      ]);
    }
  });

  it('are validated when loaded from a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'categories-'));
    const file = join(dir, 'categories.json');
    writeFileSync(file, JSON.stringify([housing, { name: 'Дороги', include: ['0003.0009.0099'] }]));
    expect(loadReportCategories(file)).toEqual([
      housing,
      { name: 'Дороги', include: ['0003.0009.0099'], exclude: [] },
    ]);
    expect(loadReportCategories(undefined)).toEqual(DEFAULT_REPORT_CATEGORIES);
    expect(() => parseReportCategories({})).toThrow(InvalidReportQueryError);
    expect(() => parseReportCategories([{ name: 'x', include: [] }])).toThrow(/non-empty array/);
    expect(() => parseReportCategories([{ name: 'x', include: ['5.5'] }])).toThrow(/code prefix/);
    expect(() => parseReportCategories([housing, housing])).toThrow(/used twice/);
    writeFileSync(file, '{not json');
    expect(() => loadReportCategories(file)).toThrow(/cannot read JSON/);
  });
});
