/**
 * The appeal's history in Russian words: each recorded event becomes «когда, кто, что» plus the
 * data that matters (the executor, the new due date, the results per question, the reason), as
 * ../shared/appeal-words.ts words each event.
 */
import type { AppealEventType } from '@appeal-ledger/appeal';
import { APPEAL_EVENT_TYPES } from '@appeal-ledger/appeal';
import { EVENT_WORDS, type EventData, type EventWords } from '../shared/appeal-words';
import { ruDateTime, ruDay } from '../shared/instant';

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
  const words = EVENT_WORDS[entry.type as AppealEventType] as EventWords<AppealEventType>;
  const data = entry.data as EventData<AppealEventType>;
  return { ...base, what: words.label, details: words.details(data, (instant) => ruDay(instant, timeZone)) };
}
