/**
 * Errors on pages, as pages: 401 → the sign-in page (with the page asked for), 403/404/other → a
 * short HTML page in Russian. Unexpected errors are logged, never shown.
 */
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../api/src/config/app-config';
import type { HttpReply } from '../../../api/src/http/http-types';
import { LOGGER } from '../../../api/src/logging/logger.module';
import type { Logger } from '../../../api/src/logging/logger';
import { html } from './html';
import { layout } from './layout';
import type { PageRequest } from './page';
import { publicPath, publicUrl } from './page';

const MESSAGES: Record<number, { title: string; text: string }> = {
  400: { title: 'Неверный запрос', text: 'Запрос содержит ошибку.' },
  403: { title: 'Нет доступа', text: 'Этот раздел недоступен для ваших ролей.' },
  404: { title: 'Страница не найдена', text: 'Такой страницы нет или она была удалена.' },
  429: { title: 'Слишком много запросов', text: 'Повторите попытку немного позже.' },
};

@Catch()
export class PageExceptionFilter implements ExceptionFilter {
  constructor(
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<HttpReply>();
    const req = http.getRequest<PageRequest>();
    if (reply.sent || reply.raw.headersSent) return;
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    if (status === 401) {
      const next = publicUrl(req);
      const location = next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
      void reply.status(303).header('location', location).send('');
      return;
    }
    if (status >= 500) this.log.error({ err: exception, url: req.originalUrl }, 'page failed');
    const message = MESSAGES[status] ?? {
      title: 'Ошибка',
      text: 'Не удалось выполнить запрос. Ошибка записана в журнал сервера; повторите попытку позже.',
    };
    const body = layout(
      {
        principal: req.principal,
        csrfToken: req.webSession?.csrfToken,
        path: publicPath(req),
        timeZone: this.config.timeZone,
      },
      {
        title: message.title,
        body: html`<p>${message.text}</p>
          <p><a href="/">На главную</a></p>`,
      },
    );
    void reply.status(status).header('content-type', 'text/html; charset=utf-8').send(body.value);
  }
}
