/**
 * Registers an appeal through the command pipeline: the pipeline validates and decides on the empty
 * state; its append step is the RegistrationWriter, which takes the year's sequence number, decides
 * the event again with that number, and stores the applicants' keys, the number and the first event
 * of the new stream in one transaction — so a refused or failed registration leaves nothing behind
 * and skips no number. With an Idempotency-Key the appeal id derives from the key, so a retried
 * registration finds the appeal it created instead of making another.
 */
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  appealStreamId,
  decide,
  evolve,
  fillNumberTemplate,
  initialState,
  isRegistered,
  registrationNumberTemplateOf,
  type AppealCommand,
  type AppealRegistered,
  type Applicant,
  type IsoDate,
  type RegisterAppeal,
} from '@appeal-ledger/appeal';
import {
  deterministicEventId,
  EVENT_STORE,
  StreamNotFoundError,
  toNewEvent,
  type EventStore,
} from '@appeal-ledger/event-store';
import { IdempotencyStore } from '../../idempotency/idempotency.store';
import { SEALED_TEXT_SCHEMA_VERSION } from '../../personal-data/free-text';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { PersonalDataVault } from '../../personal-data/personal-data.vault';
import { businessInstant, startOfLocalDay, today } from '../../shared/business-time';
import { CLOCK, type Clock } from '../../shared/clock';
import { AppealCommandService, type CommandOptions, type CommandOutcome } from '../appeal-command.service';
import { AppealRepository, type LoadedAppeal } from '../appeal.repository';
import { RegistrationWriter } from './registration-writer';

/**
 * What a registration takes (the HTTP body is mapped to it at the controller): the RegisterAppeal
 * command's data but what the engine allocates — the appeal id, the year's sequence number, the
 * applicants' ids; `registeredAt` defaults to today, `receivedAt` to `registeredAt`.
 */
export type RegistrationInput = Omit<
  RegisterAppeal['data'],
  'appealId' | 'sequence' | 'applicants' | 'receivedAt' | 'registeredAt'
> & {
  receivedAt?: IsoDate;
  registeredAt?: IsoDate;
  applicants: Omit<Applicant, 'applicantId' | 'erased'>[];
};

/** Appeal ids derived from an Idempotency-Key live in this namespace. */
export const APPEAL_ID_NAMESPACE = 'appeal-ledger/appeals';

@Injectable()
export class AppealRegistration {
  constructor(
    private readonly repository: AppealRepository,
    private readonly commands: AppealCommandService,
    private readonly writer: RegistrationWriter,
    private readonly vault: PersonalDataVault,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly idempotency: IdempotencyStore,
  ) {}

  /**
   * The appeal id a key registers: derived from the key, or — when the appeal under that id was
   * recorded before the key's time to live (the key expired, IDEMPOTENCY_KEY_TTL) — the next in a
   * chain derived from the key and that appeal. Twins compute the same id, so they still register once.
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

  async register(input: RegistrationInput, options: CommandOptions): Promise<CommandOutcome> {
    const appealId = options.idempotencyKey ? await this.keyedAppealId(options.idempotencyKey) : randomUUID();
    if (input.repeatOf && !(await this.repository.load(input.repeatOf))) {
      const errors = [{ field: 'repeatOf', message: `no appeal ${input.repeatOf} to repeat` }];
      return {
        status: 'refused',
        refusal: { ok: false, reason: 'invalid', errors, message: `repeatOf: ${errors[0].message}` },
      };
    }
    const now = this.clock.now();
    const registeredAt = input.registeredAt ?? today(this.config.timeZone, now);
    const applicants = input.applicants.map((a, i) => ({
      applicantId: deterministicEventId(APPEAL_ID_NAMESPACE, appealId, 'applicant', String(i)),
      ...a,
    }));
    const draft = (sequence: number): RegisterAppeal => ({
      type: 'RegisterAppeal',
      data: {
        ...input,
        appealId,
        sequence,
        receivedAt: input.receivedAt ?? registeredAt,
        registeredAt,
        source: input.source ?? { type: 'direct' },
        applicants,
      },
    });
    const occurredAt = input.registeredAt
      ? startOfLocalDay(registeredAt, this.config.timeZone)
      : businessInstant(undefined, this.config.timeZone, now);
    const year = Number(registeredAt.slice(0, 4));
    return this.commands.pipeline.handle(
      appealId,
      {
        // Validated on a placeholder number, so bad input is refused before a number is taken.
        command: () => draft(1),
        decide: (command: AppealCommand, appeal) =>
          decide(command, appeal?.state ?? initialState(), this.commands.rules),
      },
      {
        ...this.commands.handleOptions(options, occurredAt),
        creates: true,
        newStream: !options.idempotencyKey,
        existingIsRepeat: true,
        append: async (_id, _events, [eventId], metadata) => {
          // Keys are made and the fields sealed in memory; the writer stores them with the number and
          // the event in one transaction, so a failure leaves neither key rows nor a gap in the numbers.
          const keys = this.vault.prepare(appealId, applicants);
          const sealed = keys.sealed;
          let registered: AppealRegistered | undefined;
          const number = registrationNumberTemplateOf(draft(1).data, this.commands.rules);
          const result = await this.writer.write({
            streamId: appealStreamId(appealId),
            year,
            keys,
            number,
            event: (sequence) => {
              const decision = decide(draft(sequence), initialState(), this.commands.rules);
              if (!decision.ok) throw new Error(`registration refused with its number: ${decision.message}`);
              const [first] = decision.events;
              if (first?.type !== 'AppealRegistered')
                throw new Error('registration decided no AppealRegistered');
              // Free text is personal data too: the summaries are sealed under the appeal's own key,
              // and the fold below sees them sealed, as a reload from the stream would.
              const seal = (text: string | undefined) =>
                text === undefined ? undefined : this.vault.sealPreparedText(keys, text);
              registered = {
                ...first,
                data: {
                  ...first.data,
                  summary: seal(first.data.summary),
                  questions: first.data.questions.map((q) => ({ ...q, summary: seal(q.summary) })),
                },
              };
              return toNewEvent(
                eventId,
                { ...registered, data: { ...registered.data, applicants: sealed } },
                { ...metadata, schemaVersion: SEALED_TEXT_SCHEMA_VERSION },
              );
            },
          });
          if (!result.written || !registered || result.sequence === undefined)
            return { ...result, written: false };
          // the number the store filled in with the sequence it took (the same rule as the decider's)
          registered = {
            ...registered,
            data: { ...registered.data, number: fillNumberTemplate(number, result.sequence) },
          };
          // Fold what the domain will see on reload: applicants by id only, never their personal data.
          const state = evolve(initialState(), {
            ...registered,
            data: { ...registered.data, applicants: sealed.map((a) => ({ applicantId: a.applicantId })) },
          });
          if (!isRegistered(state)) throw new Error('registration did not register the appeal');
          const loaded: LoadedAppeal = {
            state,
            revision: 0,
            lastUserRevision: 0,
            position: result.position,
            sealedApplicants: sealed,
          };
          return { ...result, written: true, loaded };
        },
      },
    );
  }
}
