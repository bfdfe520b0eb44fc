/**
 * Runs commands against appeals through the one command pipeline (`CommandHandler` of
 * @appeal-ledger/event-store): the appeal repository's cached fold, the Idempotency-Key records, an
 * in-process mutex per appeal and the authorization hook, wired once. Outcomes are values; the HTTP
 * edge (http/command-endpoint.ts) maps them to responses and problem+json.
 */
import { Inject, Injectable } from '@nestjs/common';
import {
  decide,
  evolveRegistered,
  initialState,
  type AppealCommand,
  type AppealEvent,
  type AppealRules,
} from '@appeal-ledger/appeal';
import {
  CommandHandler,
  deterministicEventId,
  type EventMetadata,
  type HandleOptions,
  type HandlerOutcome,
  type IdempotencyPort,
} from '@appeal-ledger/event-store';
import { factsOf } from '../access/access-policy';
import type { Principal } from '../auth/principal';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { IdempotencyStore } from '../idempotency/idempotency.store';
import { EngineMetrics } from '../metrics/metrics';
import { businessInstant } from '../shared/business-time';
import { CLOCK, type Clock } from '../shared/clock';
import { KeyedMutex } from '../shared/keyed-mutex';
import { APPEAL_RULES } from './appeal-rules.provider';
import { AppealRepository, EVENT_SCHEMA_VERSION, type LoadedAppeal } from './appeal.repository';
import { authorize } from './command-authorization';
import type { AppealRefusal, BoundCheck } from './command-checks';

/** Namespace for event ids (UUID v5-style): one command key → the same ids on every retry. */
const EVENT_ID_NAMESPACE = 'appeal-ledger/events';
const MAX_ATTEMPTS = 10;

/** Who sends a command and how: the options every command comes with (parsed from headers at the edge). */
export interface CommandOptions {
  principal: Principal;
  /** revision the client last saw (If-Match) */
  ifMatch?: number;
  idempotencyKey?: string;
  /** same route, caller and body: the same command (for Idempotency-Key reuse checks) */
  fingerprint: string;
  correlationId: string;
}

export interface PreparedCommand<C extends AppealCommand = AppealCommand> {
  command: C;
  /** business time of the fact, stored as metadata.occurredAt */
  occurredAt: string;
  /** the route's checks before deciding (command-checks.ts), bound to the caller */
  check?: BoundCheck;
}

/** What a command came to: the appeal after it, or why not (a value, mapped to HTTP at the edge). */
export type CommandOutcome = HandlerOutcome<LoadedAppeal, AppealRefusal>;
export type DoneOutcome = Extract<CommandOutcome, { status: 'done' }>;

export type AppealCommandHandler = CommandHandler<
  LoadedAppeal['state'],
  LoadedAppeal,
  AppealCommand,
  AppealEvent,
  AppealRefusal
>;

export function metadataFor(
  options: CommandOptions,
  commandId: string,
  occurredAt: string,
  command: string,
): EventMetadata {
  return {
    occurredAt,
    actor: { id: options.principal.id, name: options.principal.name },
    commandId,
    correlationId: options.correlationId,
    causationId: commandId,
    schemaVersion: EVENT_SCHEMA_VERSION,
    command,
  };
}

/**
 * If-Match holds when nothing but deadline reminders was recorded after the revision the client saw:
 * the reminder process writes to the appeal's stream, and must not fail a user's precondition.
 */
export function ifMatchHolds(ifMatch: number, appeal: LoadedAppeal): boolean {
  return ifMatch >= appeal.lastUserRevision && ifMatch <= appeal.revision;
}

@Injectable()
export class AppealCommandService {
  private readonly mutex = new KeyedMutex();
  readonly pipeline: AppealCommandHandler;

  constructor(
    readonly repository: AppealRepository,
    private readonly idempotency: IdempotencyStore,
    @Inject(APPEAL_RULES) readonly rules: AppealRules,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    metrics: EngineMetrics,
  ) {
    const records: IdempotencyPort<LoadedAppeal> = {
      find: async (key) => {
        const record = await idempotency.find(key);
        return record && { fingerprint: record.fingerprint, id: record.appealId, revision: record.revision };
      },
      loadAtRevision: (appealId, revision) => repository.loadAtRevision(appealId, revision),
      // a repeat shows the first outcome, but what it opens follows the assignment now (docs/access.md)
      asSeenNow: (then, now) => ({ ...then, current: factsOf(now.state) }),
      record: async (key, fingerprint, appealId, appeal, created) => {
        await idempotency.record(key, fingerprint, {
          status: created ? 201 : 200,
          appealId,
          revision: appeal.revision,
          position: appeal.position,
        });
      },
    };
    this.pipeline = new CommandHandler({
      access: repository,
      evolve: (appeal, events, result) => {
        const userEvent = events.some((e) => e.type !== 'DeadlineReminderIssued');
        return {
          ...appeal,
          state: evolveRegistered(appeal.state, events),
          revision: result.nextExpectedRevision,
          lastUserRevision: userEvent ? result.nextExpectedRevision : appeal.lastUserRevision,
          position: result.position,
        };
      },
      maxAttempts: MAX_ATTEMPTS,
      eventIdNamespace: EVENT_ID_NAMESPACE,
      idempotency: records,
      revisionHolds: ifMatchHolds,
      serialize: (appealId, work) => this.mutex.run(appealId, work),
      onConflict: () => metrics.appendRetries.inc(),
    });
  }

  /** Business time as the API takes it (a date, an instant, or omitted: now) as an instant in the zone. */
  businessTime(value: string | undefined): string {
    return businessInstant(value, this.config.timeZone, this.clock.now());
  }

  /** Runs work for one appeal after every earlier piece of work for it in this process. */
  serialize<T>(appealId: string, work: () => Promise<T>): Promise<T> {
    return this.mutex.run(appealId, work);
  }

  /** Runs `prepared` on appeal `appealId`: authorise, decide, append, remember (see CommandHandler). */
  async execute(
    appealId: string,
    prepared: PreparedCommand,
    options: CommandOptions,
  ): Promise<CommandOutcome> {
    const commandId = options.idempotencyKey
      ? await this.liveCommandKey(options.idempotencyKey, appealId)
      : undefined;
    return this.pipeline.handle(
      appealId,
      {
        command: () => prepared.command,
        decide: (command, appeal) => decide(command, appeal?.state ?? initialState(), this.rules),
      },
      { ...this.handleOptions(options, prepared.occurredAt), commandId, check: prepared.check },
    );
  }

  /**
   * What a keyed command's event ids derive from: the key — unless the key expired (IDEMPOTENCY_KEY_TTL)
   * after it already wrote to this appeal; then the next of a chain derived from the key and the event it
   * wrote, so the command is written anew rather than taken for its expired namesake. A retry or a twin
   * within the key's life derives the same ids and is still written once.
   */
  private async liveCommandKey(key: string, appealId: string): Promise<string> {
    const expired = this.idempotency.expiredBefore();
    let commandKey = key;
    for (;;) {
      const firstId = deterministicEventId(EVENT_ID_NAMESPACE, commandKey, appealId, '0');
      const recordedAt = await this.repository.recordedAtOf(appealId, firstId);
      if (!recordedAt || recordedAt >= expired) return commandKey;
      commandKey = deterministicEventId(EVENT_ID_NAMESPACE, key, 'renewed', firstId);
    }
  }

  /** The pipeline options of a user's command: If-Match, Idempotency-Key, authorization, metadata. */
  handleOptions(
    options: CommandOptions,
    occurredAt: string,
  ): HandleOptions<LoadedAppeal, AppealCommand, AppealRefusal, AppealEvent> {
    return {
      expectedRevision: options.ifMatch,
      idempotency: options.idempotencyKey
        ? { key: options.idempotencyKey, fingerprint: options.fingerprint }
        : undefined,
      authorize: (appeal, command) => authorize(options.principal, appeal.state, command),
      // refuse only on the store's latest state, never on a possibly stale cache
      refusalMayBeStale: (refusal) => refusal.reason === 'not_allowed',
      metadata: (commandId, command) => metadataFor(options, commandId, occurredAt, command.type),
    };
  }
}
