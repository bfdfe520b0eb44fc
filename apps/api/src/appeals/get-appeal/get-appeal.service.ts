/**
 * Reads one appeal from its event stream (always up to date), optionally as of a past instant —
 * after the access policy allowed the reader on the appeal's assignment NOW (docs/access.md): a past
 * assignment opens nothing, and the past state carries the current assignment for the renderer.
 */
import { Injectable } from '@nestjs/common';
import type { Principal } from '../../auth/principal';
import { factsOf, mayReadAppeal } from '../../access/access-policy';
import { Problem } from '../../http/problem';
import { AppealRepository, type LoadedAppeal } from '../appeal.repository';

@Injectable()
export class GetAppeal {
  constructor(private readonly repository: AppealRepository) {}

  /** `asOfMs`: epoch ms, undefined for now; `principal`: who reads (judged on the assignment now). */
  async execute(appealId: string, asOfMs: number | undefined, principal: Principal): Promise<LoadedAppeal> {
    const now = await this.repository.load(appealId);
    if (!now) throw Problem.notFound(`appeal ${appealId} not found`);
    const current = factsOf(now.state);
    if (!mayReadAppeal(principal, current, 'summary')) throw Problem.forbidden(NOT_YOURS);
    if (asOfMs === undefined) return now;
    const then = await this.repository.loadAsOf(appealId, asOfMs);
    if (!then) {
      throw Problem.notFound(
        `appeal ${appealId} was not registered yet at ${new Date(asOfMs).toISOString()}`,
      );
    }
    return { ...then, current };
  }
}

/** The refusal names nothing about the appeal (state, number, people). */
export const NOT_YOURS =
  'you may not read this appeal: it is neither in your department nor assigned to you (docs/access.md)';
