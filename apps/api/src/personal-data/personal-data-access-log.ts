/**
 * The record of who opened which appeal's personal data, and when (152-FZ accountability): one row
 * per reading that decrypted an appeal's applicants or free text, in `personal_data_access_log` —
 * apart from the appeal's own events, written by the engine's runtime role, which may add rows and
 * never change or delete them. A reading is answered only once its row is stored; rows of concurrent
 * readings are stored together (one INSERT), so the record costs one round trip per batch.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Principal } from '../auth/principal';
import { PG_POOL } from '../infrastructure/infrastructure.module';

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

interface Pending {
  records: AccessRecord[];
  done: Promise<void>;
}

@Injectable()
export class PersonalDataAccessLog {
  private pending: (Pending & { resolve: () => void; reject: (error: unknown) => void }) | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Records that `principal` opened personal data of these appeals; resolves once stored. */
  record(
    principal: Principal,
    purpose: AccessPurpose,
    appeals: { appealId: string; applicants: number }[],
  ): Promise<void> {
    if (appeals.length === 0) return Promise.resolve();
    const batch = this.pending ?? this.open();
    for (const a of appeals) {
      batch.records.push({ ...a, actor: { id: principal.id, name: principal.name }, purpose });
    }
    return batch.done;
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

  /** Newest first, keyset-paged by id. */
  async find(filter: AccessLogFilter): Promise<AccessLogPage> {
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
