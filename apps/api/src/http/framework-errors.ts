/**
 * Errors Fastify's router raises before a request reaches Nest (a URL it cannot decode), answered
 * as problem+json like every other error.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Problem, PROBLEM_CONTENT_TYPE } from './problem';

export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const problem = Problem.validation([{ field: 'url', message: error.message }], error.message);
  void reply
    .status(400)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problem.body(request.url)));
}
