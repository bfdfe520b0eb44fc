/**
 * Deletes expired Idempotency-Keys periodically: every IDEMPOTENCY_KEY_TTL, at least once an hour and
 * at most once a second. Safe in several instances at once (a DELETE by age).
 */
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import type { Logger } from '../logging/logger';
import { LOGGER } from '../logging/logger.module';
import { IdempotencyStore } from './idempotency.store';

@Injectable()
export class IdempotencyPurge implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: IdempotencyStore,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  get intervalMs(): number {
    return Math.max(1000, Math.min(this.store.ttlSeconds * 1000, 3_600_000));
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running = this.store.purgeExpired().then(
        (purged) => {
          if (purged > 0) this.log.debug({ purged }, 'expired idempotency keys purged');
        },
        (error: unknown) => this.log.warn({ err: error }, 'purging expired idempotency keys failed'),
      );
    }, this.intervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
