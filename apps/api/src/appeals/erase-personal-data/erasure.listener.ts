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
import { Client, type Pool } from 'pg';
import { PG_POOL } from '../../infrastructure/infrastructure.module';
import type { Logger } from '../../logging/logger';
import { LOGGER } from '../../logging/logger.module';
import { ERASURE_CHANNEL, PersonalDataVault } from '../../personal-data/personal-data.vault';
import { AppealRepository } from '../appeal.repository';

const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5000;

@Injectable()
export class ErasureListener implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private client: Client | undefined;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMs = RETRY_MIN_MS;
  /** notifications handled (tests wait for this rather than sleep) */
  private handled = 0;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly vault: PersonalDataVault,
    private readonly repository: AppealRepository,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.connect();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** Erasure notifications this instance has applied so far. */
  get notificationsHandled(): number {
    return this.handled;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.pool.options.connectionString });
    client.on('error', (error) => this.lost(client, error));
    try {
      await client.connect();
      await client.query(`LISTEN ${ERASURE_CHANNEL}`);
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    client.on('notification', (message) => {
      if (message.channel !== ERASURE_CHANNEL || !message.payload) return;
      void this.evict(message.payload);
    });
    client.on('end', () => this.lost(client));
    this.client = client;
    this.retryMs = RETRY_MIN_MS;
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

  private lost(client: Client, error?: unknown): void {
    if (this.stopped) return;
    if (this.client !== undefined && this.client !== client) return;
    if (error !== undefined)
      this.log.warn({ err: error }, 'erasure notifications: connection lost; retrying');
    this.client = undefined;
    client.end().catch(() => undefined);
    // A notification may have gone by unheard: nothing cached may outlive an erasure.
    this.vault.evictAll();
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }
}
