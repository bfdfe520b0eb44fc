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
export function withReadableReferences<V extends ReferencingView>(view: V, readable: ReadonlySet<string>): V {
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

/** The history's events: data fields naming one other appeal (with the fields that go with it). */
const EVENT_ID_FIELDS: Readonly<Record<string, readonly (readonly [string, ...string[]])[]>> = {
  AppealRegistered: [['repeatOf']],
  RelatedAppealConfirmed: [['relatedAppealId']],
  RelatedAppealRejected: [['relatedAppealId']],
  AnsweredWithOriginal: [['originalAppealId', 'originalNumber']],
  AppealLeftWithoutAnswer: [['terminationAppealId']],
};
/** The history's events: data fields listing other appeals. */
const EVENT_ID_LISTS: Readonly<Record<string, readonly string[]>> = {
  CorrespondenceTerminated: ['earlierAppealIds'],
};

/** Every id of another appeal an event's data names. */
export function eventReferencedIds(type: string, data: Readonly<Record<string, unknown>>): string[] {
  const ids = (EVENT_ID_FIELDS[type] ?? []).map(([field]) => data[field]);
  for (const field of EVENT_ID_LISTS[type] ?? []) {
    const list = data[field];
    if (Array.isArray(list)) ids.push(...(list as unknown[]));
  }
  return ids.filter((id): id is string => typeof id === 'string');
}

/** An event's data naming only the appeals in `readable` (a hidden id goes with its companions). */
export function eventWithReadableReferences<D extends Readonly<Record<string, unknown>>>(
  type: string,
  data: D,
  readable: ReadonlySet<string>,
): D {
  let out: Record<string, unknown> = data;
  for (const [field, ...companions] of EVENT_ID_FIELDS[type] ?? []) {
    const id = data[field];
    if (typeof id !== 'string' || readable.has(id)) continue;
    out = { ...out };
    for (const f of [field, ...companions]) delete out[f];
  }
  for (const field of EVENT_ID_LISTS[type] ?? []) {
    const list = data[field];
    if (!Array.isArray(list) || list.every((id) => typeof id === 'string' && readable.has(id))) continue;
    out = { ...out, [field]: list.filter((id) => typeof id === 'string' && readable.has(id)) };
  }
  return out as D;
}
