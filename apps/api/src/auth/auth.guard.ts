/**
 * Verifies the bearer JWT (HS256) — or, without an Authorization header, the web session cookie
 * (with its CSRF token on state changes; apps/web) — and the route's roles: 401 without a valid
 * token or session, 403 without a role.
 */
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { Problem } from '../http/problem';
import { AuthenticatedRequest, IDENTIFY_KEY, PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { isRole, Principal, Role } from './principal';
import { WebSessions } from '../../../web/src/accounts/web-sessions';

/** Verified tokens, so a client's repeated token is not re-verified on every request. */
const VERIFIED_CACHE_LIMIT = 10_000;

/** Longest identity claims accepted: the bounds of an executor's id and name in a command body. */
const MAX_CLAIM_LENGTH = { sub: 200, name: 300, department: 300 } as const;

/** A C0/C1 control character, or a surrogate half without its other half. */
function unrecordable(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0xdc00 && c <= 0xdfff)) return true;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i++;
    }
  }
  return false;
}

function recordable(claim: string, value: string, maxLength: number): void {
  if (value.length > maxLength || unrecordable(value)) {
    throw Problem.unauthorized(
      `the token's "${claim}" claim must be text of at most ${maxLength} characters, without control characters or unpaired surrogates`,
    );
  }
}

@Injectable()
export class AuthGuard implements CanActivate {
  private readonly verified = new Map<string, { principal: Principal; expiresAtMs: number }>();

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly sessions: WebSessions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) {
      if (this.reflector.getAllAndOverride<boolean>(IDENTIFY_KEY, targets)) await this.identify(req);
      return true;
    }
    if (req.headers.authorization) req.principal = await this.authenticate(req.headers.authorization);
    else await this.sessions.authenticate(req);
    const principal = req.principal;
    if (!principal) throw Problem.unauthorized('send Authorization: Bearer <token>');
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
      if (req.headers.authorization) req.principal = await this.authenticate(req.headers.authorization);
      else await this.sessions.authenticate(req);
    } catch {
      req.principal = undefined;
    }
  }

  private async authenticate(header: string | undefined): Promise<Principal> {
    if (!header) throw Problem.unauthorized('send Authorization: Bearer <token>');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw Problem.unauthorized('the Authorization header must be "Bearer <token>"');
    const token = match[1];
    const hit = this.verified.get(token);
    if (hit && hit.expiresAtMs > Date.now()) return hit.principal;
    const principal = await this.verify(token);
    return principal;
  }

  private async verify(token: string): Promise<Principal> {
    let claims: Record<string, unknown>;
    try {
      claims = await this.jwt.verifyAsync<Record<string, unknown>>(token, { algorithms: ['HS256'] });
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'invalid token';
      throw Problem.unauthorized(`the bearer token was refused: ${reason}`);
    }
    const { sub, name, roles, department } = claims;
    if (typeof sub !== 'string' || sub === '') throw Problem.unauthorized('the token has no "sub" claim');
    // The actor goes into every event it writes: refuse what PostgreSQL's jsonb cannot hold (NUL,
    // unpaired surrogates) or no user id needs, rather than fail the command with a 500.
    recordable('sub', sub, MAX_CLAIM_LENGTH.sub);
    if (typeof name === 'string') recordable('name', name, MAX_CLAIM_LENGTH.name);
    if (typeof department === 'string') recordable('department', department, MAX_CLAIM_LENGTH.department);
    const list = Array.isArray(roles) ? roles : [];
    const principal: Principal = {
      id: sub,
      name: typeof name === 'string' && name ? name : sub,
      roles: list.filter(isRole),
      department: typeof department === 'string' && department ? department : undefined,
    };
    // Cache until the token expires (at most 10 minutes, so the cache never outlives a key rotation by much).
    const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : Infinity;
    if (this.verified.size >= VERIFIED_CACHE_LIMIT) this.verified.clear();
    this.verified.set(token, { principal, expiresAtMs: Math.min(exp, Date.now() + 600_000) });
    return principal;
  }
}
