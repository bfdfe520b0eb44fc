/**
 * Records a registration atomically: the applicants' keys, the registration number and the first
 * event of the stream commit together or not at all, so a refused or failed registration leaves no
 * key rows and skips no number (docs/architecture.md, "Registration is atomic"). With the events in
 * PostgreSQL that is one statement (`register_appeal()`), so the year's lock is never held across a
 * round trip to this process; registrations that arrive while one is being written are numbered and
 * committed together in one statement (`register_appeals_batch()`, registration-batcher.ts;
 * REGISTRATION_BATCH).
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { NumberTemplate } from '@appeal-ledger/appeal';
import {
  appendFailure,
  appendOutcome,
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
import {
  RegistrationBatcher,
  type RegistrationBatchStats,
  type RegistrationRequest,
  type RegistrationRow,
} from './registration-batcher';

export interface RegistrationWrite {
  streamId: string;
  year: number;
  keys: PreparedKeys;
  /** the stream's first event, built with the number taken; may throw (nothing is then stored) */
  event: (sequence: number) => NewEvent;
  /**
   * The event's `number` before the sequence is known: PostgreSQL fills it in under the year's lock
   * and sets it on the event built with sequence 1 (its other fields do not depend on the sequence).
   */
  number: NumberTemplate;
}

export interface RegistrationWritten extends AppendResult {
  /** false when the event was already stored (a retried registration): nothing was written now */
  written: boolean;
  /** the sequence taken (when written) */
  sequence?: number;
}

const REGISTER = `SELECT outcome, stream_revision, last_position, conflicting_event_id, sequence
                    FROM register_appeal($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`;

@Injectable()
export class RegistrationWriter {
  /** group commit of registrations (events in PostgreSQL and REGISTRATION_BATCH not off) */
  private readonly batcher: RegistrationBatcher | undefined;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly counter: RegistrationCounter,
    private readonly vault: PersonalDataVault,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'registrationBatch'>,
  ) {
    this.batcher =
      store instanceof PostgresEventStore && config.registrationBatch !== false
        ? new RegistrationBatcher(pool, (request) => this.alone(request), config.registrationBatch)
        : undefined;
  }

  /** What group commit of registrations has done so far (undefined when it is off). */
  batchStats(): RegistrationBatchStats | undefined {
    return this.batcher ? { ...this.batcher.stats } : undefined;
  }

  async write(registration: RegistrationWrite): Promise<RegistrationWritten> {
    if (this.store instanceof PostgresEventStore) return this.inOneStatement(this.store, registration);
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const written = await this.aroundExternalAppend(client, registration);
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

  /**
   * Events in PostgreSQL: one autocommitted statement takes the year's lock and the next sequence,
   * fills the number in, appends the event and stores the keys and the number — all or nothing.
   */
  private async inOneStatement(
    store: PostgresEventStore,
    { streamId, year, keys, event, number }: RegistrationWrite,
  ): Promise<RegistrationWritten> {
    const first = event(1);
    const request: RegistrationRequest = {
      year,
      number,
      streamId,
      event: first,
      appealId: keys.appealId,
      keySubjects: keys.keys.map((k) => k.subjectId),
      wrappedKeys: keys.keys.map((k) => k.wrapped),
    };
    let row: RegistrationRow;
    try {
      row = await (this.batcher ? this.batcher.register(request) : this.alone(request));
    } catch (error) {
      throw appendFailure(error, streamId, [first]);
    }
    const appended = appendOutcome(row, streamId, 'no_stream', [first]);
    if (!appended.written) return appended;
    this.vault.committed(keys);
    store.appended(appended.position);
    return { ...appended, sequence: row.sequence ?? undefined };
  }

  /** One registration, one autocommitted statement: register_appeal(). */
  private async alone(request: RegistrationRequest): Promise<RegistrationRow> {
    const { year, number, streamId, event, appealId, keySubjects, wrappedKeys } = request;
    const result = await this.pool.query<RegistrationRow>({
      name: 'register_appeal_v1',
      text: REGISTER,
      values: [
        year,
        number.parts,
        number.widths,
        streamId,
        event.id,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
        appealId,
        keySubjects,
        wrappedKeys,
      ],
    });
    return result.rows[0];
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
    return { ...appended, written: true, sequence };
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
