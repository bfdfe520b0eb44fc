/**
 * Reads one appeal from its event stream (always up to date), optionally as of a past instant —
 * after the access policy allowed the reader on the appeal's assignment NOW (docs/access.md): a past
 * assignment opens nothing, and the past state carries the current assignment for the renderer.
 */
import { Injectable } from '@nestjs/common';
import type { Principal } from '../../auth/principal';
import { factsOf, mayReadAppeal } from '../../access/access-policy';
import { ok } from '../../shared/outcome';
import { forbidden, notFound, type Read } from '../../shared/read-refusal';
import { AppealRepository, type LoadedAppeal } from '../appeal.repository';

export interface GetAppealInput {
  appealId: string;
  /** epoch ms; undefined for now */
  asOfMs?: number;
  /** who reads (judged on the assignment now) */
  principal: Principal;
}

@Injectable()
export class GetAppeal {
  constructor(private readonly repository: AppealRepository) {}

  async read({ appealId, asOfMs, principal }: GetAppealInput): Promise<Read<LoadedAppeal>> {
    const now = await this.repository.load(appealId);
    if (!now) return notFound(`appeal ${appealId} not found`);
    const current = factsOf(now.state);
    if (!mayReadAppeal(principal, current, 'summary')) return forbidden(NOT_YOURS);
    if (asOfMs === undefined) return ok(now);
    const then = await this.repository.loadAsOf(appealId, asOfMs);
    if (!then)
      return notFound(`appeal ${appealId} was not registered yet at ${new Date(asOfMs).toISOString()}`);
    return ok({ ...then, current });
  }
}

/** The refusal names nothing about the appeal (state, number, people). */
export const NOT_YOURS =
  'you may not read this appeal: it is neither in your department nor assigned to you (docs/access.md)';
