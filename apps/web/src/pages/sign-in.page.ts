/**
 * `/login` («Логин», «Пароль», «Войти»), `/logout` («Выйти») and `/` (to the start page or the
 * sign-in page). The sign-in form is a plain HTML form (it works without scripts), protected by a
 * double-submit token: a random `al_login_csrf` cookie that the form must repeat in `_csrf`.
 */
import { Body, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Public } from '../../../api/src/auth/auth.decorators';
import { APP_CONFIG, type AppConfig } from '../../../api/src/config/app-config';
import type { HttpReply } from '../../../api/src/http/http-types';
import { Problem } from '../../../api/src/http/problem';
import { AccountsService } from '../accounts/accounts.service';
import { WebSessions } from '../accounts/web-sessions';
import { html, type Html } from '../shell/html';
import { startPageFor } from '../shell/nav';
import { PageController, redirectTo, Shell, type PageRedirect, type PageRequest } from '../shell/page';

const LOGIN_CSRF_COOKIE = 'al_login_csrf';
export const WRONG_CREDENTIALS = 'Неверный логин или пароль.';

/** Only a path of this site, never another origin (`//evil`, `/\evil`, `https:`…), never /login itself. */
export function safeNext(next: unknown): string | undefined {
  if (typeof next !== 'string' || next.length > 2000) return undefined;
  if (!/^\/(?![/\\])/.test(next) || [...next].some((c) => c < ' ' || c === '\\')) return undefined;
  if (/^\/(login|logout)(?:[/?#]|$)/.test(next)) return undefined;
  return next;
}

type CookieRequest = PageRequest & { cookies?: Record<string, string | undefined> };

@PageController('/')
@Public()
export class SignInPage {
  constructor(
    private readonly shell: Shell,
    private readonly accounts: AccountsService,
    private readonly sessions: WebSessions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async root(@Req() req: PageRequest): Promise<PageRedirect | Html> {
    if (!(await this.sessions.attach(req)) || !req.principal) return redirectTo('/login');
    const start = startPageFor(req.principal.roles);
    if (start !== '/') return redirectTo(start);
    return this.shell.page(req, {
      title: 'Нет доступных разделов',
      body: html`<p>Вашей учётной записи не назначены роли. Обратитесь к администратору.</p>`,
    });
  }

  @Get('login')
  async form(
    @Req() req: CookieRequest,
    @Res({ passthrough: true }) reply: HttpReply,
    @Query('next') next?: string,
  ): Promise<PageRedirect | Html> {
    if ((await this.sessions.attach(req)) && req.principal)
      return redirectTo(safeNext(next) ?? startPageFor(req.principal.roles));
    return this.render(req, reply, { next: safeNext(next) });
  }

  @Post('login')
  @HttpCode(200)
  async signIn(
    @Req() req: CookieRequest,
    @Res({ passthrough: true }) reply: HttpReply,
    @Body() body: Record<string, unknown> | undefined,
  ): Promise<PageRedirect | Html> {
    const field = (name: string): string => (typeof body?.[name] === 'string' ? body[name] : '');
    const next = safeNext(field('next'));
    const expected = req.cookies?.[LOGIN_CSRF_COOKIE];
    if (!expected || field('_csrf') !== expected) {
      void reply.status(403);
      return this.render(req, reply, {
        next,
        login: field('login'),
        error: 'Форма входа устарела. Введите логин и пароль ещё раз.',
      });
    }
    const result = await this.accounts.signIn(field('login'), field('password'), req.ip);
    if (!result.ok) {
      void reply.status(result.reason === 'throttled' ? 429 : 401);
      return this.render(req, reply, {
        next,
        login: field('login'),
        error:
          result.reason === 'throttled'
            ? `Слишком много неудачных попыток входа. Повторите через ${result.waitSeconds} с.`
            : WRONG_CREDENTIALS,
      });
    }
    this.sessions.setCookie(req, reply, result.token);
    void reply.clearCookie(LOGIN_CSRF_COOKIE, { path: '/login' });
    return redirectTo(next ?? startPageFor(result.account.roles));
  }

  @Post('logout')
  async signOut(
    @Req() req: PageRequest,
    @Res({ passthrough: true }) reply: HttpReply,
  ): Promise<PageRedirect> {
    // Signed in or not, the cookie goes; a live session is closed only with its CSRF token.
    if (await this.sessions.attach(req)) {
      const body = req.body as Record<string, unknown> | undefined;
      const sent = req.headers['x-csrf-token'] ?? body?._csrf;
      if (sent !== req.webSession?.csrfToken)
        throw Problem.forbidden('sign-out needs the session CSRF token');
      const token = WebSessions.tokenOf(req);
      if (token) await this.accounts.sessions.close(token);
    }
    this.sessions.clearCookie(req, reply);
    return redirectTo('/login');
  }

  /** The sign-in page (also shown by single sign-on's refusals). */
  render(req: PageRequest, reply: HttpReply, state: { next?: string; login?: string; error?: string }): Html {
    const csrf = randomBytes(18).toString('base64url');
    const oidc = this.config.web.oidc;
    const sso = oidc
      ? {
          name: oidc.providerName,
          href: state.next ? `/login/oidc?next=${encodeURIComponent(state.next)}` : '/login/oidc',
        }
      : undefined;
    void reply.setCookie(LOGIN_CSRF_COOKIE, csrf, {
      httpOnly: true,
      sameSite: 'strict',
      path: '/login',
      secure: req.protocol === 'https',
    });
    return this.shell.page(req, {
      title: 'Вход',
      body: html`<form method="post" action="/login" class="sign-in" novalidate>
        ${state.error ? html`<p class="form-error" role="alert" id="sign-in-error">${state.error}</p>` : ''}
        <input type="hidden" name="_csrf" value="${csrf}" />
        ${state.next ? html`<input type="hidden" name="next" value="${state.next}" />` : ''}
        <div class="field">
          <label for="login">Логин</label>
          <input
            id="login"
            name="login"
            type="text"
            autocomplete="username"
            required
            autofocus
            value="${state.login ?? ''}"
            ${state.error ? html`aria-describedby="sign-in-error"` : ''}
          />
        </div>
        <div class="field">
          <label for="password">Пароль</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
        </div>
        <button type="submit" class="primary">Войти</button>
      </form>
      ${
        sso
          ? html`<p class="sign-in-sso">
            <a class="button" href="${sso.href}">Войти через ${sso.name}</a>
          </p>`
          : ''
      }`,
    });
  }
}
