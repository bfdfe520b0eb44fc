/**
 * Retention (152-FZ, archival terms): closed appeals whose retention term has passed are listed for
 * the expert commission (ЭПК); its act, once recorded, erases their applicants' personal data in
 * the same transaction. Nothing is erased without a recorded act, and an appeal is in one act only.
 */
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { localDate } from '@appeal-ledger/appeal';
import { CONTROL_SCHEMA } from '@appeal-ledger/projections';
import { AppealRepository } from '../appeals/appeal.repository';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PG_POOL } from '../infrastructure/infrastructure.module';
import { PersonalDataVault } from '../personal-data/personal-data.vault';
import { today } from '../shared/business-time';
import { CLOCK, type Clock } from '../shared/clock';
import { ok, type Outcome } from '../shared/outcome';
import { EXPERT_REVIEW_MARK, lastDueClosureYear, retentionDueOn } from './retention.rules';

export interface RetentionCandidate {
  appealId: string;
  number: string;
  /** the local date the appeal was closed */
  closedOn: string;
  /** 1 January of the year after closure, plus the retention term */
  retentionDueOn: string;
  mark: typeof EXPERT_REVIEW_MARK;
}

export type RetentionRefusalReason = 'unknown' | 'not_closed' | 'not_due' | 'already_decided';

export interface RetentionRefusal {
  appealId: string;
  reason: RetentionRefusalReason;
  detail: string;
}

export interface RetentionDecision {
  decisionId: string;
  act: { number: string; date: string };
  recordedAt: string;
  recordedBy: string;
  appeals: { appealId: string; number: string; closedOn: string; keysDestroyed: number }[];
}

/**
 * Why an act is refused, nothing recorded or erased: dated after today (400 on `date`), or some of its
 * appeals cannot be erased by it (422 retention-refused, each refusal listed).
 */
export type RetentionActRefusal =
  | { ok: false; reason: 'act_after_today'; today: string }
  | { ok: false; reason: 'retention_refused'; refusals: RetentionRefusal[]; appeals: number };

type Assessment = { ok: true; candidate: RetentionCandidate } | { ok: false; refusal: RetentionRefusal };

@Injectable()
export class RetentionService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly repository: AppealRepository,
    private readonly vault: PersonalDataVault,
  ) {}

  private get years(): number {
    return this.config.hardening.retentionYears;
  }

  private today(): string {
    return today(this.config.timeZone, this.clock.now());
  }

  /**
   * Closed appeals due for the commission and in no act yet, oldest closure first. The control read
   * model narrows the search (it left control on or before its closure); each is then judged on
   * its own stream.
   */
  async candidates(): Promise<RetentionCandidate[]> {
    const todayIs = this.today();
    const before = `${String(lastDueClosureYear(todayIs, this.years) + 1).padStart(4, '0')}-01-01`;
    const { rows } = await this.pool.query<{ appeal_id: string }>(
      `SELECT a.appeal_id FROM ${CONTROL_SCHEMA}.appeals a
        WHERE a.state = 'closed' AND a.off_control_on < $1::date
          AND NOT EXISTS (SELECT 1 FROM retention_decision_appeals r WHERE r.appeal_id::text = a.appeal_id)
        ORDER BY a.off_control_on, a.appeal_id`,
      [before],
    );
    const ids = rows.map((r) => r.appeal_id);
    await this.repository.warm(ids);
    const out: RetentionCandidate[] = [];
    for (const id of ids) {
      const assessed = await this.assess(id, todayIs, new Set());
      if (assessed.ok) out.push(assessed.candidate);
    }
    return out.sort((a, b) => a.closedOn.localeCompare(b.closedOn) || a.number.localeCompare(b.number));
  }

  /** Recorded acts, newest first. */
  async decisions(): Promise<RetentionDecision[]> {
    const { rows } = await this.pool.query<{
      decision_id: string;
      act_number: string;
      act_date: string;
      recorded_at: Date;
      recorded_by: string;
      appeals: { appealId: string; number: string; closedOn: string; keysDestroyed: number }[];
    }>(
      `SELECT d.decision_id, d.act_number, to_char(d.act_date, 'YYYY-MM-DD') AS act_date, d.recorded_at,
              d.recorded_by,
              json_agg(json_build_object('appealId', a.appeal_id, 'number', a.number,
                'closedOn', to_char(a.closed_on, 'YYYY-MM-DD'), 'keysDestroyed', a.keys_destroyed)
                ORDER BY a.closed_on, a.number) AS appeals
         FROM retention_decisions d JOIN retention_decision_appeals a USING (decision_id)
        GROUP BY d.decision_id ORDER BY d.recorded_at DESC, d.decision_id`,
    );
    return rows.map((r) => ({
      decisionId: r.decision_id,
      act: { number: r.act_number, date: r.act_date },
      recordedAt: r.recorded_at.toISOString(),
      recordedBy: r.recorded_by,
      appeals: r.appeals,
    }));
  }

  /**
   * Records the commission's act and erases the personal data of every appeal in it — all or
   * nothing: one refused appeal (unknown, not closed, not yet due, already in an act) refuses the
   * act, each refusal listed, and nothing is recorded or erased.
   */
  async decide(
    act: { number: string; date: string; appealIds: string[] },
    actorId: string,
  ): Promise<Outcome<RetentionDecision, RetentionActRefusal>> {
    const todayIs = this.today();
    if (act.date > todayIs) return { ok: false, reason: 'act_after_today', today: todayIs };
    const ids = [...new Set(act.appealIds.map((id) => id.toLowerCase()))];
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // One act at a time: two acts naming one appeal cannot both pass the "already decided" check.
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended('appeal-ledger:retention', 0))");
      const decided = await client.query<{ appeal_id: string }>(
        'SELECT appeal_id FROM retention_decision_appeals WHERE appeal_id = ANY($1::uuid[])',
        [ids],
      );
      const already = new Set(decided.rows.map((r) => r.appeal_id));
      await this.repository.warm(ids);
      const assessed = await Promise.all(ids.map((id) => this.assess(id, todayIs, already)));
      const refusals = assessed.flatMap((a) => (a.ok ? [] : [a.refusal]));
      if (refusals.length > 0) {
        await client.query('ROLLBACK');
        return { ok: false, reason: 'retention_refused', refusals, appeals: ids.length };
      }
      const decisionId = randomUUID();
      const inserted = await client.query<{ recorded_at: Date }>(
        `INSERT INTO retention_decisions (decision_id, act_number, act_date, recorded_by)
         VALUES ($1, $2, $3, $4) RETURNING recorded_at`,
        [decisionId, act.number, act.date, actorId],
      );
      const appeals: RetentionDecision['appeals'] = [];
      for (const a of assessed) {
        if (!a.ok) continue;
        const { appealId, number, closedOn } = a.candidate;
        const keysDestroyed = await this.vault.destroyInTransaction(client, appealId, actorId);
        await client.query(
          `INSERT INTO retention_decision_appeals (appeal_id, decision_id, number, closed_on, keys_destroyed)
           VALUES ($1, $2, $3, $4, $5)`,
          [appealId, decisionId, number, closedOn, keysDestroyed],
        );
        appeals.push({ appealId, number, closedOn, keysDestroyed });
      }
      await client.query('COMMIT');
      for (const a of appeals) await this.vault.evictAppeal(a.appealId);
      return ok({
        decisionId,
        act: { number: act.number, date: act.date },
        recordedAt: inserted.rows[0].recorded_at.toISOString(),
        recordedBy: actorId,
        appeals,
      });
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async assess(appealId: string, todayIs: string, decided: ReadonlySet<string>): Promise<Assessment> {
    const refuse = (reason: RetentionRefusalReason, detail: string): Assessment => ({
      ok: false,
      refusal: { appealId, reason, detail },
    });
    if (decided.has(appealId)) return refuse('already_decided', 'the appeal is already in a recorded act');
    const appeal = this.repository.cached(appealId) ?? (await this.repository.load(appealId));
    if (!appeal) return refuse('unknown', 'no such appeal');
    const { status, context } = appeal.state;
    if (status !== 'closed' || !context.closedAt)
      return refuse('not_closed', `the appeal is ${status}: only a closed appeal's file is kept for a term`);
    const closedOn = localDate(context.closedAt, this.config.timeZone);
    const dueOn = retentionDueOn(closedOn, this.years);
    if (dueOn > todayIs)
      return refuse('not_due', `closed on ${closedOn}: its ${this.years}-year term runs until ${dueOn}`);
    return {
      ok: true,
      candidate: {
        appealId,
        number: context.number,
        closedOn,
        retentionDueOn: dueOn,
        mark: EXPERT_REVIEW_MARK,
      },
    };
  }
}
