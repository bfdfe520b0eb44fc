/**
 * 59-FZ: an appeal from the same applicant on the same question is a **repeat** (повторное) when the
 * earlier one was answered or its term expired by the time the later one was registered; while the
 * earlier one is still under consideration the later one is a **duplicate** (another copy of it, e.g.
 * the same letter sent also via the region). Pure; the registrar confirms or rejects what it proposes.
 */

export type RelationKind = 'repeat' | 'duplicate';
export type SameQuestion = 'code' | 'theme';

/** `section.theme` of a classifier code (`0005.0005.0056.1149` → `0005.0005`). */
export const themeOf = (code: string): string => code.split('.').slice(0, 2).join('.');

/** Whether two appeals concern the same question: one classifier code in both, or else one theme. */
export function sameQuestion(codes: readonly string[], earlier: readonly string[]): SameQuestion | null {
  if (codes.some((c) => earlier.includes(c))) return 'code';
  const themes = new Set(earlier.map(themeOf));
  return codes.some((c) => themes.has(themeOf(c))) ? 'theme' : null;
}

/** What the rule needs of the earlier appeal (dates are administration-local `YYYY-MM-DD`). */
export interface EarlierAppeal {
  /** its final answer (or forwarding) in force, and when it was sent */
  resolvedOn: string | null;
  /** when it left control (answered, withdrawn, or removed), if it did */
  offControlOn: string | null;
  /** the end of its consideration term in force */
  dueDate: string;
}

/**
 * Repeat when, on the later appeal's registration date, the earlier one had been answered (or its
 * consideration ended otherwise) or its term had expired; duplicate while it was still being considered.
 */
export function proposeRelation(earlier: EarlierAppeal, registeredOn: string): RelationKind {
  const ended =
    (earlier.resolvedOn !== null && earlier.resolvedOn <= registeredOn) ||
    (earlier.offControlOn !== null && earlier.offControlOn <= registeredOn);
  return ended || earlier.dueDate < registeredOn ? 'repeat' : 'duplicate';
}
