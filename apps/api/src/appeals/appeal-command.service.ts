/**
 * Runs one command against one appeal: load (cached fold), authorise, decide, append with the
 * expected revision, and answer. Commands without If-Match that lose a race are retried on fresh
 * state; with If-Match they get 412. Event ids derive from the Idempotency-Key (or a fresh command
 * id), so a retried append writes nothing new.
 */
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  decide,
  evolve,
  type AppealCommand,
  type AppealEvent,
  type AppealRules,
  type AppealState,
  type Refusal,
  type RegisteredAppealState,
} from '@appeal-ledger/appeal';
import {
  deterministicEventId,
  WrongExpectedRevisionError,
  type EventMetadata,
} from '@appeal-ledger/event-store';
import type { Principal } from '../auth/principal';
import { Problem } from '../http/problem';
import { IdempotencyStore } from '../idempotency/idempotency.store';
import { EngineMetrics } from '../metrics/metrics';
import { KeyedMutex } from '../shared/keyed-mutex';
import { APPEAL_RULES } from './appeal-rules.provider';
import { AppealRepository, EVENT_SCHEMA_VERSION, toNewEvent, type LoadedAppeal } from './appeal.repository';

/** Namespace for event ids (UUID v5-style): one command key → the same ids on every retry. */
const EVENT_ID_NAMESPACE = 'appeal-ledger/events';
const MAX_ATTEMPTS = 10;

export interface CommandRequest {
  principal: Principal;
  /** revision the client last saw (If-Match) */
  ifMatch?: number;
  idempotencyKey?: string;
  /** same route, caller and body: the same command (for Idempotency-Key reuse checks) */
  fingerprint: string;
  correlationId: string;
}

export interface CommandOutcome {
  appeal: LoadedAppeal;
  /** true when an Idempotency-Key repeat was answered from the first outcome */
  replayed: boolean;
}

export interface PreparedCommand {
  command: AppealCommand;
  /** business time of the fact, stored as metadata.occurredAt */
  occurredAt: string;
}

export function refusalToProblem(refusal: Refusal): Problem {
  switch (refusal.reason) {
    case 'not_allowed':
      return Problem.notAllowedInState(refusal.message, refusal.state, refusal.allowedActions);
    case 'invalid':
      return Problem.validation(refusal.errors, refusal.message);
    case 'limit_exceeded':
      return Problem.conflict('extension-limit', 'Extension limit exceeded', refusal.message, {
        limit: refusal.limit,
        totalExtensionDays: refusal.totalExtensionDays,
        requestedDays: refusal.requestedDays,
      });
    case 'already_exists':
      return Problem.conflict('already-exists', 'The appeal already exists', refusal.message);
    case 'interim_answer_limit':
      return Problem.conflict('interim-answer-limit', 'Interim answer limit reached', refusal.message, {
        limit: refusal.limit,
        interimAnswers: refusal.interimAnswers,
      });
    default: {
      const never: never = refusal;
      throw new Error(`unknown refusal ${JSON.stringify(never)}`);
    }
  }
}

export function metadataFor(
  request: CommandRequest,
  commandId: string,
  occurredAt: string,
  command: string,
): EventMetadata {
  return {
    occurredAt,
    actor: { id: request.principal.id, name: request.principal.name },
    commandId,
    correlationId: request.correlationId,
    causationId: commandId,
    schemaVersion: EVENT_SCHEMA_VERSION,
    command,
  };
}

export function eventIdsFor(commandKey: string, appealId: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    deterministicEventId(EVENT_ID_NAMESPACE, commandKey, appealId, String(i)),
  );
}

@Injectable()
export class AppealCommandService {
  private readonly mutex = new KeyedMutex();

  constructor(
    private readonly repository: AppealRepository,
    private readonly idempotency: IdempotencyStore,
    @Inject(APPEAL_RULES) private readonly rules: AppealRules,
    private readonly metrics: EngineMetrics,
  ) {}

  /** Runs work for one appeal after every earlier piece of work for it in this process. */
  serialize<T>(appealId: string, work: () => Promise<T>): Promise<T> {
    return this.mutex.run(appealId, work);
  }

  async execute(
    appealId: string,
    request: CommandRequest,
    prepare: (appeal: LoadedAppeal) => PreparedCommand,
    authorize?: (appeal: LoadedAppeal, command: AppealCommand) => void,
  ): Promise<CommandOutcome> {
    return this.mutex.run(appealId, async () => {
      const replay = await this.replayed(request);
      if (replay) return replay;
      const commandKey = request.idempotencyKey
        ? await this.liveCommandKey(request.idempotencyKey, appealId)
        : randomUUID();
      let fresh = false;
      /** state already read from the store for the next attempt */
      let reread: LoadedAppeal | undefined;
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        let appeal =
          reread ??
          (fresh
            ? await this.repository.load(appealId)
            : (this.repository.cached(appealId) ?? (await this.repository.load(appealId))));
        reread = undefined;
        // A cached fold may lag behind another instance's writes: check with the store before refusing.
        if (appeal && !ifMatchHolds(request.ifMatch, appeal) && !fresh) {
          appeal = await this.repository.load(appealId);
          fresh = true;
        }
        if (!appeal) throw Problem.notFound(`appeal ${appealId} not found`);
        if (request.ifMatch !== undefined && !ifMatchHolds(request.ifMatch, appeal)) {
          throw Problem.preconditionFailed(
            `If-Match: "${request.ifMatch}" but the appeal is at revision ${appeal.revision}; read it again and retry`,
            request.ifMatch,
            appeal.revision,
          );
        }
        const { command, occurredAt } = prepare(appeal);
        const decision = decide(command, appeal.state, this.rules);
        if (!decision.ok) {
          if (decision.reason === 'not_allowed' && !fresh) {
            fresh = true; // refuse only on the store's latest state, never on a possibly stale cache
            continue;
          }
          throw refusalToProblem(decision);
        }
        authorize?.(appeal, command);
        if (decision.events.length === 0) return this.remembered(request, appeal, false);
        const metadata = metadataFor(request, commandKey, occurredAt, command.type);
        const ids = eventIdsFor(commandKey, appealId, decision.events.length);
        try {
          const result = await this.repository.append(
            appealId,
            decision.events.map((e, i) => toNewEvent(ids[i], e, metadata)),
            appeal.revision,
          );
          // A different revision, or a keyed command another process may have stored first: read the truth.
          if (
            request.idempotencyKey ||
            result.nextExpectedRevision !== appeal.revision + decision.events.length
          ) {
            // The store already held these ids: an earlier attempt of this command went through.
            this.repository.forget(appealId);
            const current = await this.repository.load(appealId);
            if (!current) throw Problem.notFound(`appeal ${appealId} not found`);
            return this.remembered(request, current, false);
          }
          const next: LoadedAppeal = {
            ...appeal,
            state: fold(appeal.state, decision.events),
            revision: result.nextExpectedRevision,
            lastUserRevision: result.nextExpectedRevision,
            position: result.position,
          };
          this.repository.remember(appealId, next);
          return this.remembered(request, next, false);
        } catch (error) {
          if (!(error instanceof WrongExpectedRevisionError)) throw error;
          this.metrics.appendRetries.inc();
          this.repository.forget(appealId);
          fresh = true;
          // Lost to a reminder only: the client's precondition still holds on fresh state; go again.
          const current = request.ifMatch === undefined ? undefined : await this.repository.load(appealId);
          reread = current;
          if (request.ifMatch !== undefined && !(current && ifMatchHolds(request.ifMatch, current))) {
            throw Problem.preconditionFailed(
              `If-Match: "${request.ifMatch}" but another change was recorded first (revision ${error.actual})`,
              request.ifMatch,
              error.actual,
            );
          }
        }
      }
      throw Problem.conflict(
        'concurrency',
        'Too much contention on this appeal',
        `the command lost ${MAX_ATTEMPTS} races to other writers; retry it`,
      );
    });
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
      const [firstId] = eventIdsFor(commandKey, appealId, 1);
      const recordedAt = await this.repository.recordedAtOf(appealId, firstId);
      if (!recordedAt || recordedAt >= expired) return commandKey;
      commandKey = deterministicEventId(EVENT_ID_NAMESPACE, key, 'renewed', firstId);
    }
  }

  /** An Idempotency-Key seen before: the first outcome, or 422 when the key came with another request. */
  async replayed(request: CommandRequest): Promise<CommandOutcome | undefined> {
    if (!request.idempotencyKey) return undefined;
    const record = await this.idempotency.find(request.idempotencyKey);
    if (!record) return undefined;
    if (record.fingerprint !== request.fingerprint) {
      throw new Problem(
        422,
        'idempotency-key-reused',
        'Idempotency-Key reused',
        'this Idempotency-Key was already used for a different request; use a new key for a new command',
      );
    }
    const appeal = await this.repository.loadAtRevision(record.appealId, record.revision);
    if (!appeal) throw Problem.notFound(`appeal ${record.appealId} not found`);
    return { appeal, replayed: true };
  }

  async remembered(
    request: CommandRequest,
    appeal: LoadedAppeal,
    replayed: boolean,
    status = 200,
  ): Promise<CommandOutcome> {
    if (request.idempotencyKey) {
      await this.idempotency.record(request.idempotencyKey, request.fingerprint, {
        status,
        appealId: appeal.state.context.appealId,
        revision: appeal.revision,
        position: appeal.position,
      });
    }
    return { appeal, replayed };
  }
}

/**
 * If-Match holds when nothing but deadline reminders was recorded after the revision the client saw:
 * the reminder process writes to the appeal's stream, and must not fail a user's precondition.
 */
export function ifMatchHolds(ifMatch: number | undefined, appeal: LoadedAppeal): boolean {
  return ifMatch === undefined || (ifMatch >= appeal.lastUserRevision && ifMatch <= appeal.revision);
}

function fold(state: RegisteredAppealState, events: AppealEvent[]): RegisteredAppealState {
  const next = events.reduce<AppealState>(evolve, state);
  if (next.status === 'unregistered') throw new Error('an appeal cannot become unregistered');
  return next;
}
