/**
 * The duplicate process (decision 0008): a confirmed duplicate is answered once with its original.
 * It reacts to two kinds of events, in the store's order:
 *
 * - the registrar confirming a duplicate (`RelatedAppealConfirmed`, kind duplicate) — remembered in
 *   `duplicate_links`; rejecting it (or confirming a repeat instead) forgets it. If the original has
 *   already been closed, the duplicate is answered at once;
 * - the original being closed (`AppealRemovedFromControl` after its final answer, a whole forwarding,
 *   `AppealLeftWithoutAnswer`, `AppealWithdrawn`) — every duplicate remembered for it is answered.
 *
 * "Answered" is the system command `RecordAnswerWithOriginal` on the duplicate's stream, through the
 * one command pipeline, with an event id derived from (duplicate, original): a retry, a replay from
 * checkpoint 0 or a second instance records it once; a duplicate that meanwhile got an answer of its
 * own, was closed, or is no longer a duplicate of that original is refused by the decider and left
 * as it is (logged). The original's state is read from its stream, never from a read model.
 */
import {
  APPEAL_STREAM_PREFIX,
  type RecordAnswerWithOriginal,
  type RegisteredAppealState,
} from '@appeal-ledger/appeal';
import type { RecordedEvent } from '@appeal-ledger/event-store';
import type { Pool } from 'pg';

/** The events the process reacts to. */
export const DUPLICATE_PROCESS_EVENT_TYPES = [
  'RelatedAppealConfirmed',
  'RelatedAppealRejected',
  'AppealRemovedFromControl',
  'AppealForwardedByCompetence',
  'AppealLeftWithoutAnswer',
  'AppealWithdrawn',
] as const;

/** Who the history shows as the author of AnsweredWithOriginal. */
export const DUPLICATE_PROCESS_ACTOR = { id: 'duplicate-process', name: 'Процесс дубликатов' } as const;

export type RecordOutcome = 'recorded' | 'already_recorded' | 'refused' | 'not_found';

export interface DuplicateAnswersDeps {
  db: Pick<Pool, 'query'>;
  /** the appeal's current state from its stream (undefined: no such appeal) */
  load(appealId: string): Promise<RegisteredAppealState | undefined>;
  /** runs the command on the duplicate through the command pipeline; throws on a transient failure */
  record(
    duplicateId: string,
    command: RecordAnswerWithOriginal,
  ): Promise<{ outcome: RecordOutcome; detail?: string }>;
  now(): string;
  log(level: 'info' | 'warn', fields: Record<string, unknown>, message: string): void;
}

type Ended = Pick<RecordAnswerWithOriginal['data'], 'outcome' | 'closedAt' | 'answer'>;

/**
 * How the original's consideration ended, or null while it goes on (a final answer not yet removed
 * from control can still be returned for rework, so the duplicate waits for the closing).
 */
export function originalEnding(original: RegisteredAppealState): Ended | null {
  if (original.status !== 'closed') return null;
  const c = original.context;
  const closedAt = c.closedAt;
  if (closedAt === null) return null;
  switch (c.closedReason) {
    case 'removed_from_control': {
      const answer = c.finalAnswer;
      return {
        outcome: 'answered',
        closedAt,
        ...(answer && {
          answer: {
            sentAt: answer.sentAt,
            ...(answer.document && {
              outgoingNumber: answer.document.outgoingNumber,
              outgoingDate: answer.document.outgoingDate,
            }),
          },
        }),
      };
    }
    case 'forwarded':
      return { outcome: 'forwarded', closedAt };
    case 'left_without_answer':
      return { outcome: 'left_without_answer', closedAt };
    case 'withdrawn':
      return { outcome: 'withdrawn', closedAt };
    case 'answered_with_original': {
      // the original was itself a duplicate: its own original's answer is the answer
      const inherited = c.answeredWithOriginal;
      if (!inherited) return null;
      return {
        outcome: inherited.outcome,
        closedAt,
        ...(inherited.answer && {
          answer: {
            sentAt: inherited.answer.sentAt,
            ...(inherited.answer.outgoingNumber !== null && {
              outgoingNumber: inherited.answer.outgoingNumber,
            }),
            ...(inherited.answer.outgoingDate !== null && { outgoingDate: inherited.answer.outgoingDate }),
          },
        }),
      };
    }
    case null:
      return null;
    default: {
      const unknown: never = c.closedReason;
      return unknown;
    }
  }
}

export class DuplicateAnswers {
  constructor(private readonly deps: DuplicateAnswersDeps) {}

  /**
   * Handles one event (any; those of other types are passed by). Safe to run again on the same event.
   * `'passed'`: it needed nothing — an original's closing with no duplicate waiting for it (nearly
   * every closing), an event of another type — so its delivery need not move the checkpoint alone.
   */
  readonly handle = async (event: RecordedEvent): Promise<void | 'passed'> => {
    if (!event.streamId.startsWith(APPEAL_STREAM_PREFIX)) return 'passed';
    const appealId = event.streamId.slice(APPEAL_STREAM_PREFIX.length);
    const { db } = this.deps;
    if (event.type === 'RelatedAppealConfirmed' || event.type === 'RelatedAppealRejected') {
      const data = event.data as { relatedAppealId?: unknown; kind?: unknown };
      if (typeof data.relatedAppealId !== 'string') return 'passed';
      if (event.type === 'RelatedAppealConfirmed' && data.kind === 'duplicate') {
        await db.query(
          `INSERT INTO duplicate_links (duplicate_id, original_id, position) VALUES ($1, $2, $3)
           ON CONFLICT (duplicate_id) DO UPDATE SET original_id = EXCLUDED.original_id, position = EXCLUDED.position`,
          [appealId, data.relatedAppealId, event.position],
        );
        await this.answer(appealId, data.relatedAppealId);
      } else {
        // rejected, or confirmed as a repeat instead: no longer waits for that original
        await db.query('DELETE FROM duplicate_links WHERE duplicate_id = $1 AND original_id = $2', [
          appealId,
          data.relatedAppealId,
        ]);
      }
      return;
    }
    if (!(DUPLICATE_PROCESS_EVENT_TYPES as readonly string[]).includes(event.type)) return 'passed';
    // asked at every closing of an appeal: prepared by name, so it is not planned at every call
    const { rows } = await db.query<{ duplicate_id: string }>({
      name: 'duplicate_links_of_original',
      text: 'SELECT duplicate_id FROM duplicate_links WHERE original_id = $1 ORDER BY position',
      values: [appealId],
    });
    if (rows.length === 0) return 'passed';
    for (const row of rows) await this.answer(row.duplicate_id, appealId);
  };

  /** Answers `duplicateId` with `originalId` if the original is closed now. */
  private async answer(duplicateId: string, originalId: string): Promise<void> {
    const original = await this.deps.load(originalId);
    if (!original) return;
    const ended = originalEnding(original);
    if (!ended) return;
    const { outcome, detail } = await this.deps.record(duplicateId, {
      type: 'RecordAnswerWithOriginal',
      data: {
        originalAppealId: originalId,
        originalNumber: original.context.number,
        ...ended,
        recordedAt: this.deps.now(),
      },
    });
    if (outcome === 'recorded' || outcome === 'already_recorded') {
      await this.deps.db.query('DELETE FROM duplicate_links WHERE duplicate_id = $1', [duplicateId]);
    } else {
      this.deps.log(
        'info',
        { duplicateId, originalId, outcome, detail },
        'duplicate not answered with its original: it has an answer of its own, is closed, or is no longer its duplicate',
      );
    }
  }
}
