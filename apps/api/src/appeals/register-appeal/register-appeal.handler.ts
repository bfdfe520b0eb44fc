/**
 * Registers an appeal: validates and decides, seals the applicants' personal data, then stores their
 * keys, the year's sequence number and the first event of a new stream in one transaction
 * (RegistrationWriter), so a refused or failed registration leaves nothing behind. With an Idempotency-Key the appeal id derives
 * from the key, so a retried registration finds the appeal it created instead of making another —
 * until the key expires (IDEMPOTENCY_KEY_TTL): then the key registers anew, under the next id of a
 * chain derived from the key and the appeal it registered before.
 */
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import {
  appealStreamId,
  decide,
  evolve,
  initialState,
  isRegistered,
  type AppealRegistered,
  type AppealRules,
  type RegisterAppeal,
} from '@appeal-ledger/appeal';
import {
  deterministicEventId,
  EVENT_STORE,
  StreamNotFoundError,
  WrongExpectedRevisionError,
  type EventStore,
} from '@appeal-ledger/event-store';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { Problem } from '../../http/problem';
import { IdempotencyStore } from '../../idempotency/idempotency.store';
import { PersonalDataVault } from '../../personal-data/personal-data.vault';
import { businessInstant, startOfLocalDay, today } from '../../shared/business-time';
import { CLOCK, type Clock } from '../../shared/clock';
import {
  AppealCommandService,
  eventIdsFor,
  metadataFor,
  refusalToProblem,
  type CommandOutcome,
  type CommandRequest,
} from '../appeal-command.service';
import { APPEAL_RULES } from '../appeal-rules.provider';
import { AppealRepository, toNewEvent } from '../appeal.repository';
import { RegisterAppealCommand } from './register-appeal.command';
import type { RegisterAppealDto } from './register-appeal.dto';
import { RegistrationWriter } from './registration-writer';

/** Appeal ids derived from an Idempotency-Key live in this namespace. */
export const APPEAL_ID_NAMESPACE = 'appeal-ledger/appeals';

@CommandHandler(RegisterAppealCommand)
export class RegisterAppealHandler implements ICommandHandler<RegisterAppealCommand, CommandOutcome> {
  constructor(
    private readonly repository: AppealRepository,
    private readonly commands: AppealCommandService,
    private readonly writer: RegistrationWriter,
    private readonly vault: PersonalDataVault,
    @Inject(APPEAL_RULES) private readonly rules: AppealRules,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly idempotency: IdempotencyStore,
  ) {}

  async execute({ body, request }: RegisterAppealCommand): Promise<CommandOutcome> {
    const appealId = request.idempotencyKey ? await this.keyedAppealId(request.idempotencyKey) : randomUUID();
    // Twins with one Idempotency-Key queue here, so only the first takes a registration number.
    return this.commands.serialize(appealId, () => this.register(appealId, body, request));
  }

  /**
   * The appeal id a key registers: derived from the key, or — when the appeal under that id was
   * recorded before the key's time to live (the key expired) — the next in a chain derived from the
   * key and that appeal. Twins compute the same id, so they still register once.
   */
  private async keyedAppealId(key: string): Promise<string> {
    const expired = this.idempotency.expiredBefore();
    let appealId = deterministicEventId(APPEAL_ID_NAMESPACE, key);
    for (;;) {
      const [first] = await this.store
        .readStream(appealStreamId(appealId), { maxCount: 1 })
        .catch((error: unknown) => {
          if (error instanceof StreamNotFoundError) return [];
          throw error;
        });
      if (!first || first.recordedAt >= expired) return appealId;
      appealId = deterministicEventId(APPEAL_ID_NAMESPACE, key, appealId);
    }
  }

  private async register(
    appealId: string,
    body: RegisterAppealDto,
    request: CommandRequest,
  ): Promise<CommandOutcome> {
    const replay = await this.commands.replayed(request);
    if (replay) return replay;
    if (request.idempotencyKey) {
      const existing = await this.repository.load(appealId);
      if (existing) return this.commands.remembered(request, existing, true, 201);
    }
    const now = this.clock.now();
    const registeredAt = body.registeredAt ?? today(this.config.timeZone, now);
    if (body.repeatOf && !(await this.repository.load(body.repeatOf))) {
      throw Problem.validation([{ field: 'repeatOf', message: `no appeal ${body.repeatOf} to repeat` }]);
    }
    const applicants = body.applicants.map((a, i) => ({
      applicantId: deterministicEventId(APPEAL_ID_NAMESPACE, appealId, 'applicant', String(i)),
      ...a,
    }));
    const draft = (sequence: number): RegisterAppeal => ({
      type: 'RegisterAppeal',
      data: {
        appealId,
        sequence,
        receivedAt: body.receivedAt ?? registeredAt,
        registeredAt,
        channel: body.channel,
        kind: body.kind,
        source: body.source ? { ...body.source } : { type: 'direct' },
        applicants,
        questions: body.questions.map((q) => ({ ...q })),
        territory: body.territory,
        summary: body.summary,
        reception: body.reception ? { ...body.reception } : undefined,
        repeatOf: body.repeatOf,
      },
    });
    // Validate before taking a number, so bad input leaves no gap in the register.
    const check = decide(draft(1), initialState(), this.rules);
    if (!check.ok) throw refusalToProblem(check);

    const year = Number(registeredAt.slice(0, 4));
    // Keys are made and the fields sealed in memory; the writer stores them with the number and the
    // event in one transaction, so a failure below leaves neither key rows nor a gap in the numbers.
    const keys = this.vault.prepare(appealId, applicants);
    const sealed = keys.sealed;
    const occurredAt = body.registeredAt
      ? startOfLocalDay(registeredAt, this.config.timeZone)
      : businessInstant(undefined, this.config.timeZone, now);
    const commandKey = request.idempotencyKey ?? randomUUID();
    const [id] = eventIdsFor(commandKey, appealId, 1);
    const built: { registered?: AppealRegistered } = {};
    try {
      const result = await this.writer.write({
        streamId: appealStreamId(appealId),
        year,
        keys,
        event: (sequence) => {
          const decision = decide(draft(sequence), initialState(), this.rules);
          if (!decision.ok) throw refusalToProblem(decision);
          const [first] = decision.events;
          if (first?.type !== 'AppealRegistered') throw new Error('registration decided no AppealRegistered');
          built.registered = first;
          const stored = { ...first, data: { ...first.data, applicants: sealed } };
          return toNewEvent(id, stored, metadataFor(request, commandKey, occurredAt, 'RegisterAppeal'));
        },
      });
      const registered = built.registered;
      if (!result.written || !registered) {
        // Another process stored this very registration first (same Idempotency-Key).
        this.repository.forget(appealId);
        const existing = await this.repository.load(appealId);
        if (!existing) throw new Error(`appeal ${appealId} not readable after registration`);
        return this.commands.remembered(request, existing, true, 201);
      }
      // With a key, another process may have stored this very event first: trust the stream, not our fold.
      if (request.idempotencyKey) {
        this.repository.forget(appealId);
        const existing = await this.repository.load(appealId);
        if (!existing) throw new Error(`appeal ${appealId} not readable after registration`);
        return this.commands.remembered(request, existing, false, 201);
      }
      // Fold what the domain will see on reload: applicants by id only, never their personal data.
      const state = evolve(initialState(), {
        ...registered,
        data: { ...registered.data, applicants: sealed.map((a) => ({ applicantId: a.applicantId })) },
      });
      if (!isRegistered(state)) throw new Error('registration did not register the appeal');
      const loaded = {
        state,
        revision: 0,
        lastUserRevision: 0,
        position: result.position,
        sealedApplicants: sealed,
      };
      this.repository.remember(appealId, loaded);
      return this.commands.remembered(request, loaded, false, 201);
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      // A twin request with the same Idempotency-Key registered it first.
      const existing = await this.repository.load(appealId);
      if (!existing) throw error;
      return this.commands.remembered(request, existing, true, 201);
    }
  }
}
