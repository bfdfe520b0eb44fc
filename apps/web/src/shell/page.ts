/**
 * How a page is declared: `@PageController('/control')` on a class whose handlers return
 * `Html` (from `shell.page(...)`) or a `redirectTo(...)`. The decorator mounts the class under the
 * internal /ui prefix, hides it from OpenAPI, renders its errors as HTML (401 → the sign-in page)
 * and sends its Html as text/html.
 */
import {
  applyDecorators,
  Controller,
  Inject,
  Injectable,
  UseFilters,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { map, type Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../../../api/src/auth/auth.decorators';
import { APP_CONFIG, type AppConfig } from '../../../api/src/config/app-config';
import type { HttpReply } from '../../../api/src/http/http-types';
import { UI_PREFIX } from '../page-paths';
import { Html } from './html';
import { layout, type PageContent, type PageContext } from './layout';
import { PageExceptionFilter } from './page-exception.filter';

/** What the auth guard attaches to a request that came with a valid session cookie. */
export interface WebSessionInfo {
  csrfToken: string;
}

export type PageRequest = AuthenticatedRequest & { webSession?: WebSessionInfo };

/** A redirect a page handler returns (303: the browser follows with GET). */
export class PageRedirect {
  constructor(
    readonly location: string,
    readonly status = 303,
  ) {}
}
export const redirectTo = (location: string, status = 303): PageRedirect =>
  new PageRedirect(location, status);

/** The public path of a page request (without the /ui prefix and without the query). */
export function publicPath(req: { url: string }): string {
  const url = req.url.startsWith(UI_PREFIX) ? req.url.slice(UI_PREFIX.length) || '/' : req.url;
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** The public path and query of a page request, e.g. for «?next=» after sign-in. */
export function publicUrl(req: { url: string }): string {
  return req.url.startsWith(UI_PREFIX) ? req.url.slice(UI_PREFIX.length) || '/' : req.url;
}

@Injectable()
export class Shell {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get timeZone(): string {
    return this.config.timeZone;
  }

  context(req: PageRequest): PageContext {
    return {
      principal: req.principal,
      csrfToken: req.webSession?.csrfToken,
      path: publicPath(req),
      timeZone: this.config.timeZone,
    };
  }

  /** The page's whole document: the layout around `content`. */
  page(req: PageRequest, content: PageContent): Html {
    return layout(this.context(req), content);
  }
}

@Injectable()
export class HtmlInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const reply = context.switchToHttp().getResponse<HttpReply>();
    return next.handle().pipe(
      map((result: unknown) => {
        if (result instanceof PageRedirect) {
          void reply.status(result.status).header('location', result.location);
          return '';
        }
        if (result instanceof Html) {
          void reply.header('content-type', 'text/html; charset=utf-8');
          return result.value;
        }
        return result;
      }),
    );
  }
}

/** Declares a page controller at a public path (`'/control'`, `'/appeals'`, `'/'`). */
export function PageController(path: string): ClassDecorator {
  const internal = (UI_PREFIX + (path === '/' ? '' : path)).replace(/^\//, '');
  return applyDecorators(
    Controller(internal),
    ApiExcludeController(),
    UseFilters(PageExceptionFilter),
    UseInterceptors(HtmlInterceptor),
  );
}
