/**
 * The appeal's history in Russian words: each recorded event becomes «когда, кто, что» plus the
 * data that matters (the executor, the new due date, the results per question, the reason).
 */
import type { AnswerDocumentFields, AppealEvent, AppealEventType } from '@appeal-ledger/appeal';
import { APPEAL_EVENT_TYPES } from '@appeal-ledger/appeal';
import { ruDateTime, ruDay } from '../shared/instant';
import {
  CHANNEL_LABELS,
  DELIVERY_LABELS,
  EVENT_LABELS,
  KIND_LABELS,
  REMINDER_KIND_LABELS,
  RESULT_LABELS,
  SOURCE_LABELS,
  ruDate,
} from '../shared/labels';

/** An entry of GET /appeals/{id}/history (the fields the page uses) */
export interface HistoryEntryInput {
  revision: number;
  type: string;
  occurredAt: string;
  recordedAt: string;
  actor: { id: string; name: string };
  data: object;
}

export interface HistoryLine {
  revision: number;
  /** business time of the fact */
  when: string;
  /** when it was written down, if another day than `when` */
  recorded: string | null;
  who: string;
  what: string;
  details: string[];
}

const KNOWN = new Set<string>(APPEAL_EVENT_TYPES);

export function describeHistoryEntry(entry: HistoryEntryInput, timeZone: string): HistoryLine {
  const when = ruDateTime(entry.occurredAt, timeZone);
  const recorded = ruDateTime(entry.recordedAt, timeZone);
  const base = {
    revision: entry.revision,
    when,
    recorded: recorded.slice(0, 10) === when.slice(0, 10) ? null : recorded,
    who: entry.actor.name || entry.actor.id,
  };
  if (!KNOWN.has(entry.type)) return { ...base, what: entry.type, details: [] };
  const event = { type: entry.type as AppealEventType, data: entry.data } as unknown as AppealEvent;
  return { ...base, what: EVENT_LABELS[event.type], details: detailsOf(event, timeZone) };
}

function detailsOf(event: AppealEvent, timeZone: string): string[] {
  const day = (value: string): string => ruDay(value, timeZone);
  switch (event.type) {
    case 'AppealRegistered': {
      const d = event.data;
      const names = d.applicants.map((a) => (a.erased ? 'данные удалены' : (a.name ?? 'аноним'))).join(', ');
      return [
        `Рег. № ${d.number} от ${ruDate(d.registeredAt)}, поступило ${ruDate(d.receivedAt)}`,
        `${CHANNEL_LABELS[d.channel]}, ${KIND_LABELS[d.kind].toLowerCase()}; ${SOURCE_LABELS[d.source.type].toLowerCase()}${d.source.name ? ` (${d.source.name})` : ''}`,
        ...(names ? [`Заявители: ${names}`] : []),
        `Вопросы: ${d.questions.map((q) => q.code).join(', ')}`,
        `Срок: ${ruDate(d.dueDate)}`,
      ];
    }
    case 'ExecutorAssigned': {
      const d = event.data;
      return [
        `Исполнитель: ${d.executor.name}, ${d.department}`,
        ...(d.instructions ? [`Поручение: ${d.instructions}`] : []),
      ];
    }
    case 'ExecutorReassigned': {
      const d = event.data;
      return [
        `Был: ${d.previousExecutor.name}, ${d.previousDepartment}`,
        `Стал: ${d.executor.name}, ${d.department}`,
        ...(d.instructions ? [`Поручение: ${d.instructions}`] : []),
      ];
    }
    case 'DeadlineExtended': {
      const d = event.data;
      return [
        `На ${d.days} дн.: срок ${ruDate(d.previousDueDate)} → ${ruDate(d.dueDate)}`,
        `Причина: ${d.reason}`,
      ];
    }
    case 'InterimAnswerSent': {
      const d = event.data;
      return [
        `Отправлен ${day(d.sentAt)}: ${d.summary}`,
        ...(d.finalAnswerBy ? [`Окончательный ответ к ${ruDate(d.finalAnswerBy)}`] : []),
        ...answerDocumentLines(d),
      ];
    }
    case 'FinalAnswerSent': {
      const d = event.data;
      return [
        `Отправлен ${day(d.sentAt)}${d.late ? ' — с нарушением срока' : ''}: ${d.summary}`,
        ...d.results.map(
          (r) => `${r.questionCode}: ${RESULT_LABELS[r.result]}${r.measuresTaken ? ', меры приняты' : ''}`,
        ),
        ...(d.onSiteVisit ? ['С выездом на место'] : []),
        ...answerDocumentLines(d),
      ];
    }
    case 'AnswerReturnedForRework':
      return [`Причина: ${event.data.reason}`];
    case 'AppealForwardedByCompetence': {
      const d = event.data;
      return [`Куда: ${d.to}${d.reference ? `, исх. № ${d.reference}` : ''}, ${day(d.sentAt)}`];
    }
    case 'AppealWithdrawn':
      return event.data.reason ? [`Причина: ${event.data.reason}`] : [];
    case 'AppealRemovedFromControl':
      return [`Дата: ${day(event.data.closedAt)}`];
    case 'DeadlineReminderIssued': {
      const d = event.data;
      return [
        `${REMINDER_KIND_LABELS[d.kind]}: срок ${ruDate(d.dueDate)}${d.executor ? `, ${d.executor.name}` : ''}`,
      ];
    }
    case 'DocumentsRequested': {
      const d = event.data;
      return [
        `Куда: ${d.to}${d.reference ? `, исх. № ${d.reference}` : ''}, ${day(d.sentAt)}`,
        `Ответ до ${ruDate(d.replyDueDate)} (ч. 2 ст. 10 59-ФЗ)`,
      ];
    }
    case 'DocumentsReceived':
      return [`Получен ${day(event.data.receivedAt)}`];
    case 'ReportedToSource': {
      const d = event.data;
      return [
        `Исх. № ${d.reference}, ${day(d.sentAt)}${d.late ? ' — позже запрошенного срока' : ''}`,
        `Запрошено к ${ruDate(d.reportBackBy)}`,
      ];
    }
    case 'FurtherControlSet':
      return [`До ${ruDate(event.data.until)}: ${event.data.reason}`];
    case 'MeasuresCompleted':
      return [`Дата: ${day(event.data.completedAt)}`];
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** The answer's outgoing document (59-FZ art. 10 ч.4), when the answer recorded one. */
function answerDocumentLines(d: AnswerDocumentFields): string[] {
  if (d.outgoingNumber === undefined || d.outgoingDate === undefined) return [];
  const signed = d.signedBy ? `, подписал ${d.signedBy.position} ${d.signedBy.name}` : '';
  const delivery = d.delivery ? `, ${DELIVERY_LABELS[d.delivery]}` : '';
  return [`Исх. № ${d.outgoingNumber} от ${ruDate(d.outgoingDate)}${signed}${delivery}`];
}
