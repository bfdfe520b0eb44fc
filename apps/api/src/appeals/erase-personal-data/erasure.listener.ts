/**
 * Erasure on every instance: each engine LISTENs on ERASURE_CHANNEL and, when another instance
 * erases an appeal's personal data, drops the applicants' keys, the plaintext it opened and the
 * appeal's cached state — at once, not at the next restart. A lost LISTEN connection may have
 * missed a notification: then every cached key and plaintext is dropped, and the connection retried.
 */
import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Pool } from 'pg';
import { PostgresNotificationListener } from '@appeal-ledger/event-store';
import { PG_POOL } from '../../infrastructure/infrastructure.module';
import type { Logger } from '../../logging/logger';
import { LOGGER } from '../../logging/logger.module';
import { ERASURE_CHANNEL, PersonalDataVault } from '../../personal-data/personal-data.vault';
import { AppealRepository } from '../appeal.repository';

@Injectable()
export class ErasureListener implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly listener: PostgresNotificationListener;
  private stopListening: (() => Promise<void>) | undefined;
  /** notifications handled (tests wait for this rather than sleep) */
  private handled = 0;

  constructor(
    @Inject(PG_POOL) pool: Pool,
    private readonly vault: PersonalDataVault,
    private readonly repository: AppealRepository,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    this.listener = new PostgresNotificationListener(
      { connectionString: pool.options.connectionString },
      ERASURE_CHANNEL,
      (error) => this.log.warn({ err: error }, 'erasure notifications: connection lost; retrying'),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    this.stopListening = this.listener.add((appealId) => {
      if (appealId) void this.evict(appealId);
      // (re)connected or lost: a notification may have gone by unheard, and nothing cached may
      // outlive an erasure
      else if (appealId === undefined) this.vault.evictAll();
    });
    await this.listener.listening();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stopListening?.();
    await this.listener.close();
  }

  /** Erasure notifications this instance has applied so far. */
  get notificationsHandled(): number {
    return this.handled;
  }

  private async evict(appealId: string): Promise<void> {
    this.repository.forget(appealId);
    try {
      await this.vault.evictAppeal(appealId);
    } catch (error) {
      this.log.warn(
        { err: error, appealId },
        'erasure: evicting by appeal failed; dropping every cached key',
      );
      this.vault.evictAll();
    }
    this.handled += 1;
  }
}
