/**
 * Free text is personal data (152-FZ): citizens write passport numbers, diagnoses and family matters
 * into summaries, answers, reasons and instructions. These are the fields, per event type, that are
 * sealed under the appeal's key when an event is stored (schema version 2) and opened for readers
 * allowed to see personal data; after erasure they read as ERASED_TEXT. Reports and read models use
 * none of them (docs/decisions/0002-personal-data-crypto-shredding.md).
 */
import type { JsonObject } from '@appeal-ledger/event-store';

/** Stored events whose free-text fields are sealed carry this metadata.schemaVersion. */
export const SEALED_TEXT_SCHEMA_VERSION = 2;

/** Top-level free-text fields of each event type (AppealRegistered also seals each question's summary). */
const TEXT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  AppealRegistered: ['summary'],
  ExecutorAssigned: ['instructions'],
  ExecutorReassigned: ['instructions'],
  DeadlineExtended: ['reason'],
  InterimAnswerSent: ['summary'],
  FinalAnswerSent: ['summary'],
  AnswerReturnedForRework: ['reason'],
  AppealWithdrawn: ['reason'],
  CorrespondenceTerminated: ['grounds'],
  // what the further control waits for (shown in the summary: opened by AppealSummaryRenderer)
  FurtherControlSet: ['reason'],
  // issue 14: the head's resolution and a co-executor's part
  ResolutionRecorded: ['text'],
  ContributionRecorded: ['text'],
};

/** Free-text fields one level down: [object field, text field] (the notice told to the applicant). */
const NESTED_TEXT_FIELDS: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  AppealLeftWithoutAnswer: [['notice', 'text']],
  CorrespondenceTerminated: [['notice', 'text']],
};

const isObject = (value: unknown): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export const hasFreeText = (type: string): boolean =>
  TEXT_FIELDS[type] !== undefined || NESTED_TEXT_FIELDS[type] !== undefined;

/**
 * Returns `data` with every free-text field of an event of `type` replaced by `map(text)` (all the
 * texts of one event are mapped in one call, so a key is looked up once).
 */
export async function mapFreeText(
  type: string,
  data: JsonObject,
  map: (texts: string[]) => Promise<string[]>,
): Promise<JsonObject> {
  const fields = TEXT_FIELDS[type];
  const nestedFields = NESTED_TEXT_FIELDS[type] ?? [];
  if (!fields && nestedFields.length === 0) return data;
  const texts: string[] = [];
  const top = (fields ?? []).filter((f) => typeof data[f] === 'string');
  for (const f of top) texts.push(data[f] as string);
  const nested = nestedFields.filter(([o, f]) => {
    const inner = data[o];
    return isObject(inner) && typeof inner[f] === 'string';
  });
  for (const [o, f] of nested) texts.push((data[o] as JsonObject)[f] as string);
  const questions = type === 'AppealRegistered' && Array.isArray(data.questions) ? data.questions : [];
  const withSummary = questions.map(
    (q) => q !== null && typeof q === 'object' && !Array.isArray(q) && typeof q.summary === 'string',
  );
  questions.forEach((q, i) => {
    if (withSummary[i]) texts.push((q as JsonObject).summary as string);
  });
  if (texts.length === 0) return data;
  const mapped = await map(texts);
  let at = 0;
  const out: JsonObject = { ...data };
  for (const f of top) out[f] = mapped[at++];
  for (const [o, f] of nested) out[o] = { ...(data[o] as JsonObject), [f]: mapped[at++] };
  if (questions.length > 0) {
    out.questions = questions.map((q, i) =>
      withSummary[i] ? { ...(q as JsonObject), summary: mapped[at++] } : q,
    );
  }
  return out;
}
