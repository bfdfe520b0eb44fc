/**
 * Report categories: named sets of classifier code prefixes with exclusions, configured per
 * administration (`REPORT_CATEGORIES_FILE`). A question counts in every category it matches.
 */
import { readFileSync } from 'node:fs';
import { InvalidReportQueryError } from '../shared/errors';

export interface ReportCategory {
  name: string;
  /** code prefixes on whole levels: `0005.0005` matches `0005.0005` and `0005.0005.0055.1122` */
  include: string[];
  exclude: string[];
}

/**
 * The shipped default: a partition of the five sections built only from codes the classifier data
 * confirms (0003.0009.0097 improvement and town planning, 0003.0009.0099 transport and roads,
 * 0005.0005.0056 communal services); land, trade and the rest of economic activity share one line
 * until an administration configures its own topics.
 */
export const DEFAULT_REPORT_CATEGORIES: readonly ReportCategory[] = [
  { name: 'Коммунальное хозяйство', include: ['0005.0005.0056'], exclude: [] },
  { name: 'Жилищные вопросы', include: ['0005'], exclude: ['0005.0005.0056'] },
  { name: 'Социальная сфера', include: ['0002'], exclude: [] },
  { name: 'Благоустройство и градостроительство', include: ['0003.0009.0097'], exclude: [] },
  { name: 'Транспорт и дороги', include: ['0003.0009.0099'], exclude: [] },
  {
    name: 'Иная хозяйственная деятельность (земля, торговля и др.)',
    include: ['0003.0009'],
    exclude: ['0003.0009.0097', '0003.0009.0099'],
  },
  { name: 'Экономика (иное)', include: ['0003'], exclude: ['0003.0009'] },
  { name: 'Государство, общество, политика', include: ['0001'], exclude: [] },
  { name: 'Оборона, безопасность, законность', include: ['0004'], exclude: [] },
];

const PREFIX = /^\d{4}(\.\d{4}){0,3}$/;

export const codeHasPrefix = (code: string, prefix: string): boolean =>
  code === prefix || code.startsWith(`${prefix}.`);

export const categoryMatches = (category: ReportCategory, code: string): boolean =>
  category.include.some((p) => codeHasPrefix(code, p)) &&
  !category.exclude.some((p) => codeHasPrefix(code, p));

/** Validates a parsed categories file; throws naming the entry at fault. */
export function parseReportCategories(json: unknown, source = 'report categories'): ReportCategory[] {
  const fail = (message: string): never => {
    throw new InvalidReportQueryError(`${source}: ${message}`, 'REPORT_CATEGORIES_FILE');
  };
  if (!Array.isArray(json)) return fail('expected a JSON array of { name, include, exclude }');
  const names = new Set<string>();
  return (json as unknown[]).map((entry, i): ReportCategory => {
    if (typeof entry !== 'object' || entry === null) return fail(`entry ${i} is not an object`);
    const { name, include, exclude } = entry as Record<string, unknown>;
    if (typeof name !== 'string' || name.trim() === '')
      return fail(`entry ${i}: name must be a non-empty string`);
    if (names.has(name)) return fail(`entry ${i}: name "${name}" is used twice`);
    names.add(name);
    const prefixes = (value: unknown, field: string, required: boolean): string[] => {
      if (value === undefined && !required) return [];
      if (!Array.isArray(value) || (required && value.length === 0))
        return fail(`"${name}": ${field} must be a${required ? ' non-empty' : 'n'} array of code prefixes`);
      return (value as unknown[]).map((p) => {
        if (typeof p !== 'string' || !PREFIX.test(p))
          return fail(`"${name}": ${field} holds "${String(p)}", expected a code prefix like 0005.0005`);
        return p;
      });
    };
    return {
      name,
      include: prefixes(include, 'include', true),
      exclude: prefixes(exclude, 'exclude', false),
    };
  });
}

/** Reads `file` (JSON), or returns the shipped default when no file is configured. */
export function loadReportCategories(file?: string): ReportCategory[] {
  if (file === undefined || file === '')
    return DEFAULT_REPORT_CATEGORIES.map((c) => ({ ...c, include: [...c.include], exclude: [...c.exclude] }));
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InvalidReportQueryError(
      `${file}: cannot read JSON (${error instanceof Error ? error.message : String(error)})`,
      'REPORT_CATEGORIES_FILE',
    );
  }
  return parseReportCategories(parsed, file);
}
