/**
 * The journal read model as a pure fold: one row per registered appeal with what the web journal
 * lists and filters by. The life-cycle columns come from the control fold (same rules, one place);
 * the registration columns (channel, kind, territory, question codes) are the journal's own.
 */
import { evolveControl, type ControlAppealRow } from '../control/control.evolve';
import type { AppealEnvelope } from '../shared/appeal-event';
import { toLocalDate } from '../shared/business-date';
import type { AppealKind, Channel, IsoDate } from '../shared/event-store';

/** `rm_journal.appeals`: the control row plus what registration fixed. No personal data. */
export interface JournalAppealRow extends ControlAppealRow {
  received_on: IsoDate;
  channel: Channel;
  kind: AppealKind;
  territory: string | null;
  /** classifier codes of the appeal's questions, in registration order */
  question_codes: string[];
}

/** Applies one event to one appeal's journal row (undefined until the appeal is registered). */
export function evolveJournal(
  current: JournalAppealRow | undefined,
  envelope: AppealEnvelope,
  timeZone: string,
): JournalAppealRow | undefined {
  const change = evolveControl(current, envelope, timeZone);
  if (!change.row) return undefined;
  const { event } = envelope;
  if (event.type === 'AppealRegistered' && !current) {
    const d = event.data;
    return {
      ...change.row,
      received_on: toLocalDate(d.receivedAt, timeZone),
      channel: d.channel,
      kind: d.kind,
      territory: d.territory ?? null,
      question_codes: d.questions.map((q) => q.code),
    };
  }
  if (!current) return undefined;
  return { ...current, ...change.row };
}
