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

/**
 * A registration number before its sequence is known: the literal text around each `{seq}` token
 * (`parts`, one more than `widths`) and each token's width (0: none). The store fills the sequence in
 * when it takes the year's next one (the registration's single statement); `fillNumberTemplate` is
 * the same rule in code.
 */
export interface NumberTemplate {
  parts: string[];
  widths: number[];
}

export function registrationNumberTemplate(
  pattern: string,
  input: Omit<RegistrationNumberInput, 'sequence'>,
  options: RegistrationNumberOptions = {},
): NumberTemplate {
  const problems = validateNumberPattern(pattern);
  if (problems.length > 0)
    throw new RangeError(`registration number pattern ${JSON.stringify(pattern)}: ${problems.join('; ')}`);
  const parts: string[] = [''];
  const widths: number[] = [];
  let from = 0;
  for (const m of pattern.matchAll(TOKEN)) {
    parts[parts.length - 1] += pattern.slice(from, m.index);
    from = (m.index ?? 0) + m[0].length;
    if (m[1] === 'seq') {
      widths.push(m[2] === undefined ? 0 : Number(m[2]));
      parts.push('');
    } else
      parts[parts.length - 1] +=
        m[1] === 'initial'
          ? surnameInitial(input.applicantSurname, options.anonymousInitial)
          : String(input.year);
  }
  parts[parts.length - 1] += pattern.slice(from);
  return { parts, widths };
}

/** The number of `sequence` (zero-padded to each token's width; never cut). */
export function fillNumberTemplate(template: NumberTemplate, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1)
    throw new RangeError(`sequence must be a positive whole number, got ${sequence}`);
  const digits = String(sequence);
  return template.widths.reduce(
    (number, width, i) => number + digits.padStart(width, '0') + template.parts[i + 1],
    template.parts[0],
  );
}

export function formatRegistrationNumber(
  pattern: string,
  input: RegistrationNumberInput,
  options: RegistrationNumberOptions = {},
): string {
  return fillNumberTemplate(registrationNumberTemplate(pattern, input, options), input.sequence);
}
