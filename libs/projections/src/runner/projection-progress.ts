/**
 * Waiting for a projection to reach a position (`minPosition` reads) without polling: runners
 * NOTIFY after each committed batch; one LISTEN session per process wakes the waiters, which then
 * trust only the checkpoint row.
 */
import { Client } from 'pg';
import type { ClientConfig, Notification } from 'pg';
import { liveSchema } from '../projection.port';
import type { SqlExecutor } from '../projection.port';
import type { EngineLogger } from '../consumer/logger';
import { PROGRESS_CHANNEL, readCheckpoint } from './projection-schema';

interface Waiter {
  name: string;
  position: number;
  done(reached: boolean): void;
}

export class ProjectionProgress {
  private client: Client | null = null;
  private readonly waiters = new Set<Waiter>();
  private stopped = true;
  private reconnectTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly connection: ClientConfig,
    /** reads checkpoints (a Pool is fine) */
    private readonly db: SqlExecutor,
    private readonly logger: Pick<EngineLogger, 'warn'>,
    private readonly reconnectDelayMs = 1000,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.listen();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    for (const waiter of this.waiters) waiter.done(false);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
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
      const checkpoint = await readCheckpoint(this.db, liveSchema(name));
      if (checkpoint && checkpoint.position >= position) waiter?.done(true);
    } catch (error) {
      waiter?.done(false);
      throw error;
    }
    return outcome;
  }

  private async listen(): Promise<void> {
    const client = new Client(this.connection);
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    client.on('notification', (message: Notification) => this.notified(message));
    try {
      await client.connect();
      await client.query(`LISTEN ${PROGRESS_CHANNEL}`);
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    // commits may have happened while nobody listened
    await this.recheckAll();
  }

  private notified(message: Notification): void {
    if (message.channel !== PROGRESS_CHANNEL || !message.payload) return;
    const separator = message.payload.lastIndexOf(':');
    const position = Number(message.payload.slice(separator + 1));
    if (separator > 0 && Number.isFinite(position))
      this.reached(message.payload.slice(0, separator), position);
  }

  private lost(client: Client, error: unknown): void {
    if (this.client !== null && this.client !== client) return;
    this.client = null;
    void client.end().catch(() => undefined);
    if (this.stopped || this.reconnectTimer) return;
    this.logger.warn(
      { error: String(error) },
      'projection progress listener lost its connection; reconnecting',
    );
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopped) void this.listen();
    }, this.reconnectDelayMs);
  }

  private async recheckAll(): Promise<void> {
    const names = new Set([...this.waiters].map((w) => w.name));
    for (const name of names) {
      try {
        const checkpoint = await readCheckpoint(this.db, liveSchema(name));
        if (checkpoint) this.reached(name, checkpoint.position);
      } catch (error) {
        this.logger.warn({ name, error: String(error) }, 'cannot read a projection checkpoint');
      }
    }
  }
}
