/**
 * Errors Fastify's router raises before a request reaches Nest (a URL it cannot decode), answered
 * as problem+json like every other error.
 */
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Problem, PROBLEM_CONTENT_TYPE } from './problem';
import { rawSecurityHeaderLines, securityHeadersFor } from './security-headers';

export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const problem = Problem.validation([{ field: 'url', message: error.message }], error.message);
  // Fastify answers these before any hook runs: the security headers are set here.
  void reply
    .headers(securityHeadersFor(request.url))
    .status(400)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problem.body(request.url)));
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (a NUL or another control character
 * in a header, a malformed request line): 400 problem+json instead of Fastify's plain JSON, and 408
 * / 431 for a request that timed out or whose headers are too large.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, detail] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'Request Timeout', 'The request was not received in time.']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', 'The request headers are too large.']
        : [
            400,
            'Bad Request',
            'The request is not valid HTTP (e.g. a NUL or another control character in a header).',
          ];
  const body = JSON.stringify({
    type:
      status === 400
        ? 'https://appeal-ledger.dev/problems/validation'
        : `https://appeal-ledger.dev/problems/http-${status}`,
    title: status === 400 ? 'Invalid request' : reason,
    status,
    detail,
    ...(status === 400
      ? { errors: [{ field: 'request', message: 'malformed HTTP request or header' }] }
      : {}),
  });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\n${rawSecurityHeaderLines()}\r\n${body}`,
    );
  }
  socket.destroy(error);
}
