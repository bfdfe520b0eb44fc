/**
 * Registration numbers from a configured pattern, e.g. `{initial}/{seq}` → `Д/401`.
 * Uniqueness: the app allocates `sequence` per administration and registration year (restarting at 1
 * each year), so a number is unique per year; add `{year}` to the pattern to make it unique outright.
 */

export const DEFAULT_NUMBER_PATTERN = '{initial}/{seq}';
/** Initial used for anonymous appeals (no surname to take a letter from): А for «анонимное». */
export const DEFAULT_ANONYMOUS_INITIAL = 'А';

export interface RegistrationNumberInput {
  /** allocated by the app, per year, starting at 1 */
  sequence: number;
  year: number;
  /** omit for anonymous appeals */
  applicantSurname?: string;
}

export interface RegistrationNumberOptions {
  anonymousInitial?: string;
}

// {initial}, {seq}, {seq:N} (zero-padded to N digits), {year}
const TOKEN = /\{([a-z]+)(?::(\d+))?\}/g;
const TOKENS = ['initial', 'seq', 'year'];

/** Problems with a pattern (empty when usable); the app checks its configuration at start-up. */
export function validateNumberPattern(pattern: string): string[] {
  const problems: string[] = [];
  let hasSeq = false;
  for (const m of pattern.matchAll(TOKEN)) {
    if (!TOKENS.includes(m[1]))
      problems.push(`unknown token {${m[1]}}; known: {initial}, {seq}, {seq:N}, {year}`);
    else if (m[2] !== undefined && m[1] !== 'seq')
      problems.push(`only {seq} takes a width, not {${m[1]}:${m[2]}}`);
    if (m[1] === 'seq') hasSeq = true;
  }
  if (!hasSeq) problems.push('pattern must contain {seq}, or numbers would repeat');
  return problems;
}

/** Uppercased first letter of the surname; the fallback when there is none. */
export function surnameInitial(
  surname: string | undefined,
  anonymousInitial = DEFAULT_ANONYMOUS_INITIAL,
): string {
  const letter = surname?.trim().match(/\p{L}/u)?.[0];
  return letter ? letter.toLocaleUpperCase('ru-RU') : anonymousInitial;
}

export function formatRegistrationNumber(
  pattern: string,
  input: RegistrationNumberInput,
  options: RegistrationNumberOptions = {},
): string {
  const problems = validateNumberPattern(pattern);
  if (problems.length > 0)
    throw new RangeError(`registration number pattern ${JSON.stringify(pattern)}: ${problems.join('; ')}`);
  if (!Number.isInteger(input.sequence) || input.sequence < 1)
    throw new RangeError(`sequence must be a positive whole number, got ${input.sequence}`);
  return pattern.replace(TOKEN, (_m, name: string, width: string | undefined) => {
    switch (name) {
      case 'initial':
        return surnameInitial(input.applicantSurname, options.anonymousInitial);
      case 'seq':
        return width === undefined
          ? String(input.sequence)
          : String(input.sequence).padStart(Number(width), '0');
      default:
        return String(input.year);
    }
  });
}
