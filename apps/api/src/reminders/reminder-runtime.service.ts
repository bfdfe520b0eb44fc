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
} from '@nestjs/common';
import nodemailer from 'nodemailer';
import SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { Pool } from 'pg';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { AppealRules } from '@appeal-ledger/appeal';
import { EVENT_STORE, type EventStore } from '@appeal-ledger/event-store';
import { CONTROL_PROJECTION, type ProjectionRunner } from '@appeal-ledger/projections';
import {
  AppealNumbers,
  CoExecutorReminders,
  countConsumerQuarantine,
  DeliveryConsumer,
  EmailDigest,
  EmailOutbox,
  REMINDER_EVENT_TYPE,
  REMINDER_FEED_PROJECTION,
  ReminderIssuer,
  ReminderProcess,
  WebhookDelivery,
  type MailTransport,
  type PassResult,
  type SentDigest,
} from '@appeal-ledger/reminders';
import { AppealCommandService } from '../appeals/appeal-command.service';
import { APPEAL_RULES } from '../appeals/appeal-rules.provider';
import { AppealRepository, EVENT_SCHEMA_VERSION } from '../appeals/appeal.repository';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PG_POOL } from '../infrastructure/infrastructure.module';
import { HealthRegistry, type HealthCheck } from '../health/health.registry';
import { ProjectionsService } from '../read-models/projections.service';
import { EngineMetrics } from '../metrics/metrics';
import type { Logger } from '../logging/logger';
import { LOGGER } from '../logging/logger.module';
import { CLOCK, type Clock } from '../shared/clock';
import { RepositoryAppealAccess } from './appeal-access.adapter';
import { resolveWebhookSecret } from './webhook-secret';

export const WEBHOOK_CONSUMER = 'reminder-webhook';
export const EMAIL_OUTBOX_CONSUMER = 'reminder-email-outbox';
/** how long a pass waits for the control read model to reach the store's head */
const CATCH_UP_WAIT_MS = 5000;

/** The part of a nodemailer transporter the runtime owns. */
interface OwnedTransport extends MailTransport {
  close(): void;
}

@Injectable()
export class ReminderRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly process: ReminderProcess;
  /** reminders to co-executors of their parts (issue 14), issued after each pass of the appeals' own */
  readonly coExecutorReminders: CoExecutorReminders;
  readonly webhook: DeliveryConsumer | null = null;
  readonly emailOutbox: DeliveryConsumer | null = null;
  readonly digest: EmailDigest | null = null;
  /** the app's projection runner: it projects the control read model and the reminder feed */
  private readonly runner: ProjectionRunner;
  private readonly transport: OwnedTransport | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** passes and digests run one at a time in this process (the tick and test calls alike) */
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private readonly streams = new Set<() => void>();
  private readonly issuedTotal: Counter<'kind'>;
  private readonly passSeconds: Histogram;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APPEAL_RULES) private readonly rules: AppealRules,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly log: Logger,
    projections: ProjectionsService,
    healthChecks: HealthRegistry,
    repository: AppealRepository,
    commands: AppealCommandService,
    metrics: EngineMetrics,
  ) {
    this.runner = projections.runner;
    healthChecks.add(() => this.health());
    const logger = this.log.child({ component: 'reminders' });
    this.issuedTotal = new Counter({
      name: 'appeal_ledger_reminders_issued_total',
      help: 'Deadline reminders this instance recorded, by kind',
      labelNames: ['kind'] as const,
      registers: [metrics.registry],
    });
    this.passSeconds = new Histogram({
      name: 'appeal_ledger_reminder_pass_duration_seconds',
      help: 'Duration of one reminder pass (selection, checks and appends)',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [metrics.registry],
    });
    const deliveries = (): DeliveryConsumer[] =>
      [this.webhook, this.emailOutbox].filter((c): c is DeliveryConsumer => c !== null);
    new Gauge({
      name: 'appeal_ledger_reminder_delivery_position',
      help: 'Last position a reminder delivery acknowledged while active in this instance',
      labelNames: ['consumer'] as const,
      registers: [metrics.registry],
      collect() {
        for (const consumer of deliveries())
          if (consumer.position !== null) this.set({ consumer: consumer.name }, consumer.position);
      },
    });
    new Gauge({
      name: 'appeal_ledger_reminder_delivery_quarantined_events',
      help: 'Reminder events a delivery could not handle and skipped (table reminder_delivery_quarantine)',
      labelNames: ['consumer'] as const,
      registers: [metrics.registry],
      async collect() {
        const names = deliveries().map((c) => c.name);
        if (names.length === 0) return;
        for (const [name, count] of Object.entries(await countConsumerQuarantine(pool, names)))
          this.set({ consumer: name }, count);
      },
    });
    const issuer = new ReminderIssuer({
      access: new RepositoryAppealAccess(repository),
      rules,
      daysBefore: config.reminderDaysBefore,
      schemaVersion: EVENT_SCHEMA_VERSION,
    });
    this.process = new ReminderProcess({
      db: pool,
      // queued behind this process's commands to the same appeal, so neither loses a revision race to the other
      issuer: {
        issue: (appealId, businessDate, issuedAt, subject) =>
          commands.serialize(appealId, () => issuer.issue(appealId, businessDate, issuedAt, subject)),
        prefetch: (appealIds) => issuer.prefetch(appealIds),
      },
      calendar: rules.calendar,
      timeZone: rules.timeZone,
      daysBefore: config.reminderDaysBefore,
      now: () => clock.now(),
      // appends dominate a pass that issues many: group commit rewards a few in flight, the HTTP side keeps half the pool
      concurrency: Math.max(1, Math.min(16, Math.floor(config.databasePoolSize / 2))),
      logger,
    });
    this.coExecutorReminders = new CoExecutorReminders({
      access: new RepositoryAppealAccess(repository),
      rules,
      daysBefore: config.reminderDaysBefore,
      schemaVersion: EVENT_SCHEMA_VERSION,
      db: pool,
      calendar: rules.calendar,
      timeZone: rules.timeZone,
      now: () => clock.now(),
      serialize: (appealId, work) => commands.serialize(appealId, work),
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
        // every body signed (X-Appeal-Ledger-Signature; docs/webhooks.md)
        secret: resolveWebhookSecret({
          webhookSecret: config.hardening.webhookSecret,
          dataDir: config.dataDir,
        }),
      });
      this.webhook = new DeliveryConsumer({
        name: WEBHOOK_CONSUMER,
        store,
        connection,
        eventTypes: [REMINDER_EVENT_TYPE],
        handle: delivery.handle,
        logger,
      });
    }
    if (config.smtp) {
      // STARTTLS required unless SMTP_REQUIRE_TLS=false: no credentials or mail over plain text
      // (the SMTP transport itself: createTransport() given a URL drops every other option)
      const transport = nodemailer.createTransport(
        new SMTPTransport({ url: config.smtp.url, requireTLS: config.hardening.smtpRequireTls }),
      );
      this.transport = transport;
      this.emailOutbox = new DeliveryConsumer({
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

  onApplicationBootstrap(): void {
    if (!this.config.runReminders) return;
    this.webhook?.start();
    this.emailOutbox?.start();
    // the first tick is queued now, so a pass or digest asked for after start-up runs after it
    void this.exclusive(() => this.tick()).finally(() => this.schedule(this.config.reminderTickMs));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const end of this.streams) end();
    await this.chain;
    await Promise.all([this.webhook?.stop(), this.emailOutbox?.stop()]);
    this.transport?.close();
  }

  /**
   * One reminder pass now (after a tick in flight, never alongside it), on the control read model
   * as of the store's head or `minPosition`, whichever is later (waited for ≤ 5 s).
   */
  runPass(options: { minPosition?: number } = {}): Promise<PassResult> {
    return this.exclusive(() => this.pass(options.minPosition));
  }

  /** Resolves once the passes and digests queued so far (the start-up tick among them) have ended. */
  async settled(): Promise<void> {
    await this.chain;
  }

  /** Sends the e-mail digests due now (none without SMTP settings or outside office hours). */
  runDigest(): Promise<SentDigest[]> {
    return this.exclusive(async () => (this.digest ? this.digest.run() : []));
  }

  /** True once the reminder feed has projected `position`, false after `timeoutMs`. */
  async waitForFeed(position: number, timeoutMs: number): Promise<boolean> {
    if (this.stopped) return false;
    return this.runner.waitForPosition(REMINDER_FEED_PROJECTION, position, timeoutMs);
  }

  async feedCheckpoint(): Promise<number> {
    return this.runner.checkpoint(REMINDER_FEED_PROJECTION);
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
  private async pass(minPosition = 0): Promise<PassResult> {
    // The head readers may see: it can trail commits while an older transaction is in flight
    // anywhere on the server, so a caller that knows a later position (a command's) passes it.
    const head = Math.max(await this.store.headPosition(), minPosition);
    if (head > 0) {
      const caughtUp = await this.runner.waitForPosition(CONTROL_PROJECTION, head, CATCH_UP_WAIT_MS);
      if (!caughtUp) this.log.warn({ head }, 'control read model lags; the reminder pass uses what it has');
    }
    const result = await this.process.pass();
    const parts = await this.coExecutorReminders.pass();
    result.issued.push(...parts.issued);
    result.failed += parts.failed;
    this.passSeconds.observe(result.durationMs / 1000);
    for (const issued of result.issued) this.issuedTotal.inc({ kind: issued.kind });
    return result;
  }

  /**
   * For GET /health: the deliveries' roles, positions and last errors in this instance, and the
   * events each quarantined (degraded when any).
   */
  async health(): Promise<Record<string, HealthCheck>> {
    const consumers = [this.webhook, this.emailOutbox].filter((c): c is DeliveryConsumer => c !== null);
    if (consumers.length === 0) return {};
    const quarantined = await countConsumerQuarantine(
      this.pool,
      consumers.map((c) => c.name),
    );
    return Object.fromEntries(
      consumers.map((c) => {
        const count = quarantined[c.name] ?? 0;
        return [
          c.name,
          {
            status: count > 0 ? 'degraded' : 'ok',
            role: c.role,
            position: c.position,
            lastError: c.lastError,
            quarantined: count,
            ...(count > 0
              ? { detail: `${count} reminder event(s) quarantined: table reminder_delivery_quarantine` }
              : {}),
          },
        ];
      }),
    );
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
