/**
 * Verifies the bearer JWT (token-verifier.ts: local HS256, or an identity provider's through its
 * JWKS) — or, without an Authorization header, the web session cookie (with its CSRF token on state
 * changes; apps/web) — then the principal's request rate and the route's roles: 401 without a valid
 * token or session, 429 over RATE_LIMIT_PER_MINUTE, 403 without a role.
 */
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { HttpReply } from '../http/http-types';
import { Problem } from '../http/problem';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { AuthenticatedRequest, IDENTIFY_KEY, PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import type { Role } from './principal';
import { PrincipalRateLimit } from './principal-rate-limit';
import { TokenVerifier } from './token-verifier';
import { WebSessions } from '../../../web/src/accounts/web-sessions';

@Injectable()
export class AuthGuard implements CanActivate {
  private readonly rate: PrincipalRateLimit;

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenVerifier,
    private readonly sessions: WebSessions,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.rate = new PrincipalRateLimit(config.auth.rateLimitPerMinute);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) {
      if (this.reflector.getAllAndOverride<boolean>(IDENTIFY_KEY, targets)) await this.identify(req);
      return true;
    }
    if (req.headers.authorization) {
      const verified = await this.authenticate(req.headers.authorization);
      req.principal = verified.principal;
      req.credentialExpiresAtMs = verified.expiresAtMs;
    } else await this.sessions.authenticate(req);
    const principal = req.principal;
    if (!principal) throw Problem.unauthorized('send Authorization: Bearer <token>');
    const wait = this.rate.hit(principal.id);
    if (wait > 0) {
      void context.switchToHttp().getResponse<HttpReply>().header('retry-after', String(wait));
      throw Problem.tooManyRequests(
        `more than ${this.rate.perMinute} requests in a minute from "${principal.id}" (RATE_LIMIT_PER_MINUTE); retry in ${wait} s`,
        wait,
      );
    }
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (required && !required.some((r) => principal.roles.includes(r))) {
      throw Problem.forbidden(
        `this action needs one of the roles: ${required.join(', ')}; you have: ${principal.roles.join(', ') || 'none'}`,
      );
    }
    return true;
  }

  /** A public route's caller, when they are signed in; anonymous (no principal) otherwise. */
  private async identify(req: AuthenticatedRequest): Promise<void> {
    try {
      if (req.headers.authorization)
        req.principal = (await this.authenticate(req.headers.authorization)).principal;
      else await this.sessions.authenticate(req);
    } catch {
      req.principal = undefined;
    }
  }

  private async authenticate(header: string) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw Problem.unauthorized('the Authorization header must be "Bearer <token>"');
    return this.tokens.verify(match[1]);
  }
}
