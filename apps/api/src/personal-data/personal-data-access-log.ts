/**
 * The record of who opened which appeal's personal data, and when (152-FZ accountability): one row
 * per reading that decrypted an appeal's applicants or free text, in `personal_data_access_log` —
 * apart from the appeal's own events, written by the engine's runtime role, which may add rows and
 * never change or delete them.
 *
 * A reading (the card, `GET /appeals/{id}`, the history, the journal) is answered only once its row
 * is stored; rows of concurrent readings are stored together (one INSERT). A command's answer shows
 * the applicants too, but the command's own event — actor, time, appeal, durably stored before the
 * answer — already proves that actor worked on that appeal then; its row is written just after the
 * answer instead, gathered with others for up to AFTER_ANSWER_FLUSH_MS (one INSERT per batch, and
 * the rest on shutdown), which keeps one round trip off every command.
 */
import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Principal } from '../auth/principal';
import { PG_POOL } from '../infrastructure/infrastructure.module';
import type { Logger } from '../logging/logger';
import { LOGGER } from '../logging/logger.module';

/** What the personal data was opened for. */
export type AccessPurpose = 'appeal' | 'history' | 'journal' | 'sstu_export';

export interface AccessRecord {
  appealId: string;
  actor: { id: string; name: string };
  purpose: AccessPurpose;
  /** how many applicants were opened */
  applicants: number;
}

export interface AccessLogRow extends AccessRecord {
  id: string;
  accessedAt: string;
}

export interface AccessLogPage {
  rows: AccessLogRow[];
  /** pass as `cursor` for the next (older) page; null on the last page */
  nextCursor: string | null;
}

export interface AccessLogFilter {
  appealId?: string;
  /** instants, inclusive */
  fromMs?: number;
  toMs?: number;
  limit: number;
  cursor?: string;
}

/** How long a command answer's row may wait to be stored with others. */
export const AFTER_ANSWER_FLUSH_MS = 50;
/** A batch of command answers' rows is stored at once when it reaches this size. */
const AFTER_ANSWER_BATCH = 500;

/** `before-answer`: resolves once stored (readings); `after-answer`: queued (command answers). */
export type RecordTiming = 'before-answer' | 'after-answer';

interface Pending {
  records: AccessRecord[];
  done: Promise<void>;
}

@Injectable()
export class PersonalDataAccessLog implements BeforeApplicationShutdown {
  private pending: (Pending & { resolve: () => void; reject: (error: unknown) => void }) | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private queued: AccessRecord[] = [];
  private queueTimer: NodeJS.Timeout | undefined;
  private queueFlush: Promise<void> = Promise.resolve();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /**
   * Records that `principal` opened personal data of these appeals. `before-answer` (readings)
   * resolves once stored; `after-answer` (a command's answer, whose event is already stored) queues
   * the rows and resolves at once.
   */
  record(
    principal: Principal,
    purpose: AccessPurpose,
    appeals: { appealId: string; applicants: number }[],
    timing: RecordTiming = 'before-answer',
  ): Promise<void> {
    if (appeals.length === 0) return Promise.resolve();
    const records = appeals.map((a): AccessRecord => ({
      ...a,
      actor: { id: principal.id, name: principal.name },
      purpose,
    }));
    if (timing === 'after-answer') {
      this.queue(records);
      return Promise.resolve();
    }
    const batch = this.pending ?? this.open();
    batch.records.push(...records);
    return batch.done;
  }

  /** Stores the queued rows of command answers now; resolves once they (and earlier ones) are stored. */
  flushQueued(): Promise<void> {
    if (this.queueTimer) clearTimeout(this.queueTimer);
    this.queueTimer = undefined;
    const records = this.queued.splice(0);
    if (records.length > 0) {
      this.queueFlush = this.queueFlush.then(() =>
        this.insert(records).catch((error: unknown) => {
          this.log.error(
            { err: error, rows: records.length },
            'personal-data access log: rows of command answers not stored',
          );
        }),
      );
    }
    return this.queueFlush;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flushQueued();
  }

  private queue(records: AccessRecord[]): void {
    this.queued.push(...records);
    if (this.queued.length >= AFTER_ANSWER_BATCH) void this.flushQueued();
    // unref: a process ending on its own still runs the shutdown hook that stores them
    else this.queueTimer ??= setTimeout(() => void this.flushQueued(), AFTER_ANSWER_FLUSH_MS).unref();
  }

  private open(): Pending & { resolve: () => void; reject: (error: unknown) => void } {
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const batch = { records: [] as AccessRecord[], done, resolve, reject };
    this.pending = batch;
    // The batch closes when the previous one is stored: readings arriving meanwhile join it.
    this.flushing = this.flushing.then(async () => {
      if (this.pending === batch) this.pending = undefined;
      try {
        await this.insert(batch.records);
        batch.resolve();
      } catch (error) {
        batch.reject(error);
      }
    });
    return batch;
  }

  private async insert(records: AccessRecord[]): Promise<void> {
    await this.pool.query(
      `INSERT INTO personal_data_access_log (appeal_id, actor_id, actor_name, purpose, applicants)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int[])`,
      [
        records.map((r) => r.appealId),
        records.map((r) => r.actor.id),
        records.map((r) => r.actor.name),
        records.map((r) => r.purpose),
        records.map((r) => r.applicants),
      ],
    );
  }

  /** Newest first, keyset-paged by id; the rows this instance still holds are stored first. */
  async find(filter: AccessLogFilter): Promise<AccessLogPage> {
    await this.flushQueued();
    const values: unknown[] = [];
    const where: string[] = [];
    const param = (value: unknown): string => {
      values.push(value);
      return `$${values.length}`;
    };
    if (filter.appealId !== undefined) where.push(`appeal_id = ${param(filter.appealId)}::uuid`);
    if (filter.fromMs !== undefined)
      where.push(`accessed_at >= ${param(new Date(filter.fromMs).toISOString())}`);
    if (filter.toMs !== undefined) where.push(`accessed_at <= ${param(new Date(filter.toMs).toISOString())}`);
    if (filter.cursor !== undefined) where.push(`id < ${param(filter.cursor)}::bigint`);
    const { rows } = await this.pool.query<{
      id: string;
      accessed_at: Date;
      appeal_id: string;
      actor_id: string;
      actor_name: string;
      purpose: AccessPurpose;
      applicants: number;
    }>(
      `SELECT id::text AS id, accessed_at, appeal_id::text AS appeal_id, actor_id, actor_name, purpose, applicants
         FROM personal_data_access_log
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY id DESC LIMIT ${param(filter.limit + 1)}`,
      values,
    );
    const page = rows.slice(0, filter.limit).map((r): AccessLogRow => ({
      id: r.id,
      accessedAt: r.accessed_at.toISOString(),
      appealId: r.appeal_id,
      actor: { id: r.actor_id, name: r.actor_name },
      purpose: r.purpose,
      applicants: r.applicants,
    }));
    const last = page[page.length - 1];
    return { rows: page, nextCursor: rows.length > filter.limit && last ? last.id : null };
  }
}
