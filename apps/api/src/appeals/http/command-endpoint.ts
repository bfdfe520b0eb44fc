/**
 * The HTTP edge of the command pipeline: reads the command headers, runs the command and turns its
 * outcome into the response — the appeal summary with its ETag, or problem+json. The only place a
 * pipeline outcome or a domain refusal becomes an HTTP status.
 */
import { Injectable } from '@nestjs/common';
import type { AppealCommand, ControlConflict, TerminationConflict } from '@appeal-ledger/appeal';
import type { Principal } from '../../auth/principal';
import type { HttpReply, HttpRequest } from '../../http/http-types';
import { Problem } from '../../http/problem';
import { AppealCommandService, type CommandOutcome, type DoneOutcome } from '../appeal-command.service';
import { AppealSummaryRenderer, type AppealSummary } from '../appeal-summary';
import type { LoadedAppeal } from '../appeal.repository';
import { AppealReferences, type AppealRefusal, type CommandCheck } from '../command-checks';
import { assertAppealId, commandOptions } from './command-request';
import { respond } from './respond';

const CONTROL_CONFLICT_TITLES: Record<ControlConflict, string> = {
  report_back_not_requested: 'The sending body did not ask for the result',
  already_reported_to_source: 'The result is already reported',
  report_to_source_pending: 'The result is owed to the sending body',
  further_control_active: 'The appeal is on further control',
  no_further_control: 'The appeal is not on further control',
  no_co_executors: 'The resolution names no co-executors',
};

const TERMINATION_CONFLICT_TITLES: Record<TerminationConflict, string> = {
  earlier_appeals: 'The earlier appeals do not support terminating correspondence',
  already_terminated: 'Correspondence is already terminated on this appeal',
  not_terminated: 'No termination of correspondence applies to this appeal',
};

export function refusalToProblem(refusal: AppealRefusal): Problem {
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
    case 'term_expired':
      return Problem.conflict('term-expired', 'The term has expired', refusal.message, {
        dueDate: refusal.dueDate,
        on: refusal.on,
      });
    case 'already_exists':
      return Problem.conflict('already-exists', 'The appeal already exists', refusal.message);
    case 'unknown_document_request':
      return Problem.notFound(refusal.message);
    case 'document_request_answered':
      return Problem.conflict('document-request-answered', 'The reply is already recorded', refusal.message, {
        requestId: refusal.requestId,
      });
    case 'interim_answer_limit':
      return Problem.conflict('interim-answer-limit', 'Interim answer limit reached', refusal.message, {
        limit: refusal.limit,
        interimAnswers: refusal.interimAnswers,
      });
    case 'control_conflict':
      return Problem.conflict(
        refusal.conflict.replace(/_/g, '-'),
        CONTROL_CONFLICT_TITLES[refusal.conflict],
        refusal.message,
        { conflict: refusal.conflict },
      );
    case 'termination_conflict':
      return Problem.conflict(
        `correspondence-${refusal.conflict.replace(/_/g, '-')}`,
        TERMINATION_CONFLICT_TITLES[refusal.conflict],
        refusal.message,
        { conflict: refusal.conflict, problems: refusal.problems },
      );
    // the checks before deciding (../command-checks.ts): another appeal the command names
    case 'referenced_appeal_not_found':
      return Problem.conflict(
        'referenced-appeal-not-found',
        'The appeal named does not exist',
        refusal.message,
        {
          field: refusal.field,
          appealId: refusal.appealId,
        },
      );
    case 'referenced_appeal_out_of_reach':
      return new Problem(403, 'forbidden', 'Not allowed', refusal.message, {
        field: refusal.field,
        appealId: refusal.appealId,
      });
    default: {
      const never: never = refusal;
      throw new Error(`unknown refusal ${JSON.stringify(never)}`);
    }
  }
}

/** The appeal after a command, or the problem that says why not. */
export function outcomeOrProblem(appealId: string, outcome: CommandOutcome): DoneOutcome {
  switch (outcome.status) {
    case 'done':
      return outcome;
    case 'not_found':
      throw Problem.notFound(`appeal ${appealId} not found`);
    case 'refused':
      throw refusalToProblem(outcome.refusal);
    case 'forbidden':
      throw Problem.forbidden(outcome.message);
    case 'precondition_failed':
      throw Problem.preconditionFailed(
        outcome.raced
          ? `If-Match: "${outcome.expected}" but another change was recorded first (revision ${outcome.actual})`
          : `If-Match: "${outcome.expected}" but the appeal is at revision ${outcome.actual}; read it again and retry`,
        outcome.expected,
        outcome.actual,
      );
    case 'idempotency_key_reused':
      throw new Problem(
        422,
        'idempotency-key-reused',
        'Idempotency-Key reused',
        'this Idempotency-Key was already used for a different request; use a new key for a new command',
      );
    case 'contention':
      throw Problem.conflict(
        'concurrency',
        'Too much contention on this appeal',
        `the command lost ${outcome.attempts} races to other writers; retry it`,
      );
    default: {
      const never: never = outcome;
      throw new Error(`unknown outcome ${JSON.stringify(never)}`);
    }
  }
}

/** What a controller needs to run a command on an existing appeal and answer with its summary. */
@Injectable()
export class AppealCommandEndpoint {
  constructor(
    readonly commands: AppealCommandService,
    private readonly renderer: AppealSummaryRenderer,
    private readonly references: AppealReferences,
  ) {}

  /** Business time from the body (a date, an instant, or omitted: now). */
  at(value: string | undefined): string {
    return this.commands.businessTime(value);
  }

  /** Runs `command` on appeal `id` and answers with the appeal's summary (200, ETag). */
  async run(
    req: HttpRequest,
    res: HttpReply,
    principal: Principal,
    id: string,
    body: unknown,
    command: AppealCommand,
    occurredAt: string,
    check?: CommandCheck,
  ): Promise<AppealSummary> {
    return (await this.execute(req, res, principal, id, body, command, occurredAt, check)).summary;
  }

  /** `run`, also giving the appeal as the command left it (for answers that are not the summary). */
  async execute(
    req: HttpRequest,
    res: HttpReply,
    principal: Principal,
    id: string,
    body: unknown,
    command: AppealCommand,
    occurredAt: string,
    check?: CommandCheck,
  ): Promise<{ loaded: LoadedAppeal; summary: AppealSummary }> {
    const appealId = assertAppealId(id);
    const outcome = await this.commands.execute(
      appealId,
      { command, occurredAt, ...(check && { check: this.references.bind(check, principal) }) },
      commandOptions(req, principal, body),
    );
    const done = outcomeOrProblem(appealId, outcome);
    return { loaded: done.loaded, summary: await respond(res, this.renderer, principal, done) };
  }
}
