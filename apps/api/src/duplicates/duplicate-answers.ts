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

/** The events that close an original (DUPLICATE_PROCESS_EVENT_TYPES without the link events). */
const CLOSINGS: ReadonlySet<string> = new Set(
  DUPLICATE_PROCESS_EVENT_TYPES.filter(
    (t) => t !== 'RelatedAppealConfirmed' && t !== 'RelatedAppealRejected',
  ),
);

export class DuplicateAnswers {
  /**
   * The duplicates waiting for each original that closes in the batch being delivered, read at once
   * by `prepare` (empty for nearly every one). An entry is used once, and all are dropped when the
   * process changes a link itself (a confirmed or rejected duplicate): `handle` then asks the table
   * as without them, so it never acts on a link the table no longer holds, nor misses a new one.
   */
  private waiting = new Map<string, string[]>();

  constructor(private readonly deps: DuplicateAnswersDeps) {}

  /**
   * Before a batch: one query for the duplicates of every original the batch closes, instead of one
   * per closing (nearly every appeal's closing asks, and nearly every answer is "none").
   */
  readonly prepare = async (events: readonly RecordedEvent[]): Promise<void> => {
    this.waiting = new Map();
    const originals = [
      ...new Set(
        events
          .filter((e) => CLOSINGS.has(e.type) && e.streamId.startsWith(APPEAL_STREAM_PREFIX))
          .map((e) => e.streamId.slice(APPEAL_STREAM_PREFIX.length)),
      ),
    ];
    if (originals.length === 0) return;
    const { rows } = await this.deps.db.query<{ original_id: string; duplicate_id: string }>({
      name: 'duplicate_links_of_originals',
      text: `SELECT original_id, duplicate_id FROM duplicate_links WHERE original_id = ANY($1::text[])
              ORDER BY original_id, position`,
      values: [originals],
    });
    const waiting = new Map(originals.map((id): [string, string[]] => [id, []]));
    for (const row of rows) waiting.get(row.original_id)?.push(row.duplicate_id);
    this.waiting = waiting;
  };

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
      this.waiting.clear();
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
    if (!CLOSINGS.has(event.type)) return 'passed';
    const duplicates = await this.waitingFor(appealId);
    if (duplicates.length === 0) return 'passed';
    for (const duplicateId of duplicates) await this.answer(duplicateId, appealId);
  };

  /** The duplicates waiting for `originalId`: from `prepare` (once), otherwise from the table. */
  private async waitingFor(originalId: string): Promise<string[]> {
    const prepared = this.waiting.get(originalId);
    if (prepared) {
      this.waiting.delete(originalId);
      return prepared;
    }
    // prepared by name, so it is not planned at every call
    const { rows } = await this.deps.db.query<{ duplicate_id: string }>({
      name: 'duplicate_links_of_original',
      text: 'SELECT duplicate_id FROM duplicate_links WHERE original_id = $1 ORDER BY position',
      values: [originalId],
    });
    return rows.map((row) => row.duplicate_id);
  }

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
