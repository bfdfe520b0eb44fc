/** Route metadata: who may call an endpoint. Every route needs a token unless marked @Public(). */
import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { HttpRequest } from '../http/http-types';
import type { Principal, Role } from './principal';

export const PUBLIC_KEY = 'appeal-ledger:public';
export const ROLES_KEY = 'appeal-ledger:roles';

export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

export const IDENTIFY_KEY = 'appeal-ledger:identify';
/**
 * On a @Public() route: who the caller is when they sent a valid token or session (`req.principal`),
 * anonymous otherwise — never a 401 (e.g. /health answers everyone, with details for operators).
 */
export const IdentifyIfSignedIn = (): MethodDecorator & ClassDecorator => SetMetadata(IDENTIFY_KEY, true);
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

export type AuthenticatedRequest = HttpRequest & {
  principal?: Principal;
  /** when the bearer token expires (ms since the epoch); unset for a web session */
  credentialExpiresAtMs?: number;
  /**
   * A web session's credential: whether the session is still alive (not signed out, not idle past
   * SESSION_IDLE_MINUTES, account enabled), without counting as activity; unset for a bearer token.
   */
  credentialAlive?: () => Promise<boolean>;
};

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a public route');
  return principal;
});
