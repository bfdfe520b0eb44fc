/**
 * A command route: what POST /appeals/{id}/<path> needs to turn its body into a domain command. The
 * routes are declared in one table (../command-routes.ts, one entry per command type, so a command
 * without a route does not compile) and served by one generated controller (command-controller.ts).
 */
import type { Type } from '@nestjs/common';
import type { AppealCommand, EarlierAppealFacts, TerminationFact } from '@appeal-ledger/appeal';
import type { Principal, Role } from '../../auth/principal';
import type { LoadedAppeal } from '../appeal.repository';
import type { CommandCheck } from '../command-checks';

/** The commands people send to an existing appeal: every command but registration and the reminders' own. */
export type RoutedCommandType = Exclude<
  AppealCommand['type'],
  'RegisterAppeal' | 'IssueDeadlineReminder' | 'RecordAnswerWithOriginal'
>;
export type CommandOf<T extends AppealCommand['type']> = Extract<AppealCommand, { type: T }>;

/** What a route knows of the request besides its body. */
export interface RouteRequest {
  /** the appeal's id from the path, checked (a UUID, lower case) */
  appealId: string;
  /** the Idempotency-Key header, checked (a UUID, lower case); undefined without one */
  idempotencyKey: string | undefined;
  /** another path parameter that must be a UUID (lower case); 404 naming `what` when it is not */
  uuidParam(name: string, what: string): string;
  /** another business time of the body (a date, an instant, or undefined: now) as an instant */
  businessTime(value: string | undefined): string;
  /** who sends the command (e.g. a co-executor sending their own part) */
  principal: Principal;
  /** what other appeals say, for commands that need it (read models; judged by the decider) */
  facts: RouteFacts;
}

/**
 * Facts about other appeals a command carries to the decider (the domain sees one appeal): the
 * terminations of correspondence (art. 11 ч.5) applying to this appeal, the earlier appeals a
 * termination names (as the caller may see them).
 */
export interface RouteFacts {
  terminationsFor(appealId: string): Promise<TerminationFact[]>;
  earlierAppeals(appealId: string, ids: readonly string[]): Promise<EarlierAppealFacts[]>;
}

/** An answer other than the appeal's summary: 201 with Location and a body of its own. */
export interface CreatedAnswer<T extends RoutedCommandType> {
  /** the body's Swagger type */
  type: Type<object>;
  description: string;
  answer(command: CommandOf<T>, loaded: LoadedAppeal): { location: string; body: object };
}

export interface CommandRouteSpec<T extends RoutedCommandType, B extends object> {
  /** below /appeals/:id/, e.g. `assignment` or `document-requests/:rid/reply` */
  path: string;
  /** the OpenAPI operation summary */
  summary: string;
  /** who may call it (the route's guard; the access policy then judges the appeal itself) */
  roles: readonly Role[];
  /** the body's DTO: class-validator rules and Swagger schema */
  body: Type<B>;
  /** the body's business time (a date, an instant, or undefined: now) */
  at(body: B): string | undefined;
  /** the domain command; `at` is the business time resolved (async when it needs `request.facts`) */
  command(body: B, at: string, request: RouteRequest): CommandOf<T> | Promise<CommandOf<T>>;
  /** without it: 200 with the appeal's summary and its ETag */
  created?: CreatedAnswer<T>;
  /**
   * Asynchronous checks before deciding (../command-checks.ts): what the command names outside this
   * appeal. `description` goes into the OpenAPI operation; a refusal stores nothing.
   */
  check?: RouteCheck<T>;
  /** answers its `request.facts` may give (e.g. 503 when the read models are behind), for the OpenAPI operation */
  responses?: readonly { status: number; description: string }[];
}

/** A route's checks before deciding, with the answers they may give (for the OpenAPI operation). */
export interface RouteCheck<T extends RoutedCommandType> {
  run: CommandCheck<CommandOf<T>>;
  /** e.g. `409 when relatedAppealId names no appeal` */
  responses: readonly { status: number; description: string }[];
}

/** A route with its body type erased, as the table and the controller hold it. */
export interface CommandRoute<T extends RoutedCommandType = RoutedCommandType> {
  type: T;
  path: string;
  summary: string;
  roles: readonly Role[];
  body: Type<object>;
  at(body: object): string | undefined;
  command(body: object, at: string, request: RouteRequest): CommandOf<T> | Promise<CommandOf<T>>;
  created?: CreatedAnswer<T>;
  check?: { run: CommandCheck; responses: readonly { status: number; description: string }[] };
  responses?: readonly { status: number; description: string }[];
}

/** Declares the route of command `type`. */
export function commandRoute<T extends RoutedCommandType, B extends object>(
  type: T,
  spec: CommandRouteSpec<T, B>,
): CommandRoute<T> {
  // The ValidationPipe (transform: true) hands the handler an instance of `spec.body`.
  return {
    type,
    path: spec.path,
    summary: spec.summary,
    roles: spec.roles,
    body: spec.body,
    at: (body) => spec.at(body as B),
    command: (body, at, request) => spec.command(body as B, at, request),
    created: spec.created,
    // the pipeline hands the check this route's own command
    ...(spec.check && {
      check: { run: spec.check.run as CommandCheck, responses: spec.check.responses },
    }),
    ...(spec.responses && { responses: spec.responses }),
  };
}

/** The table's type: one route per routed command type. */
export type CommandRoutes = { readonly [T in RoutedCommandType]: CommandRoute<T> };
