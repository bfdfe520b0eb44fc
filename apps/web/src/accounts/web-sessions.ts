/**
 * The session cookie's side of authentication, used by the AuthGuard when a request has no
 * Authorization header: the `al_session` cookie → the account's Principal. A cookie-authenticated
 * request that changes state must carry the session's CSRF token (`X-CSRF-Token`, or `_csrf` in a
 * form), or it is refused with 403.
 */
import { Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { Problem } from '../../../api/src/http/problem';
import type { HttpReply, HttpRequest } from '../../../api/src/http/http-types';
import { CLOCK, type Clock } from '../../../api/src/shared/clock';
import type { PageRequest } from '../shell/page';
import { AccountsService } from './accounts.service';

export const SESSION_COOKIE = 'al_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

type CookieRequest = HttpRequest & { cookies?: Record<string, string | undefined> };

const sameToken = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

@Injectable()
export class WebSessions {
  constructor(
    private readonly accounts: AccountsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  static tokenOf(req: HttpRequest): string | undefined {
    const token = (req as CookieRequest).cookies?.[SESSION_COOKIE];
    return token ? token : undefined;
  }

  /** The request's session, attached to it (principal, CSRF token); undefined without a live one. */
  async attach(req: PageRequest): Promise<boolean> {
    const token = WebSessions.tokenOf(req);
    if (!token) return false;
    const session = await this.accounts.sessions.resume(token, this.clock.now());
    if (!session) return false;
    req.principal = session.principal;
    req.webSession = { csrfToken: session.csrfToken };
    req.credentialAlive = () => this.accounts.sessions.isAlive(token, this.clock.now());
    return true;
  }

  /** For a protected route without a bearer token: the session, or 401; the CSRF check, or 403. */
  async authenticate(req: PageRequest): Promise<void> {
    if (!(await this.attach(req)) || !req.webSession)
      throw Problem.unauthorized('send Authorization: Bearer <token>, or sign in at /login');
    if (SAFE_METHODS.has(req.method)) return;
    const header = req.headers['x-csrf-token'];
    const body = req.body as Record<string, unknown> | undefined;
    const sent =
      (Array.isArray(header) ? header[0] : header) ??
      (body && typeof body === 'object' && typeof body._csrf === 'string' ? body._csrf : undefined);
    if (!sent || !sameToken(sent, req.webSession.csrfToken))
      throw Problem.forbidden('a request signed in by the session cookie must carry its X-CSRF-Token');
  }

  /** Sets the session cookie: HttpOnly, SameSite=Lax, Path=/, Secure when the request came over TLS. */
  setCookie(req: HttpRequest, reply: HttpReply, token: string): void {
    void reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: this.overTls(req),
    });
  }

  clearCookie(req: HttpRequest, reply: HttpReply): void {
    void reply.clearCookie(SESSION_COOKIE, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: this.overTls(req),
    });
  }

  /** req.protocol follows X-Forwarded-Proto only when TRUST_PROXY is set (Fastify's trustProxy). */
  private overTls(req: HttpRequest): boolean {
    return req.protocol === 'https';
  }
}
