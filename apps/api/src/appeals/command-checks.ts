/**
 * Asynchronous checks before deciding: what a command names outside its own appeal's stream, which
 * the decider (one appeal, no I/O) cannot see — e.g. that the appeal `relatedAppealId` names exists.
 * A route declares them (`check` in command-routes.ts); the pipeline asks them after authorization
 * and If-Match, on the state about to be decided, and a refusal stores nothing (CommandHandler
 * `HandleOptions.check`). docs/adding-a-transition.md, "Checks before deciding". Application layer: no
 * HTTP here (the refusals become problem+json in http/command-endpoint.ts).
 */
import { Injectable } from '@nestjs/common';
import type { AppealCommand, Refusal } from '@appeal-ledger/appeal';
import { factsOf, mayReadAppeal } from '../access/access-policy';
import type { Principal } from '../auth/principal';
import { AppealRepository, type LoadedAppeal } from './appeal.repository';

/** A check's refusal: the field of the command naming another appeal, and that appeal's id. */
export type CheckRefusal =
  /** no such appeal (409) */
  | { ok: false; reason: 'referenced_appeal_not_found'; field: string; appealId: string; message: string }
  /** it exists, but the caller may not read it (403, as GET /appeals/{id} would answer) */
  | { ok: false; reason: 'referenced_appeal_out_of_reach'; field: string; appealId: string; message: string };

/** Every refusal of a command on an appeal: the decider's and the checks'. */
export type AppealRefusal = Refusal | CheckRefusal;

/** What a check may ask. */
export interface CheckContext {
  /** who sends the command */
  principal: Principal;
  /** the appeal the command is on, as it is about to be decided (authorised, If-Match held) */
  appeal: LoadedAppeal;
  /** other appeals, as the caller may name them */
  appeals: AppealReferences;
}

/** A route's check: undefined when the command may go on to the decider. */
export type CommandCheck<C extends AppealCommand = AppealCommand> = (
  command: C,
  context: CheckContext,
) => Promise<CheckRefusal | undefined>;

/** The pipeline's form of a check, bound to its caller: (appeal about to be decided, command) → refusal. */
export type BoundCheck = (
  appeal: LoadedAppeal | undefined,
  command: AppealCommand,
) => Promise<CheckRefusal | undefined>;

@Injectable()
export class AppealReferences {
  constructor(private readonly repository: AppealRepository) {}

  /**
   * Appeal `appealId`, named in `field`, exists and `principal` may read it (docs/access.md) — an
   * erased appeal exists (its history stays; only its personal data is gone).
   */
  async readable(field: string, appealId: string, principal: Principal): Promise<CheckRefusal | undefined> {
    const other = await this.repository.load(appealId);
    if (!other)
      return {
        ok: false,
        reason: 'referenced_appeal_not_found',
        field,
        appealId,
        message: `${field}: there is no appeal ${appealId}`,
      };
    if (!mayReadAppeal(principal, factsOf(other.state), 'summary'))
      return {
        ok: false,
        reason: 'referenced_appeal_out_of_reach',
        field,
        appealId,
        message: `${field}: you may not read appeal ${appealId}: it is neither in your department nor assigned to you (docs/access.md)`,
      };
    return undefined;
  }

  /** Binds a route's check to its caller, as the pipeline asks it. */
  bind(check: CommandCheck, principal: Principal): BoundCheck {
    return async (appeal, command) =>
      appeal === undefined ? undefined : check(command, { principal, appeal, appeals: this });
  }
}
