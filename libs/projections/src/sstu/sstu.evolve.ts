/**
 * The ССТУ read model as a pure fold: per appeal, what the monthly ССТУ.РФ export needs (registration
 * facts without personal data, and every change of its questions' statuses with its local date), and
 * the months in which the appeal belongs to an export (its registration month and the month of each
 * change). The export for a month folds the changes up to that month's last day (`sstuStateAt`), so a
 * past month's export stays the same whatever happened later.
 */
import type { AppealEnvelope } from '../shared/appeal-event';
import { monthStart, toLocalDate } from '../shared/business-date';
import {
  changesReadModel,
  readModelEventTypes,
  type FinalQuestionResult,
  type Form,
  type IsoDate,
  type QuestionResult,
  type SourceType,
} from '../shared/event-store';

/** Where the appeal came from, as registered (no personal data: the sending body and its letter). */
export interface SstuSource {
  type: SourceType;
  name?: string;
  reference?: string;
  date?: IsoDate;
}

/** One change of the questions' statuses, on an administration-local date. */
export type SstuChange =
  | {
      kind: 'answered';
      on: IsoDate;
      results: { questionCode: string; result: FinalQuestionResult; measuresTaken?: boolean }[];
    }
  | { kind: 'returned_for_rework'; on: IsoDate }
  | { kind: 'extended'; on: IsoDate }
  /** `questionCodes` absent: every question not forwarded before (all of them, in older events) */
  | { kind: 'forwarded'; on: IsoDate; to: string; reference?: string; questionCodes?: string[] }
  | { kind: 'withdrawn'; on: IsoDate }
  /** 59-FZ art. 11: every question not forwarded is left without an answer on the merits */
  | { kind: 'left_without_answer'; on: IsoDate }
  /**
   * Confirmed as a duplicate joined to its original (decision 0008): from this date the appeal is
   * reported with the original's results (docs/sstu.md, "Which records a month's export holds").
   */
  | { kind: 'joined'; on: IsoDate; originalAppealId: string }
  /** the join undone: the relation rejected, or the original confirmed as an earlier appeal of a repeat */
  | { kind: 'unjoined'; on: IsoDate; originalAppealId: string }
  /**
   * A confirmed duplicate that was not joined (an anonymous one off control, or confirmed before
   * decision 0008) answered with its original: its questions in work take `result`, as the appeal
   * machine gives them. A joined duplicate records no such change: it is reported with its original's
   * results already. `on`: when it was recorded on the duplicate.
   */
  | { kind: 'answered_with_original'; on: IsoDate; result: 'answered' | 'forwarded' | 'left_without_answer' };

/** `rm_sstu.appeals`: one row per appeal. */
export interface SstuAppealRow {
  appeal_id: string;
  number: string;
  received_on: IsoDate;
  registered_on: IsoDate;
  form: Form;
  source: SstuSource;
  /** the question codes in registration order */
  question_codes: string[];
  /** in position order */
  changes: SstuChange[];
  /** first days of the months whose export holds this appeal */
  months: IsoDate[];
  /** every original this appeal was ever joined to as a duplicate (indexed: an original's change brings it in) */
  originals: string[];
  position: number;
}

const withMonth = (months: IsoDate[], on: IsoDate): IsoDate[] => {
  const month = monthStart(on);
  return months.includes(month) ? months : [...months, month].sort();
};

const change = (row: SstuAppealRow, c: SstuChange, position: number): SstuAppealRow => ({
  ...row,
  changes: [...row.changes, c],
  months: withMonth(row.months, c.on),
  position,
});

/** Applies one event to one appeal's row; events before its registration are ignored. */
export function evolveSstu(
  current: SstuAppealRow | undefined,
  envelope: AppealEnvelope,
  timeZone: string,
): SstuAppealRow | undefined {
  const { appealId, position, event } = envelope;
  const local = (value: string): IsoDate => toLocalDate(value, timeZone);
  if (event.type === 'AppealRegistered') {
    if (current) return current;
    const d = event.data;
    const registeredOn = local(d.registeredAt);
    const s = d.source;
    return {
      appeal_id: appealId,
      number: d.number,
      received_on: local(d.receivedAt),
      registered_on: registeredOn,
      form: d.form,
      source: {
        type: s.type,
        ...(s.name !== undefined && { name: s.name }),
        ...(s.reference !== undefined && { reference: s.reference }),
        ...(s.date !== undefined && { date: s.date }),
      },
      question_codes: d.questions.map((q) => q.code),
      changes: [],
      months: [monthStart(registeredOn)],
      originals: [],
      position,
    };
  }
  if (!current) return undefined;
  // The events that name no `sstu` in the domain's EVENT_READ_MODELS change no status.
  if (!changesReadModel('sstu', event)) return current;
  switch (event.type) {
    case 'FinalAnswerSent':
      return change(
        current,
        {
          kind: 'answered',
          on: local(event.data.sentAt),
          results: event.data.results.map((r) => ({
            questionCode: r.questionCode,
            result: r.result,
            ...(r.measuresTaken !== undefined && { measuresTaken: r.measuresTaken }),
          })),
        },
        position,
      );
    case 'AnswerReturnedForRework':
      return change(current, { kind: 'returned_for_rework', on: local(event.data.returnedAt) }, position);
    case 'DeadlineExtended':
      return change(current, { kind: 'extended', on: local(event.data.extendedAt) }, position);
    case 'AppealForwardedByCompetence': {
      const d = event.data;
      return change(
        current,
        {
          kind: 'forwarded',
          on: local(d.sentAt),
          to: d.to,
          ...(d.reference !== undefined && { reference: d.reference }),
          ...(d.questionCodes !== undefined && { questionCodes: d.questionCodes }),
        },
        position,
      );
    }
    case 'AppealWithdrawn':
      return change(current, { kind: 'withdrawn', on: local(event.data.withdrawnAt) }, position);
    case 'AppealLeftWithoutAnswer':
      return change(current, { kind: 'left_without_answer', on: local(event.data.decidedAt) }, position);
    case 'RelatedAppealConfirmed': {
      // as the appeal machine: a duplicate confirmed with `joined` joins its original; confirming the
      // joined original as the earlier appeal of a repeat undoes the join
      const { relatedAppealId: id, kind, joined, decidedAt } = event.data;
      const on = local(decidedAt);
      if (kind === 'duplicate' && joined === true) {
        const row = change(current, { kind: 'joined', on, originalAppealId: id }, position);
        return row.originals.includes(id) ? row : { ...row, originals: [...row.originals, id] };
      }
      return kind === 'repeat' && joinedTo(current) === id
        ? change(current, { kind: 'unjoined', on, originalAppealId: id }, position)
        : current;
    }
    case 'RelatedAppealRejected': {
      const id = event.data.relatedAppealId;
      return joinedTo(current) === id
        ? change(
            current,
            { kind: 'unjoined', on: local(event.data.decidedAt), originalAppealId: id },
            position,
          )
        : current;
    }
    case 'AnsweredWithOriginal': {
      const d = event.data;
      // as the appeal machine's answerWithOriginal; a withdrawal answers no question
      const result = d.outcome === 'withdrawn' ? null : d.outcome;
      return joinedTo(current) !== undefined || result === null
        ? current
        : change(current, { kind: 'answered_with_original', on: local(d.recordedAt), result }, position);
    }
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** The original the appeal is joined to after all its changes (or dated up to `date`), if any. */
export function joinedTo(row: SstuAppealRow, date?: IsoDate): string | undefined {
  let original: string | undefined;
  for (const c of row.changes) {
    if (date !== undefined && c.on > date) continue;
    if (c.kind === 'joined') original = c.originalAppealId;
    else if (c.kind === 'unjoined' && c.originalAppealId === original) original = undefined;
  }
  return original;
}

/** Events that can change an appeal's row (the domain's EVENT_READ_MODELS); the others need no load or write. */
export const SSTU_EVENT_TYPES: ReadonlySet<string> = new Set(readModelEventTypes('sstu'));

/** One question as it stood on a date. */
export interface SstuQuestionState {
  code: string;
  result: QuestionResult;
  measuresTaken: boolean;
  /** the local date of the final answer (or forwarding) that gave the result; null while in work */
  resultOn: IsoDate | null;
  /** when forwarded by competence: the receiving body and the covering letter */
  transfer: { to: string; on: IsoDate; reference?: string } | null;
}

/** The appeal's questions as they stood at the end of `date` (changes dated after it are left out). */
export interface SstuAppealState {
  questions: SstuQuestionState[];
  /** the term was extended by then */
  extended: boolean;
  /** withdrawn by the applicant by then */
  withdrawn: boolean;
}

const inWork = (code: string): SstuQuestionState => ({
  code,
  result: 'in_work',
  measuresTaken: false,
  resultOn: null,
  transfer: null,
});

/**
 * Folds the changes dated up to and including `date`, as the appeal machine folds the events: a
 * final answer gives each question with a result's code that result; a return for rework puts every
 * question back in work; forwarding by competence forwards every question.
 */
export function sstuStateAt(row: SstuAppealRow, date: IsoDate): SstuAppealState {
  let questions = row.question_codes.map(inWork);
  let extended = false;
  let withdrawn = false;
  for (const c of row.changes) {
    if (c.on > date) continue;
    switch (c.kind) {
      case 'answered': {
        const byCode = new Map(c.results.map((r) => [r.questionCode, r]));
        questions = questions.map((q) => {
          const r = byCode.get(q.code);
          return r ? { ...q, result: r.result, measuresTaken: r.measuresTaken === true, resultOn: c.on } : q;
        });
        break;
      }
      case 'returned_for_rework':
        // forwarded questions stay forwarded through a rework
        questions = questions.map((q) => (q.result === 'forwarded' ? q : inWork(q.code)));
        break;
      case 'extended':
        extended = true;
        break;
      case 'forwarded': {
        const codes = c.questionCodes;
        questions = questions.map((q) =>
          (codes ? codes.includes(q.code) : q.result !== 'forwarded')
            ? {
                code: q.code,
                result: 'forwarded',
                measuresTaken: false,
                resultOn: c.on,
                transfer: {
                  to: c.to,
                  on: c.on,
                  ...(c.reference !== undefined && { reference: c.reference }),
                },
              }
            : q,
        );
        break;
      }
      case 'left_without_answer':
        questions = questions.map((q) =>
          q.result === 'forwarded'
            ? q
            : {
                code: q.code,
                result: 'left_without_answer',
                measuresTaken: false,
                resultOn: c.on,
                transfer: null,
              },
        );
        break;
      case 'withdrawn':
        withdrawn = true;
        break;
      case 'answered_with_original':
        questions = questions.map((q) =>
          q.result === 'in_work' ? { ...q, result: c.result, resultOn: c.on } : q,
        );
        break;
      case 'joined':
      case 'unjoined':
        // the appeal's own questions: the original's results are taken by `sstuReportedStateAt`
        break;
      default: {
        const unhandled: never = c;
        return unhandled;
      }
    }
  }
  return { questions, extended, withdrawn };
}
