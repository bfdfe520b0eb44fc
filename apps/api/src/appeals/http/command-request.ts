/** Reads the command headers of docs/api.md (If-Match, Idempotency-Key, X-Correlation-Id) from a request. */
import { randomUUID } from 'node:crypto';
import { UUID_PATTERN } from '@appeal-ledger/event-store';
import { headerOf, pathOf, type HttpRequest } from '../../http/http-types';
import type { Principal } from '../../auth/principal';
import { Problem } from '../../http/problem';
import { fingerprint } from '../../idempotency/idempotency.store';
import type { CommandOptions } from '../appeal-command.service';

export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const m = /^\s*(?:W\/)?"(\d+)"\s*$/.exec(header) ?? /^\s*(\d+)\s*$/.exec(header);
  if (!m) {
    throw Problem.validation([{ field: 'If-Match', message: 'must be the ETag of the appeal, e.g. "3"' }]);
  }
  return Number(m[1]);
}

export function commandOptions(req: HttpRequest, principal: Principal, body: unknown): CommandOptions {
  const key = headerOf(req, 'idempotency-key');
  if (key !== undefined && !UUID_PATTERN.test(key.trim())) {
    throw Problem.validation([{ field: 'Idempotency-Key', message: 'must be a UUID' }]);
  }
  const correlation = headerOf(req, 'x-correlation-id');
  return {
    principal,
    ifMatch: parseIfMatch(headerOf(req, 'if-match')),
    idempotencyKey: key?.trim().toLowerCase(),
    // Only a keyed command is ever compared with an earlier one.
    fingerprint:
      key === undefined
        ? ''
        : fingerprint({ method: req.method, route: pathOf(req), principalId: principal.id, body }),
    correlationId: correlation && correlation.length <= 200 ? correlation : randomUUID(),
  };
}

export function assertAppealId(id: string): string {
  if (!UUID_PATTERN.test(id)) throw Problem.notFound(`appeal ${id} not found (appeal ids are UUIDs)`);
  return id.toLowerCase();
}
