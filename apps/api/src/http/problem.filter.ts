/** Renders every error as application/problem+json; unexpected ones are logged and hidden. */
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { HttpReply, HttpRequest } from './http-types';
import { LOGGER } from '../logging/logger.module';
import type { Logger } from '../logging/logger';
import { prefersRussian, russianFieldErrors, russianValidationDetail } from './field-words';
import { clip, MAX_DETAIL_LENGTH, Problem, PROBLEM_CONTENT_TYPE, ProblemBody } from './problem';

const TITLES: Record<number, string> = {
  400: 'Invalid request',
  401: 'Authentication required',
  403: 'Not allowed',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable request',
  429: 'Too many requests',
  503: 'Service unavailable',
};

@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly log: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<HttpReply>();
    const req = http.getRequest<HttpRequest>();
    let body = this.toBody(exception, req.originalUrl);
    const russian = Array.isArray(body.errors) && prefersRussian(req.headers['accept-language']);
    if (russian) body = inRussian(body, exception);
    if (body.status >= 500) this.log.error({ err: exception, url: req.originalUrl }, 'request failed');
    if (res.sent || res.raw.headersSent) return;
    if (Array.isArray(body.errors)) {
      const vary = res.getHeader('vary');
      void res.header('Vary', vary ? `${String(vary)}, Accept-Language` : 'Accept-Language');
    }
    if (russian) void res.header('Content-Language', 'ru');
    const retryAfter = exception instanceof Problem ? exception.retryAfterSeconds : undefined;
    if (retryAfter !== undefined && !res.getHeader('retry-after'))
      void res.header('Retry-After', String(retryAfter));
    void res.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  }

  private toBody(exception: unknown, instance: string): ProblemBody {
    if (exception instanceof Problem) return exception.body(instance);
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      let detail = exception.message;
      if (typeof response === 'object' && response !== null && 'message' in response) {
        const m = response.message;
        detail = Array.isArray(m) ? m.map(String).join('; ') : String(m);
      }
      detail = clip(detail, MAX_DETAIL_LENGTH);
      // A 400 not raised by our validation (e.g. the JSON parser's malformed body) still names what was wrong.
      if (status === 400) {
        const malformed = /JSON/i.test(detail);
        return {
          type: 'https://appeal-ledger.dev/problems/validation',
          title: TITLES[400],
          status,
          detail: malformed ? `The request body is not valid JSON: ${detail}` : detail,
          instance,
          errors: [{ field: 'body', message: malformed ? 'malformed JSON' : detail }],
        };
      }
      return {
        type: `https://appeal-ledger.dev/problems/http-${status}`,
        title: TITLES[status] ?? 'Error',
        status,
        detail,
        instance,
      };
    }
    return {
      type: 'https://appeal-ledger.dev/problems/internal',
      title: 'Internal error',
      status: 500,
      detail: 'The server failed to process the request; it has been logged.',
      instance,
    };
  }
}

/**
 * The field errors and the detail in Russian words (field-words.ts), for a request that prefers
 * Russian: what the pages show next to their fields. The rest of the body is unchanged.
 */
function inRussian(body: ProblemBody, exception: unknown): ProblemBody {
  const ruled = exception instanceof Problem ? exception.fieldErrors : [];
  const sent = body.errors as { field: string; message: string }[];
  const errors = russianFieldErrors(ruled.length === sent.length ? ruled : sent);
  return { ...body, detail: russianValidationDetail(errors), errors };
}
