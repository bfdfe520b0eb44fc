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
  type AppealKind,
  type Channel,
  type Form,
  type IsoDate,
  type OfficialRole,
  type QuestionResult,
  type SourceType,
} from '../shared/event-store';

export type Disposition = 'final' | 'forwarded' | 'withdrawn';

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
  repeat: boolean;
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
      repeat: d.repeatOf !== undefined,
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
        questions: current.questions.map((q) => ({ code: q.code, result: 'in_work', measuresTaken: false })),
        on_site_visit: false,
        disposition: null,
        disposed_on: null,
        late: false,
        further_control: false,
        position,
      };
    case 'AppealForwardedByCompetence': {
      const on = local(event.data.sentAt);
      return {
        ...current,
        questions: current.questions.map((q) => ({
          code: q.code,
          result: 'forwarded',
          measuresTaken: false,
        })),
        disposition: 'forwarded',
        disposed_on: on,
        late: on > current.due_date,
        position,
      };
    }
    case 'AppealWithdrawn': {
      if (current.disposition !== null) return { ...current, position };
      const on = local(event.data.withdrawnAt);
      return { ...current, disposition: 'withdrawn', disposed_on: on, late: on > current.due_date, position };
    }
    case 'FurtherControlSet':
      return { ...current, further_control: true, position };
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
  collective: 'collective',
  anonymous: 'anonymous',
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
} as const;

/** What one appeal adds to the counters of its registration month. */
export function contributions(facts: AppealFactsRow): Map<string, number> {
  const out = new Map<string, number>();
  const add = (key: string, n = 1): void => {
    out.set(key, (out.get(key) ?? 0) + n);
  };
  add(counterKey.appeals);
  add(counterKey.form(facts.form));
  add(counterKey.channel(facts.channel));
  add(counterKey.source(facts.source_type));
  add(counterKey.kind(facts.kind));
  if (facts.repeat) add(counterKey.repeat);
  if (facts.collective) add(counterKey.collective);
  if (facts.anonymous) add(counterKey.anonymous);
  if (facts.disposition !== null && facts.late) add(counterKey.endedLate);
  if (facts.further_control) add(counterKey.furtherControl);
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
