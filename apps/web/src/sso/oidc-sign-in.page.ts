/**
 * `/login/oidc` (the «Войти через …» link of the sign-in page): to the identity provider, with
 * PKCE, state and nonce kept in an HttpOnly cookie for the way back; `/login/oidc/callback`: the
 * provider's answer → a web session → the start page of the roles (or `next`). Refusals are shown
 * on the sign-in page in words.
 */
import { Get, Query, Req, Res } from '@nestjs/common';
import { Public } from '../../../api/src/auth/auth.decorators';
import type { HttpReply } from '../../../api/src/http/http-types';
import { WebSessions } from '../accounts/web-sessions';
import { SignInPage, safeNext } from '../pages/sign-in.page';
import { startPageFor } from '../shell/nav';
import { PageController, redirectTo, type PageRedirect, type PageRequest } from '../shell/page';
import type { Html } from '../shell/html';
import { OidcSignIn, type PendingSignIn } from './oidc-sign-in.service';

const PENDING_COOKIE = 'al_oidc';
const PENDING_MAX_AGE_S = 600;

type CookieRequest = PageRequest & { cookies?: Record<string, string | undefined> };

const MESSAGES = {
  unreachable: 'Поставщик единого входа недоступен. Повторите попытку позже или войдите по логину и паролю.',
  refused: 'Единый вход не выполнен. Повторите попытку.',
  taken: 'Учётная запись с этим именем уже есть в системе. Обратитесь к администратору.',
  disabled: 'Учётная запись отключена. Обратитесь к администратору.',
  off: 'Единый вход не настроен.',
} as const;

function readPending(raw: string | undefined): PendingSignIn | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<PendingSignIn>;
    if (
      typeof value.state !== 'string' ||
      typeof value.nonce !== 'string' ||
      typeof value.codeVerifier !== 'string'
    )
      return undefined;
    return {
      state: value.state,
      nonce: value.nonce,
      codeVerifier: value.codeVerifier,
      next: safeNext(value.next),
    };
  } catch {
    return undefined;
  }
}

@PageController('/login/oidc')
@Public()
export class OidcSignInPage {
  constructor(
    private readonly oidc: OidcSignIn,
    private readonly sessions: WebSessions,
    private readonly signInPage: SignInPage,
  ) {}

  @Get()
  async start(
    @Req() req: CookieRequest,
    @Res({ passthrough: true }) reply: HttpReply,
    @Query('next') next?: string,
  ): Promise<PageRedirect | Html> {
    if (!this.oidc.config) return this.refuse(req, reply, 404, MESSAGES.off);
    let started: Awaited<ReturnType<OidcSignIn['start']>>;
    try {
      started = await this.oidc.start(safeNext(next));
    } catch {
      return this.refuse(req, reply, 503, MESSAGES.unreachable);
    }
    void reply.setCookie(PENDING_COOKIE, Buffer.from(JSON.stringify(started.pending)).toString('base64url'), {
      httpOnly: true,
      // Lax: the provider sends the browser back with a top-level GET from its own origin.
      sameSite: 'lax',
      path: '/login/oidc',
      maxAge: PENDING_MAX_AGE_S,
      secure: req.protocol === 'https',
    });
    return redirectTo(started.url, 302);
  }

  @Get('callback')
  async callback(
    @Req() req: CookieRequest,
    @Res({ passthrough: true }) reply: HttpReply,
    @Query() query: Record<string, unknown>,
  ): Promise<PageRedirect | Html> {
    if (!this.oidc.config) return this.refuse(req, reply, 404, MESSAGES.off);
    const pending = readPending(req.cookies?.[PENDING_COOKIE]);
    void reply.clearCookie(PENDING_COOKIE, { path: '/login/oidc' });
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(query)) if (typeof value === 'string') params[key] = value;
    // No pending sign-in from this browser, or another one's state: nothing is sent to the provider.
    if (!pending || params.state !== pending.state) return this.refuse(req, reply, 400, MESSAGES.refused);
    const result = await this.oidc.finish(params, pending);
    if (!result.ok)
      return this.refuse(req, reply, result.reason === 'refused' ? 401 : 403, MESSAGES[result.reason]);
    this.sessions.setCookie(req, reply, result.token);
    return redirectTo(pending.next ?? startPageFor(result.account.roles));
  }

  private refuse(req: CookieRequest, reply: HttpReply, status: number, error: string): Html {
    void reply.status(status);
    return this.signInPage.render(req, reply, { error });
  }
}
