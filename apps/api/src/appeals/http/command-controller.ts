/**
 * The one controller of the command routes: a handler per entry of the route table, with the route,
 * guard roles, body DTO (for the ValidationPipe and Swagger) and OpenAPI operation each entry
 * declares. Every handler does the same: check the appeal id, resolve the business time, build the
 * domain command, run it through AppealCommandEndpoint and answer with the summary (or the entry's
 * 201 answer).
 */
import { Body, Controller, HttpCode, Inject, Param, Post, Req, Res, type Type } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { UUID_PATTERN } from '@appeal-ledger/event-store';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import { headerOf, type HttpReply, type HttpRequest } from '../../http/http-types';
import { Problem } from '../../http/problem';
import { CorrespondenceTerminations } from '../correspondence-termination/correspondence-termination.service';
import { AppealCommandEndpoint } from './command-endpoint';
import { assertAppealId } from './command-request';
import type { CommandRoute, CommandRoutes, RouteRequest } from './command-route';

/** Path parameters of a route besides `id`, in the order they appear. */
function extraParams(path: string): string[] {
  return [...path.matchAll(/:(\w+)/g)].map((m) => m[1]).filter((name) => name !== 'id');
}

/** `AssignExecutor` → `assignExecutor`: the handler's name (and the OpenAPI operationId's second half). */
function handlerName(type: string): string {
  return type.charAt(0).toLowerCase() + type.slice(1);
}

async function handle(
  endpoint: AppealCommandEndpoint,
  terminations: CorrespondenceTerminations,
  route: CommandRoute,
  id: string,
  body: object,
  principal: Principal,
  req: HttpRequest,
  res: HttpReply,
  params: Readonly<Record<string, string>>,
): Promise<object> {
  const appealId = assertAppealId(id);
  const request: RouteRequest = {
    appealId,
    idempotencyKey: headerOf(req, 'idempotency-key')?.trim().toLowerCase(),
    uuidParam: (name, what) => {
      const value = params[name] ?? '';
      if (!UUID_PATTERN.test(value))
        throw Problem.notFound(`${what} ${value} not found (${what} ids are UUIDs)`);
      return value.toLowerCase();
    },
    businessTime: (value) => endpoint.at(value),
    facts: {
      terminationsFor: (appeal) => terminations.terminationsFor(appeal),
      earlierAppeals: (appeal, ids) => terminations.earlierAppeals(appeal, ids, principal),
    },
    principal,
  };
  const at = endpoint.at(route.at(body));
  const command = await route.command(body, at, request);
  const check = route.check?.run;
  if (!route.created) return endpoint.run(req, res, principal, appealId, body, command, at, check);
  const { loaded, summary } = await endpoint.execute(req, res, principal, appealId, body, command, at, check);
  const created = route.created.answer(command, loaded);
  res.status(201);
  res.header('Location', `/appeals/${summary.id}/${created.location}`);
  return created.body;
}

type Handler = (
  this: { endpoint: AppealCommandEndpoint; terminations: CorrespondenceTerminations },
  id: string,
  body: object,
  principal: Principal,
  req: HttpRequest,
  res: HttpReply,
  ...params: string[]
) => Promise<object>;

/** The controller serving every route of `routes` (in the table's order). */
export function commandController(routes: CommandRoutes): Type<unknown> {
  @ApiTags('commands')
  @ApiBearerAuth()
  @Controller('appeals')
  class AppealCommandsController {
    constructor(
      @Inject(AppealCommandEndpoint) readonly endpoint: AppealCommandEndpoint,
      @Inject(CorrespondenceTerminations) readonly terminations: CorrespondenceTerminations,
    ) {}
  }
  const prototype = AppealCommandsController.prototype as unknown as Record<string, Handler>;
  for (const route of Object.values(routes) as CommandRoute[]) {
    const name = handlerName(route.type);
    const names = extraParams(route.path);
    const handler: Handler = function (id, body, principal, req, res, ...values) {
      const params = Object.fromEntries(names.map((n, i) => [n, values[i] ?? '']));
      return handle(this.endpoint, this.terminations, route, id, body, principal, req, res, params);
    };
    // Swagger reads a handler's metadata under the function's own name.
    Object.defineProperty(handler, 'name', { value: name });
    Object.defineProperty(prototype, name, { value: handler, writable: true, configurable: true });
    // What TypeScript would emit for a decorated method: the ValidationPipe and Swagger read the body's type here.
    Reflect.defineMetadata(
      'design:paramtypes',
      [String, route.body, Object, Object, Object, ...names.map(() => String)],
      prototype,
      name,
    );
    Reflect.defineMetadata('design:returntype', Promise, prototype, name);
    // Last parameter first, as TypeScript applies them (Swagger lists the path parameters in this order).
    [...names.entries()].reverse().forEach(([i, param]) => Param(param)(prototype, name, 5 + i));
    Res({ passthrough: true })(prototype, name, 4);
    Req()(prototype, name, 3);
    CurrentPrincipal()(prototype, name, 2);
    Body()(prototype, name, 1);
    Param('id')(prototype, name, 0);
    const decorators: MethodDecorator[] = [
      Post(`:id/${route.path}`),
      Roles(...route.roles),
      ApiOperation({ summary: route.summary }),
      route.created
        ? ApiCreatedResponse({ type: route.created.type, description: route.created.description })
        : HttpCode(200),
      // declared answers replace Swagger's default one: the 200 is declared with them
      ...((route.check || route.responses) && !route.created
        ? [ApiResponse({ status: 200, description: "the appeal's summary (ETag: its revision)" })]
        : []),
      ...[...(route.check?.responses ?? []), ...(route.responses ?? [])].map((r) =>
        ApiResponse({ status: r.status, description: r.description }),
      ),
    ];
    const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
    if (!descriptor) throw new Error(`handler ${name} not defined`);
    for (const decorate of decorators.reverse()) decorate(prototype, name, descriptor);
  }
  return AppealCommandsController;
}
