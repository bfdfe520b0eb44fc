/**
 * The statistics read model as a pure fold: one appeal's reportable facts, and the counters it
 * contributes to the month of its registration. The projection keeps the counters by applying the
 * difference of an appeal's contributions before and after each batch.
 */
import type { AppealEnvelope } from '../shared/appeal-event';
import { toLocalDate } from '../shared/business-date';
import {
  changesReadModel,
  readModelEventTypes,
  registeredLateOf,
  type AppealKind,
  type Channel,
  type ElectronicRoute,
  type Form,
  type IsoDate,
  type OfficialRole,
  type QuestionResult,
  type SourceType,
  type WithoutAnswerGround,
} from '../shared/event-store';

export type Disposition = 'final' | 'forwarded' | 'withdrawn' | 'without_answer';

export interface QuestionFact {
  code: string;
  result: QuestionResult;
  measuresTaken: boolean;
}

/** `rm_statistics.appeal_facts`: one row per appeal. */
export interface AppealFactsRow {
  appeal_id: string;
  registered_on: IsoDate;
  form: Form;
  channel: Channel;
  kind: AppealKind;
  source_type: SourceType;
  /** electronic appeals: the route (59-FZ art. 4 п.1), when recorded */
  electronic_route: ElectronicRoute | null;
  /** registered after the three days of 59-FZ art. 8 ч.2 */
  registered_late: boolean;
  repeat: boolean;
  /** the earlier appeal this one repeats: declared at registration or confirmed by the registrar */
  repeat_of: string | null;
  /** the appeal this one is a confirmed duplicate of: counted only as a duplicate (issue 15) */
  duplicate_of: string | null;
  collective: boolean;
  anonymous: boolean;
  reception_role: OfficialRole | null;
  reception_on_site: boolean;
  /** the final answer in force says the questions were considered with an on-site visit */
  on_site_visit: boolean;
  questions: QuestionFact[];
  /** in force now, extensions included */
  due_date: IsoDate;
  /** how consideration ended, if it has (a final answer returned for rework no longer counts) */
  disposition: Disposition | null;
  disposed_on: IsoDate | null;
  /** ended after the due date */
  late: boolean;
  /** put on further control after its final answer ("до принятия мер"), in force now */
  further_control: boolean;
  position: number;
  /** an answer is due (false: anonymous, registered off control, art. 11 ч.1) */
  answer_due: boolean;
  /** some or all of its questions were forwarded by competence (art. 8 ч.3) */
  forwarded: boolean;
  /** a forwarding was sent after the 7-day term */
  forwarded_late: boolean;
  /** left without an answer on the merits, on this ground (art. 11) */
  without_answer_ground: WithoutAnswerGround | null;
  /** the sending body asked for the result by this date (`source.reportBackBy`, issue 14); null when it did not */
  report_back_by: IsoDate | null;
  /** business date the result was reported to the sending body */
  reported_to_source_on: IsoDate | null;
  /** reported after `report_back_by` (as the domain judged it) */
  reported_to_source_late: boolean;
  /** a resolution named co-executors (issue 14; stays true when a later one names none) */
  co_executed: boolean;
}

/** Applies one event to one appeal's facts; events before its registration are ignored. */
export function evolveFacts(
  current: AppealFactsRow | undefined,
  envelope: AppealEnvelope,
  timeZone: string,
): AppealFactsRow | undefined {
  const { appealId, position, event } = envelope;
  const local = (value: string): IsoDate => toLocalDate(value, timeZone);
  if (event.type === 'AppealRegistered') {
    if (current) return current;
    const d = event.data;
    return {
      appeal_id: appealId,
      registered_on: local(d.registeredAt),
      form: d.form,
      channel: d.channel,
      kind: d.kind,
      source_type: d.source.type,
      electronic_route: d.electronicRoute ?? null,
      registered_late: registeredLateOf(d),
      repeat: d.repeatOf !== undefined,
      repeat_of: d.repeatOf ?? null,
      duplicate_of: null,
      collective: d.collective,
      anonymous: d.anonymous,
      reception_role: d.reception?.officialRole ?? null,
      reception_on_site: d.reception?.onSite ?? false,
      on_site_visit: false,
      questions: d.questions.map((q) => ({ code: q.code, result: 'in_work', measuresTaken: false })),
      due_date: d.dueDate,
      disposition: null,
      disposed_on: null,
      late: false,
      further_control: false,
      position,
      answer_due: d.onControl !== false,
      forwarded: false,
      forwarded_late: false,
      without_answer_ground: null,
      report_back_by: d.source.reportBackBy ?? null,
      reported_to_source_on: null,
      reported_to_source_late: false,
      co_executed: false,
    };
  }
  if (!current) return undefined;
  // The events that name no `statistics` in the domain's EVENT_READ_MODELS change no fact.
  if (!changesReadModel('statistics', event)) return current;
  switch (event.type) {
    case 'DeadlineExtended':
      return { ...current, due_date: event.data.dueDate, position };
    case 'FinalAnswerSent': {
      const d = event.data;
      // as the appeal machine does: a result applies to every question with its code
      const byCode = new Map(d.results.map((r) => [r.questionCode, r]));
      const questions = current.questions.map((q): QuestionFact => {
        const r = byCode.get(q.code);
        return r ? { code: q.code, result: r.result, measuresTaken: r.measuresTaken === true } : q;
      });
      return {
        ...current,
        questions,
        on_site_visit: d.onSiteVisit === true,
        disposition: 'final',
        disposed_on: local(d.sentAt),
        late: d.late,
        position,
      };
    }
    case 'AnswerReturnedForRework':
      if (current.disposition !== 'final') return { ...current, position };
      return {
        ...current,
        // a question forwarded by competence (a part, before the answer) stays forwarded
        questions: current.questions.map((q): QuestionFact =>
          current.forwarded && q.result === 'forwarded'
            ? q
            : { code: q.code, result: 'in_work', measuresTaken: false },
        ),
        on_site_visit: false,
        disposition: null,
        disposed_on: null,
        late: false,
        further_control: false,
        position,
      };
    case 'AppealForwardedByCompetence': {
      const d = event.data;
      const on = local(d.sentAt);
      // older events (no list) forward every question still in work
      const codes = d.questionCodes === undefined ? null : new Set(d.questionCodes);
      const questions = current.questions.map((q): QuestionFact =>
        q.result === 'in_work' && (codes === null || codes.has(q.code))
          ? { code: q.code, result: 'forwarded', measuresTaken: false }
          : q,
      );
      const flags = {
        forwarded: true,
        forwarded_late: current.forwarded_late || d.forwardedLate === true,
        position,
      };
      // a part forwarded: the rest stays in work, consideration goes on
      if (questions.some((q) => q.result === 'in_work')) return { ...current, ...flags, questions };
      return {
        ...current,
        ...flags,
        questions,
        disposition: 'forwarded',
        disposed_on: on,
        late: on > current.due_date,
      };
    }
    case 'AppealLeftWithoutAnswer': {
      const d = event.data;
      return {
        ...current,
        questions: current.questions.map((q): QuestionFact =>
          q.result === 'in_work' ? { code: q.code, result: 'left_without_answer', measuresTaken: false } : q,
        ),
        without_answer_ground: d.ground,
        disposition: 'without_answer',
        disposed_on: local(d.decidedAt),
        late: d.noticeLate === true,
        position,
      };
    }
    case 'AppealWithdrawn': {
      if (current.disposition !== null) return { ...current, position };
      const on = local(event.data.withdrawnAt);
      return { ...current, disposition: 'withdrawn', disposed_on: on, late: on > current.due_date, position };
    }
    case 'RelatedAppealConfirmed': {
      // one relation per pair, as the appeal machine keeps it
      const { relatedAppealId: id, kind } = event.data;
      const repeatOf = kind === 'repeat' ? id : current.repeat_of === id ? null : current.repeat_of;
      const duplicateOf =
        kind === 'duplicate' ? id : current.duplicate_of === id ? null : current.duplicate_of;
      return {
        ...current,
        repeat_of: repeatOf,
        repeat: repeatOf !== null,
        duplicate_of: duplicateOf,
        position,
      };
    }
    case 'RelatedAppealRejected': {
      const id = event.data.relatedAppealId;
      const repeatOf = current.repeat_of === id ? null : current.repeat_of;
      const duplicateOf = current.duplicate_of === id ? null : current.duplicate_of;
      return {
        ...current,
        repeat_of: repeatOf,
        repeat: repeatOf !== null,
        duplicate_of: duplicateOf,
        position,
      };
    }
    case 'FurtherControlSet':
      return { ...current, further_control: true, position };
    case 'ReportedToSource':
      return {
        ...current,
        reported_to_source_on: local(event.data.sentAt),
        reported_to_source_late: event.data.late,
        position,
      };
    case 'ResolutionRecorded':
      return {
        ...current,
        co_executed: current.co_executed === true || event.data.coExecutors.length > 0,
        position,
      };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** Events that can change an appeal's facts (the domain's EVENT_READ_MODELS); the others need no load or write. */
export const FACT_EVENT_TYPES: ReadonlySet<string> = new Set(readModelEventTypes('statistics'));

/**
 * Counter keys. Questions are counted per full code, so sections and the configured categories are
 * summed at query time and a change of category configuration needs no rebuild.
 */
export const counterKey = {
  appeals: 'appeals',
  form: (form: Form) => `form:${form}`,
  channel: (channel: Channel) => `channel:${channel}`,
  source: (source: SourceType) => `source:${source}`,
  kind: (kind: AppealKind) => `kind:${kind}`,
  repeat: 'repeat',
  /** confirmed duplicates: counted here and nowhere else (not as appeals, questions or repeats) */
  duplicates: 'duplicates',
  collective: 'collective',
  anonymous: 'anonymous',
  /** registered after the three days of 59-FZ art. 8 ч.2 */
  registeredLate: 'registered_late',
  electronicRoute: (route: ElectronicRoute) => `electronic_route:${route}`,
  /** put on further control after the final answer (issue 14) */
  furtherControl: 'further_control',
  /** ended late (the still-open part of answeredLate depends on the report date, so it is queried) */
  endedLate: 'ended_late',
  questions: 'questions',
  questionCode: (code: string) => `q.code:${code}`,
  questionResult: (result: QuestionResult) => `q.result:${result}`,
  measuresTaken: 'q.measures_taken',
  receptionQuestions: (role: OfficialRole) => `reception.questions:${role}`,
  receptionOnSite: (role: OfficialRole) => `reception.on_site:${role}`,
  /** appeals with questions forwarded by competence, and those forwarded after the 7-day term */
  forwarded: 'forwarded',
  forwardedLate: 'forwarded_late',
  withoutAnswer: (ground: WithoutAnswerGround) => `without_answer:${ground}`,
  /** the result reported to the sending body that asked for it, and of those after the date asked for (issue 14) */
  reportedToSource: 'reported_to_source',
  reportedToSourceLate: 'reported_to_source_late',
  /** appeals whose resolution named at least one co-executor (issue 14) */
  coExecuted: 'co_executed',
} as const;

/** What one appeal adds to the counters of its registration month. */
export function contributions(facts: AppealFactsRow): Map<string, number> {
  const out = new Map<string, number>();
  const add = (key: string, n = 1): void => {
    out.set(key, (out.get(key) ?? 0) + n);
  };
  // A duplicate is another copy of an appeal still being considered: it is answered once with its
  // original and counted only as a duplicate. (Rows stored before issue 15 have no duplicate_of.)
  if (facts.duplicate_of) {
    add(counterKey.duplicates);
    return out;
  }
  add(counterKey.appeals);
  add(counterKey.form(facts.form));
  add(counterKey.channel(facts.channel));
  add(counterKey.source(facts.source_type));
  add(counterKey.kind(facts.kind));
  if (facts.repeat) add(counterKey.repeat);
  if (facts.collective) add(counterKey.collective);
  if (facts.anonymous) add(counterKey.anonymous);
  if (facts.registered_late) add(counterKey.registeredLate);
  if (facts.electronic_route !== null) add(counterKey.electronicRoute(facts.electronic_route));
  if (facts.disposition !== null && facts.late) add(counterKey.endedLate);
  // rows stored before these columns existed read them as undefined
  if (facts.forwarded === true) add(counterKey.forwarded);
  if (facts.forwarded_late === true) add(counterKey.forwardedLate);
  if (facts.without_answer_ground != null) add(counterKey.withoutAnswer(facts.without_answer_ground));
  if (facts.further_control) add(counterKey.furtherControl);
  // rows folded before issue 14's report columns read them as undefined: nothing counted
  if (facts.reported_to_source_on != null) {
    add(counterKey.reportedToSource);
    if (facts.reported_to_source_late === true) add(counterKey.reportedToSourceLate);
  }
  // rows stored before the column existed read it as undefined
  if (facts.co_executed === true) add(counterKey.coExecuted);
  add(counterKey.questions, facts.questions.length);
  for (const q of facts.questions) {
    add(counterKey.questionCode(q.code));
    add(counterKey.questionResult(q.result));
    if (q.measuresTaken) add(counterKey.measuresTaken);
  }
  if (facts.reception_role !== null) {
    add(counterKey.receptionQuestions(facts.reception_role), facts.questions.length);
    if (facts.reception_on_site || facts.on_site_visit)
      add(counterKey.receptionOnSite(facts.reception_role), facts.questions.length);
  }
  return out;
}
