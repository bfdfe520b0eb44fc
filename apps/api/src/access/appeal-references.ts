/**
 * References to other appeals (docs/access.md, "References to other appeals"): an appeal's summary
 * and its arrival flag name other appeals of the same applicant by id — the earlier appeal it
 * repeats, the original of a duplicate, the appeal on which correspondence was terminated, the
 * earlier appeals that decision rests on. A reader sees such an id only when they may read that
 * appeal now; otherwise the id (and the other appeal's number) is left out, while the facts about
 * this appeal stay (`repeat: true`, the flag's date and question codes, the answer given with the
 * original). Pure: the caller says which of the ids the reader may read (`readable`).
 */

/** The fields of an appeal summary that name other appeals. */
export interface ReferencingView {
  repeatOf?: string;
  duplicateOf?: string;
  joinedTo?: string;
  answeredWithOriginal: { originalAppealId?: string; originalNumber?: string } | null;
  correspondenceTermination: { earlierAppealIds: string[] } | null;
}

/** Every id of another appeal the summary names. */
export function referencedAppealIds(view: ReferencingView): string[] {
  const ids = [
    view.repeatOf,
    view.duplicateOf,
    view.joinedTo,
    view.answeredWithOriginal?.originalAppealId,
    ...(view.correspondenceTermination?.earlierAppealIds ?? []),
  ];
  return [...new Set(ids.filter((id): id is string => id !== undefined))];
}

/** `view` naming only the appeals in `readable`. */
export function withReadableReferences<V extends ReferencingView>(
  view: V,
  readable: ReadonlySet<string>,
): V {
  const out: V = { ...view };
  const hidden = (id: string | undefined): boolean => id !== undefined && !readable.has(id);
  if (hidden(out.repeatOf)) delete out.repeatOf;
  if (hidden(out.duplicateOf)) delete out.duplicateOf;
  if (hidden(out.joinedTo)) delete out.joinedTo;
  const answered = out.answeredWithOriginal;
  if (answered && hidden(answered.originalAppealId)) {
    const { originalAppealId: _id, originalNumber: _number, ...rest } = answered;
    out.answeredWithOriginal = rest;
  }
  const termination = out.correspondenceTermination;
  if (termination && termination.earlierAppealIds.some((id) => !readable.has(id))) {
    out.correspondenceTermination = {
      ...termination,
      earlierAppealIds: termination.earlierAppealIds.filter((id) => readable.has(id)),
    };
  }
  return out;
}

/** An arrival flag (`correspondenceTerminated`) naming the termination's appeal only when readable. */
export function flagWithReadableReference<F extends { terminationAppealId?: string }>(
  flag: F,
  readable: ReadonlySet<string>,
): F {
  if (flag.terminationAppealId === undefined || readable.has(flag.terminationAppealId)) return flag;
  const { terminationAppealId: _id, ...rest } = flag;
  return rest as F;
}
