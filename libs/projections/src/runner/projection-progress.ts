/**
 * Waiting for a projection to reach a position (`minPosition` reads) without polling: runners
 * NOTIFY after each committed batch; one LISTEN session per process wakes the waiters, which then
 * trust only the checkpoint row.
 */
import type { ClientConfig } from 'pg';
import { PostgresNotificationListener } from '@appeal-ledger/event-store';
import { liveSchema } from '../projection.port';
import type { SqlExecutor } from '../projection.port';
import type { EngineLogger } from '../consumer/logger';
import { PROGRESS_CHANNEL, readCommittedCheckpoint } from './projection-schema';

interface Waiter {
  name: string;
  position: number;
  done(reached: boolean): void;
}

export class ProjectionProgress {
  private readonly waiters = new Set<Waiter>();
  private readonly listener: PostgresNotificationListener;
  private stopListening: (() => Promise<void>) | undefined;

  constructor(
    connection: ClientConfig,
    /** reads checkpoints (a Pool is fine) */
    private readonly db: SqlExecutor,
    private readonly logger: Pick<EngineLogger, 'warn'>,
  ) {
    this.listener = new PostgresNotificationListener(connection, PROGRESS_CHANNEL, (error) =>
      this.logger.warn(
        { error: String(error) },
        'projection progress listener lost its connection; reconnecting',
      ),
    );
  }

  async start(): Promise<void> {
    this.stopListening = this.listener.add((payload) => {
      if (payload !== undefined) this.notified(payload);
      // (re)connected or lost: commits may have happened while nobody listened
      else void this.recheckAll();
    });
    await this.listener.listening();
  }

  async stop(): Promise<void> {
    for (const waiter of this.waiters) waiter.done(false);
    // the last listener's removal closes the connection; start() may open it again
    await this.stopListening?.();
    this.stopListening = undefined;
  }

  /** In-process shortcut: a local runner reports its commit without the NOTIFY round trip. */
  reached(name: string, position: number): void {
    for (const waiter of this.waiters)
      if (waiter.name === name && position >= waiter.position) waiter.done(true);
  }

  /** Resolves true once `name`'s checkpoint is ≥ `position`, false after `timeoutMs`. */
  async waitForPosition(name: string, position: number, timeoutMs: number): Promise<boolean> {
    let waiter: Waiter | undefined;
    let timer: NodeJS.Timeout | undefined;
    const outcome = new Promise<boolean>((resolve) => {
      waiter = {
        name,
        position,
        done: (reached) => {
          if (waiter) this.waiters.delete(waiter);
          if (timer) clearTimeout(timer);
          resolve(reached);
        },
      };
      // registered before the checkpoint is read, so a commit in between is not missed
      this.waiters.add(waiter);
      timer = setTimeout(() => waiter?.done(false), Math.max(0, timeoutMs));
    });
    try {
      const checkpoint = await readCommittedCheckpoint(this.db, liveSchema(name));
      if (checkpoint && checkpoint.position >= position) waiter?.done(true);
    } catch (error) {
      waiter?.done(false);
      throw error;
    }
    return outcome;
  }

  /** A payload is `<projection>:<position>`. */
  private notified(payload: string): void {
    const separator = payload.lastIndexOf(':');
    const position = Number(payload.slice(separator + 1));
    if (separator > 0 && Number.isFinite(position)) this.reached(payload.slice(0, separator), position);
  }

  private async recheckAll(): Promise<void> {
    const names = new Set([...this.waiters].map((w) => w.name));
    for (const name of names) {
      try {
        const checkpoint = await readCommittedCheckpoint(this.db, liveSchema(name));
        if (checkpoint) this.reached(name, checkpoint.position);
      } catch (error) {
        this.logger.warn({ name, error: String(error) }, 'cannot read a projection checkpoint');
      }
    }
  }
}
