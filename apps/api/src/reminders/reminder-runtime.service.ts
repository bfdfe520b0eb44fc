/**
 * The reminder process in this instance: the tick (a reminder pass, then due e-mail digests) every
 * REMINDER_TICK_MS, the reminder feed projection behind GET /reminders, and the checkpointed
 * deliveries (webhook, e-mail outbox). Everything is safe to run in several instances at once:
 * reminder ids keep issuing single, advisory locks keep one active writer per delivery.
 */
import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import nodemailer from 'nodemailer';
import type { Pool } from 'pg';
import type { AppealRules } from '@appeal-ledger/appeal';
import { EVENT_STORE, runMigrations, type EventStore } from '@appeal-ledger/event-store';
import {
  CONTROL_PROJECTION,
  ControlProjection,
  ProjectionRunner,
  type Projection,
  type ProjectionLogger,
} from '@appeal-ledger/projections';
import {
  AppealNumbers,
  CheckpointedConsumer,
  EmailDigest,
  EmailOutbox,
  REMINDER_DELIVERY_MIGRATIONS,
  REMINDER_EVENT_TYPE,
  REMINDER_FEED_PROJECTION,
  REMINDER_MIGRATIONS_TABLE,
  ReminderFeedProjection,
  ReminderIssuer,
  ReminderProcess,
  WebhookDelivery,
  type MailTransport,
  type PassResult,
  type SentDigest,
} from '@appeal-ledger/reminders';
import { APPEAL_RULES } from '../appeals/appeal-rules.provider';
import { AppealRepository, EVENT_SCHEMA_VERSION } from '../appeals/appeal.repository';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PG_POOL } from '../infrastructure/infrastructure.module';
import type { Logger } from '../logging/logger';
import { LOGGER } from '../logging/logger.module';
import { CLOCK, type Clock } from '../shared/clock';
import { RepositoryAppealAccess } from './appeal-access.adapter';

export const WEBHOOK_CONSUMER = 'reminder-webhook';
export const EMAIL_OUTBOX_CONSUMER = 'reminder-email-outbox';
/** how long a pass waits for the control read model to reach the store's head */
const CATCH_UP_WAIT_MS = 5000;

/** The part of a nodemailer transporter the runtime owns. */
interface OwnedTransport extends MailTransport {
  close(): void;
}

@Injectable()
export class ReminderRuntime implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly process: ReminderProcess;
  readonly webhook: CheckpointedConsumer | null = null;
  readonly emailOutbox: CheckpointedConsumer | null = null;
  readonly digest: EmailDigest | null = null;
  private feedRunner: ProjectionRunner | null = null;
  /** the runner that projects the control read model (ours, or the app's) */
  private controlRunner: ProjectionRunner | null = null;
  private readonly transport: OwnedTransport | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** passes and digests run one at a time in this process (the tick and test calls alike) */
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private readonly streams = new Set<() => void>();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APPEAL_RULES) private readonly rules: AppealRules,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly moduleRef: ModuleRef,
    repository: AppealRepository,
  ) {
    const logger = this.log.child({ component: 'reminders' });
    this.process = new ReminderProcess({
      db: pool,
      issuer: new ReminderIssuer({
        access: new RepositoryAppealAccess(repository),
        rules,
        daysBefore: config.reminderDaysBefore,
        schemaVersion: EVENT_SCHEMA_VERSION,
      }),
      calendar: rules.calendar,
      timeZone: rules.timeZone,
      daysBefore: config.reminderDaysBefore,
      now: () => clock.now(),
      concurrency: Math.max(1, Math.min(8, Math.floor(config.databasePoolSize / 3))),
      logger,
    });
    const numbers = new AppealNumbers(store);
    const connection = { connectionString: pool.options.connectionString };
    if (config.reminderWebhookUrl) {
      const delivery = new WebhookDelivery({
        url: config.reminderWebhookUrl,
        numbers,
        initialBackoffMs: config.reminderWebhookBackoffMs,
        maxBackoffMs: config.reminderWebhookMaxBackoffMs,
        timeoutMs: config.reminderWebhookTimeoutMs,
        logger,
      });
      this.webhook = new CheckpointedConsumer({
        name: WEBHOOK_CONSUMER,
        store,
        connection,
        eventTypes: [REMINDER_EVENT_TYPE],
        handle: delivery.handle,
        logger,
      });
    }
    if (config.smtp) {
      const transport = nodemailer.createTransport(config.smtp.url);
      this.transport = transport;
      this.emailOutbox = new CheckpointedConsumer({
        name: EMAIL_OUTBOX_CONSUMER,
        store,
        connection,
        eventTypes: [REMINDER_EVENT_TYPE],
        handle: new EmailOutbox(pool, numbers).handle,
        logger,
      });
      this.digest = new EmailDigest({
        pool,
        transport,
        from: config.smtp.from,
        recipients: config.smtp.to,
        officeHours: config.smtp.officeHours,
        timeZone: rules.timeZone,
        calendar: rules.calendar,
        now: () => clock.now(),
        logger,
      });
    }
  }

  async onModuleInit(): Promise<void> {
    await runMigrations(this.pool, {
      table: REMINDER_MIGRATIONS_TABLE,
      migrations: REMINDER_DELIVERY_MIGRATIONS,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.feedRunner = new ProjectionRunner({
      store: this.store,
      projections: this.feedProjections(),
      pool: this.pool,
      connection: { connectionString: this.pool.options.connectionString },
      logger: projectionLogger(this.log.child({ component: 'reminder-feed' })),
    });
    this.controlRunner ??= this.feedRunner;
    await this.feedRunner.start({ project: this.config.runProjections });
    if (!this.config.runReminders) return;
    this.webhook?.start();
    this.emailOutbox?.start();
    this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const end of this.streams) end();
    await this.chain;
    await Promise.all([this.webhook?.stop(), this.emailOutbox?.stop(), this.feedRunner?.stop()]);
    this.transport?.close();
  }

  /** One reminder pass now (after a tick in flight, never alongside it). */
  runPass(): Promise<PassResult> {
    return this.exclusive(() => this.pass());
  }

  /** Sends the e-mail digests due now (none without SMTP settings or outside office hours). */
  runDigest(): Promise<SentDigest[]> {
    return this.exclusive(async () => (this.digest ? this.digest.run() : []));
  }

  /** True once the reminder feed has projected `position`, false after `timeoutMs`. */
  async waitForFeed(position: number, timeoutMs: number): Promise<boolean> {
    if (!this.feedRunner || this.stopped) return false;
    return this.feedRunner.waitForPosition(REMINDER_FEED_PROJECTION, position, timeoutMs);
  }

  async feedCheckpoint(): Promise<number> {
    return this.feedRunner ? this.feedRunner.checkpoint(REMINDER_FEED_PROJECTION) : 0;
  }

  /** Registers an open SSE stream, ended at shutdown; returns its removal. */
  trackStream(end: () => void): () => void {
    if (this.stopped) {
      end();
      return () => undefined;
    }
    this.streams.add(end);
    return () => this.streams.delete(end);
  }

  get isStopping(): boolean {
    return this.stopped;
  }

  /**
   * The feed, plus the control read model when no projection runner of the app runs it: candidate
   * selection needs it, and a runner per projection is lock-elected, so running it twice is safe.
   */
  private feedProjections(): Projection[] {
    const projections: Projection[] = [new ReminderFeedProjection()];
    let external: ProjectionRunner | undefined;
    try {
      external = this.moduleRef.get(ProjectionRunner, { strict: false });
    } catch {
      external = undefined;
    }
    if (external?.projectionNames.includes(CONTROL_PROJECTION)) {
      this.controlRunner = external;
    } else {
      projections.push(new ControlProjection({ timeZone: this.rules.timeZone }));
    }
    return projections;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.exclusive(() => this.tick()).finally(() => this.schedule(this.config.reminderTickMs));
    }, delayMs);
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work, work);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * A pass over the control read model as of now: it first waits (briefly) for the read model to
   * catch up with the store, so an appeal registered just before is seen by this pass.
   */
  private async pass(): Promise<PassResult> {
    const head = await this.store.headPosition();
    if (this.controlRunner && head > 0) {
      const caughtUp = await this.controlRunner.waitForPosition(CONTROL_PROJECTION, head, CATCH_UP_WAIT_MS);
      if (!caughtUp) this.log.warn({ head }, 'control read model lags; the reminder pass uses what it has');
    }
    return this.process.pass();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.pass();
    } catch (error) {
      this.log.warn({ err: error }, 'reminder pass failed; the next tick retries');
    }
    if (this.stopped || !this.digest) return;
    try {
      await this.digest.run();
    } catch (error) {
      this.log.warn({ err: error }, 'reminder e-mail digest failed; the next tick retries');
    }
  }
}

function projectionLogger(log: Logger): ProjectionLogger {
  return {
    info: (message, context) => log.info(context ?? {}, message),
    warn: (message, context) => log.warn(context ?? {}, message),
    error: (message, context) => log.error(context ?? {}, message),
  };
}
