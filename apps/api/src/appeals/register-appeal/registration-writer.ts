/**
 * Records a registration atomically: the applicants' keys, the registration number and the first
 * event of the stream commit together or not at all, so a refused or failed registration leaves no
 * key rows and skips no number (docs/architecture.md, "Registration is atomic").
 *
 * Group commit (events in PostgreSQL): registrations of one year hold the year's numbering lock to
 * COMMIT, so they would commit one at a time. Instead, per year, a registration that arrives while
 * no batch of its year is in flight starts one at once (alone: no added latency at low load); those
 * arriving meanwhile wait and go together in the next batch (at most REGISTRATION_BATCH of them):
 * one transaction takes the lock and the numbers, starts every stream in one append_stream_starts()
 * call (positions for all in one locked step with the transaction id), stores all keys and the last
 * number, and commits once; each caller is answered after that COMMIT. If anything in a batch is not
 * plainly fine — a stream that exists or an event already stored (a retry), an error, an event that
 * cannot be built with its number — the batch is rolled back and its members are registered one at
 * a time as before, so one bad registration neither fails nor loses the others and takes no number.
 * docs/decisions/0007-group-commit-registrations.md.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import {
  EVENT_STORE,
  PostgresEventStore,
  StreamNotFoundError,
  type AppendResult,
  type EventStore,
  type NewEvent,
} from '@appeal-ledger/event-store';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { PG_POOL } from '../../infrastructure/infrastructure.module';
import { LOGGER } from '../../logging/logger.module';
import type { Logger } from '../../logging/logger';
import { PersonalDataVault, type PreparedKeys } from '../../personal-data/personal-data.vault';
import { RegistrationCounter } from './registration-counter';

export interface RegistrationWrite {
  streamId: string;
  year: number;
  keys: PreparedKeys;
  /** the stream's first event, built with the number taken; may throw (nothing is then stored) */
  event: (sequence: number) => NewEvent;
}

export interface RegistrationWritten extends AppendResult {
  /** false when the event was already stored (a retried registration): nothing was written now */
  written: boolean;
}

/** A registration waiting for its year's next batch. */
interface Waiting {
  registration: RegistrationWrite;
  resolve: (written: RegistrationWritten) => void;
  reject: (error: unknown) => void;
}

@Injectable()
export class RegistrationWriter {
  /** per year: the registrations waiting for the next batch, in arrival order */
  private readonly queues = new Map<number, Waiting[]>();
  /** years with a batch in flight */
  private readonly draining = new Set<number>();
  private readonly batchSize: number;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly counter: RegistrationCounter,
    private readonly vault: PersonalDataVault,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.batchSize = config.registrationBatchSize;
  }

  async write(registration: RegistrationWrite): Promise<RegistrationWritten> {
    // EventStoreDB: the append is outside the PostgreSQL transaction; one at a time, as before.
    if (!(this.store instanceof PostgresEventStore) || this.batchSize <= 1)
      return this.writeAlone(registration);
    const store = this.store;
    return new Promise<RegistrationWritten>((resolve, reject) => {
      const queue = this.queues.get(registration.year) ?? [];
      queue.push({ registration, resolve, reject });
      this.queues.set(registration.year, queue);
      if (!this.draining.has(registration.year)) {
        this.draining.add(registration.year);
        void this.drain(store, registration.year);
      }
    });
  }

  /** Registrations of `year` waiting for its next batch (not counting the batch in flight). */
  waiting(year: number): number {
    return this.queues.get(year)?.length ?? 0;
  }

  /** Runs the year's batches while registrations wait (the leader); settles every member. */
  private async drain(store: PostgresEventStore, year: number): Promise<void> {
    try {
      for (;;) {
        const queue = this.queues.get(year);
        if (!queue || queue.length === 0) break;
        const batch = this.nextBatch(queue);
        if (queue.length === 0) this.queues.delete(year);
        await this.runBatch(store, year, batch);
      }
    } finally {
      this.draining.delete(year);
    }
  }

  /**
   * Takes up to batchSize registrations from the queue, one per stream: a twin (same stream, the same
   * Idempotency-Key) stays for the next batch, where it meets the stored first one as a retry.
   */
  private nextBatch(queue: Waiting[]): Waiting[] {
    const batch: Waiting[] = [];
    const streams = new Set<string>();
    for (let i = 0; i < queue.length && batch.length < this.batchSize;) {
      const item = queue[i];
      if (streams.has(item.registration.streamId)) {
        i++;
        continue;
      }
      streams.add(item.registration.streamId);
      batch.push(item);
      queue.splice(i, 1);
    }
    return batch;
  }

  private async runBatch(store: PostgresEventStore, year: number, batch: Waiting[]): Promise<void> {
    const together = batch.length > 1 ? await this.writeTogether(store, year, batch) : undefined;
    if (together) {
      batch.forEach((item, i) => item.resolve(together[i]));
      return;
    }
    // Alone (one waiting, or the batch fell back): the path of one registration per transaction.
    for (const item of batch) {
      await this.writeAlone(item.registration).then(item.resolve, item.reject);
    }
  }

  /**
   * One transaction for the whole batch; undefined (everything rolled back) when any member is not
   * plainly fine, so the caller registers them one at a time.
   */
  private async writeTogether(
    store: PostgresEventStore,
    year: number,
    batch: Waiting[],
  ): Promise<RegistrationWritten[] | undefined> {
    const registrations = batch.map((item) => item.registration);
    const client = await this.pool.connect().catch((error: unknown) => {
      this.log.warn({ err: error, size: batch.length }, 'registration batch: no connection; one at a time');
      return undefined;
    });
    if (!client) return undefined;
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const first = await this.counter.reserve(client, year);
      const starts = registrations.map((r, i) => ({ streamId: r.streamId, event: r.event(first + i) }));
      // The batch's first write: every stream's first event, positions in one locked step.
      const outcomes = await store.appendStreamStartsInTransaction(client, starts);
      if (outcomes.some((o) => o.outcome !== 'ok')) {
        this.log.debug({ size: batch.length }, 'registration batch met a retry or a conflict; one at a time');
        await client.query('ROLLBACK');
        return undefined;
      }
      await this.vault.storeKeysOf(
        client,
        registrations.map((r) => r.keys),
      );
      await this.counter.commit(client, year, first + registrations.length - 1);
      await client.query('COMMIT');
      const positions = outcomes.map((o) => (o.outcome === 'ok' ? o.position : 0));
      store.appended(Math.max(...positions));
      for (const r of registrations) this.vault.committed(r.keys);
      return positions.map((position) => ({ nextExpectedRevision: 0, position, written: true }));
    } catch (error) {
      // Also when COMMIT itself failed: the members then run alone, and any whose event did commit
      // meets it as a retry (same event id) and is answered from the stored event.
      this.log.warn({ err: error, size: batch.length }, 'registration batch rolled back; one at a time');
      broken = await client.query('ROLLBACK').then(
        () => undefined,
        (rollbackError: unknown) =>
          rollbackError instanceof Error ? rollbackError : new Error('ROLLBACK failed'),
      );
      return undefined;
    } finally {
      client.release(broken);
    }
  }

  /** One registration in one transaction. */
  private async writeAlone(registration: RegistrationWrite): Promise<RegistrationWritten> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const written =
        this.store instanceof PostgresEventStore
          ? await this.inOneTransaction(client, this.store, registration)
          : await this.aroundExternalAppend(client, registration);
      if (written.written) this.vault.committed(registration.keys);
      return written;
    } catch (error) {
      broken = await client.query('ROLLBACK').then(
        () => undefined,
        (rollbackError: unknown) =>
          rollbackError instanceof Error ? rollbackError : new Error('ROLLBACK failed'),
      );
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** Events in PostgreSQL: the append, the keys and the number are one transaction. */
  private async inOneTransaction(
    client: PoolClient,
    store: PostgresEventStore,
    { streamId, year, keys, event }: RegistrationWrite,
  ): Promise<RegistrationWritten> {
    const sequence = await this.counter.reserve(client, year);
    // The append is the transaction's first write; keys and counter follow it.
    const appended = await store.appendInTransaction(client, streamId, [event(sequence)], 'no_stream');
    if (!appended.written) {
      await client.query('ROLLBACK');
      return appended;
    }
    await this.vault.storeKeys(client, keys);
    await this.counter.commit(client, year, sequence);
    await client.query('COMMIT');
    store.appended(appended.position);
    return appended;
  }

  /**
   * Events in EventStoreDB: keys and number are written in a PostgreSQL transaction that stays open
   * across the append and commits only after the append succeeded; a refused or failed append rolls
   * it back. If COMMIT itself fails after the event was stored, the keys and number are written
   * again in a fresh transaction (forward recovery), since the event now refers to them.
   */
  private async aroundExternalAppend(
    client: PoolClient,
    { streamId, year, keys, event }: RegistrationWrite,
  ): Promise<RegistrationWritten> {
    const sequence = await this.counter.reserve(client, year);
    // A twin with the same Idempotency-Key in another process held the year's lock until it had
    // appended and committed. EventStoreDB would answer our append of the same ids as a success, so
    // look first: our keys must not replace the ones its event was sealed with.
    const existing = await this.store
      .readStream(streamId, { direction: 'backwards', maxCount: 1 })
      .catch((error: unknown) => {
        if (error instanceof StreamNotFoundError) return [];
        throw error;
      });
    if (existing[0]) {
      await client.query('ROLLBACK');
      return { nextExpectedRevision: existing[0].revision, position: existing[0].position, written: false };
    }
    const first = event(sequence);
    await this.vault.storeKeys(client, keys);
    await this.counter.commit(client, year, sequence);
    const appended = await this.store.append(streamId, [first], 'no_stream');
    try {
      await client.query('COMMIT');
    } catch (error) {
      this.log.error(
        { err: error, streamId },
        'registration stored in the event store but its keys and number did not commit; writing them again',
      );
      await this.recover(year, sequence, keys);
    }
    return { ...appended, written: true };
  }

  private async recover(year: number, sequence: number, keys: PreparedKeys): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await this.vault.storeKeys(client, keys);
      await this.counter.commit(client, year, sequence);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
