/**
 * Requests per minute per client address (RATE_LIMIT_PER_ADDRESS_PER_MINUTE), counted by
 * @fastify/rate-limit in an `onRequest` hook, before anything else is done for the request: a flood
 * of unauthenticated or badly signed requests costs one counter each. Over the limit: 429
 * problem+json with `Retry-After`. The address is Fastify's `request.ip` (X-Forwarded-For only with
 * TRUST_PROXY). The per-principal limit is counted after authentication (auth/auth.guard.ts).
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { Problem } from './problem';

export async function registerAddressRateLimit(server: FastifyInstance, perMinute: number): Promise<void> {
  if (perMinute <= 0) return;
  await server.register(rateLimit, {
    global: true,
    max: perMinute,
    timeWindow: 60_000,
    cache: 50_000,
    // Only Retry-After on a refusal; no X-RateLimit-* on every answer.
    addHeadersOnExceeding: {
      'x-ratelimit-limit': false,
      'x-ratelimit-remaining': false,
      'x-ratelimit-reset': false,
    },
    addHeaders: {
      'x-ratelimit-limit': false,
      'x-ratelimit-remaining': false,
      'x-ratelimit-reset': false,
      'retry-after': true,
    },
    errorResponseBuilder: (_req, context) => {
      const wait = Math.max(1, Math.ceil(context.ttl / 1000));
      return Problem.tooManyRequests(
        `more than ${perMinute} requests in a minute from this address (RATE_LIMIT_PER_ADDRESS_PER_MINUTE); retry in ${wait} s`,
        wait,
      );
    },
  });
}
