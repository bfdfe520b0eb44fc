/**
 * Applies the rule of references to other appeals (access/appeal-references.ts, docs/access.md) for
 * one reader: which of the named appeals they may read now, judged by the access policy on each
 * appeal's assignment now. Readers of every appeal need no lookup; others have each named appeal
 * loaded (the repository's cache keeps them).
 */
import { Injectable } from '@nestjs/common';
import { factsOf, mayReadAppeal, readsEveryAppeal } from '../access/access-policy';
import {
  flagWithReadableReference,
  referencedAppealIds,
  withReadableReferences,
  type ReferencingView,
} from '../access/appeal-references';
import type { Principal } from '../auth/principal';
import { AppealRepository } from './appeal.repository';

@Injectable()
export class AppealReferenceFilter {
  constructor(private readonly repository: AppealRepository) {}

  /** The ids among `ids` of appeals `principal` may read now (a missing appeal is not readable). */
  async readable(principal: Principal, ids: readonly string[]): Promise<Set<string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0 || readsEveryAppeal(principal)) return new Set(unique);
    const readable = await Promise.all(
      unique.map(async (id) => {
        const other = await this.repository.load(id);
        return other !== undefined && mayReadAppeal(principal, factsOf(other.state), 'summary');
      }),
    );
    return new Set(unique.filter((_, i) => readable[i]));
  }

  /** A summary naming only the other appeals `principal` may read. */
  async summary<V extends ReferencingView>(principal: Principal, view: V): Promise<V> {
    const ids = referencedAppealIds(view);
    if (ids.length === 0) return view;
    return withReadableReferences(view, await this.readable(principal, ids));
  }

  /** An arrival flag naming the termination's appeal only when `principal` may read it. */
  async flag<F extends { terminationAppealId?: string }>(principal: Principal, flag: F): Promise<F>;
  async flag<F extends { terminationAppealId?: string }>(
    principal: Principal,
    flag: F | null,
  ): Promise<F | null>;
  async flag<F extends { terminationAppealId?: string }>(
    principal: Principal,
    flag: F | null,
  ): Promise<F | null> {
    if (!flag?.terminationAppealId) return flag;
    return flagWithReadableReference(flag, await this.readable(principal, [flag.terminationAppealId]));
  }

  /** Rows of a list, each flag naming the termination's appeal only when `principal` may read it. */
  async rows<R extends { correspondenceTerminated?: { terminationAppealId?: string } }>(
    principal: Principal,
    rows: R[],
  ): Promise<R[]> {
    const ids = rows.flatMap((r) => r.correspondenceTerminated?.terminationAppealId ?? []);
    if (ids.length === 0) return rows;
    const readable = await this.readable(principal, ids);
    return rows.map((r) =>
      r.correspondenceTerminated
        ? { ...r, correspondenceTerminated: flagWithReadableReference(r.correspondenceTerminated, readable) }
        : r,
    );
  }
}
