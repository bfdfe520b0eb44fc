/**
 * Runs the duplicate process (duplicate-answers.ts, decision 0008) in this instance when it projects
 * read models (`RUN_PROJECTIONS`): a checkpointed consumer of the events it reacts to, one active
 * instance across processes (advisory lock), the others on standby; at-least-once, in the store's
 * order, restart-safe (checkpoint `duplicate-answers` in reminder_delivery_checkpoints).
 */
import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Pool } from 'pg';
import { decide, initialState, type AppealRules } from '@appeal-ledger/appeal';
import { EVENT_STORE, type EventStore } from '@appeal-ledger/event-store';
import { DeliveryConsumer } from '@appeal-ledger/reminders';
import { AppealCommandService } from '../appeals/appeal-command.service';
import { APPEAL_RULES } from '../appeals/appeal-rules.provider';
import { EVENT_SCHEMA_VERSION } from '../appeals/appeal.repository';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PG_POOL } from '../infrastructure/infrastructure.module';
import type { Logger } from '../logging/logger';
import { LOGGER } from '../logging/logger.module';
import { CLOCK, type Clock } from '../shared/clock';
import {
  DUPLICATE_PROCESS_ACTOR,
  DUPLICATE_PROCESS_EVENT_TYPES,
  DuplicateAnswers,
  type RecordOutcome,
} from './duplicate-answers';

export const DUPLICATE_PROCESS_CONSUMER = 'duplicate-answers';

@Injectable()
export class DuplicateProcess implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly consumer: DeliveryConsumer;

  constructor(
    @Inject(PG_POOL) pool: Pool,
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APPEAL_RULES) rules: AppealRules,
    @Inject(CLOCK) clock: Clock,
    @Inject(LOGGER) log: Logger,
    commands: AppealCommandService,
  ) {
    const logger = log.child({ component: 'duplicates' });
    const process = new DuplicateAnswers({
      db: pool,
      load: async (id) => (await commands.repository.load(id))?.state,
      record: async (duplicateId, command) => {
        const commandId = `answer-with-original/${duplicateId}/${command.data.originalAppealId}`;
        const outcome = await commands.pipeline.handle(
          duplicateId,
          {
            command: () => command,
            decide: (c, appeal) => decide(c, appeal?.state ?? initialState(), rules),
          },
          {
            commandId,
            refusalMayBeStale: (refusal) => refusal.reason === 'not_allowed',
            metadata: (id) => ({
              occurredAt: command.data.recordedAt,
              actor: { ...DUPLICATE_PROCESS_ACTOR },
              commandId: id,
              correlationId: id,
              causationId: id,
              schemaVersion: EVENT_SCHEMA_VERSION,
              command: command.type,
            }),
          },
        );
        switch (outcome.status) {
          case 'done':
            return { outcome: outcome.written ? 'recorded' : 'already_recorded' };
          case 'not_found':
            return { outcome: 'not_found' };
          case 'refused':
            return { outcome: 'refused', detail: outcome.refusal.message };
          case 'contention':
            // transient: thrown, so the consumer tries the event again from its checkpoint
            throw new Error(`duplicate ${duplicateId}: lost ${outcome.attempts} races to other writers`);
          case 'forbidden':
          case 'precondition_failed':
          case 'idempotency_key_reused':
            throw new Error(`duplicate process: unexpected pipeline outcome ${outcome.status}`);
          default: {
            const never: never = outcome;
            throw new Error(`unknown outcome ${JSON.stringify(never)}`);
          }
        }
      },
      now: () => clock.now().toISOString(),
      log: (level, fields, message) => logger[level](fields, message),
    });
    this.consumer = new DeliveryConsumer({
      name: DUPLICATE_PROCESS_CONSUMER,
      store,
      connection: { connectionString: pool.options.connectionString },
      eventTypes: DUPLICATE_PROCESS_EVENT_TYPES,
      handle: (event) => process.handle(event),
      prepare: (events) => process.prepare(events),
      logger,
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.runProjections) this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }

  /** True once the process has handled every event up to `position` (false after `timeoutMs`). */
  waitForPosition(position: number, timeoutMs: number): Promise<boolean> {
    return this.consumer.waitForPosition(position, timeoutMs);
  }
}

export type { RecordOutcome };
