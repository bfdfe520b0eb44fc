/**
 * One dedicated LISTEN connection on one channel, shared by everything in the process that waits on
 * it (the store's live subscriptions, projection progress, erasure): it opens with the first
 * listener, closes after the last, and reconnects with back-off when lost. A listener is called
 * with each notification's payload, and with `undefined` whenever notifications may have gone by
 * unheard — once listening (again) and when the connection is lost — so it re-reads what it needs.
 */
import { Client, type ClientConfig } from 'pg';

/** Called with a notification's payload, or `undefined`: "something may have been missed". */
export type Wake = (payload?: string) => void;

const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5_000;

export class PostgresNotificationListener {
  private readonly wakes = new Set<Wake>();
  private client: Client | undefined;
  private connecting: Promise<void> | undefined;
  private cancelRetryDelay: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly config: ClientConfig,
    private readonly channel: string,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** Registers a wake-up; returns its removal (the last removal closes the connection). */
  add(wake: Wake): () => Promise<void> {
    if (this.closed) throw new Error('notification listener is closed');
    this.wakes.add(wake);
    this.ensureConnected();
    let removed = false;
    return async () => {
      if (removed) return;
      removed = true;
      this.wakes.delete(wake);
      if (this.wakes.size === 0) await this.disconnect();
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakes.clear();
    await this.disconnect();
  }

  /** Resolves once listening (immediately when already), or when closed. */
  async listening(): Promise<void> {
    while (this.wanted() && !this.client) {
      this.ensureConnected();
      await this.connecting;
    }
  }

  private wakeAll(payload?: string): void {
    for (const wake of this.wakes) wake(payload);
  }

  private wanted(): boolean {
    return !this.closed && this.wakes.size > 0;
  }

  private ensureConnected(): void {
    if (this.client || this.connecting) return;
    this.connecting = this.connectLoop().finally(() => {
      this.connecting = undefined;
    });
  }

  private async connectLoop(): Promise<void> {
    let delay = RETRY_MIN_MS;
    while (this.wanted() && !this.client) {
      const client = new Client(this.config);
      client.on('error', (error) => this.lost(client, error));
      try {
        await client.connect();
        await client.query(`LISTEN "${this.channel}"`);
      } catch (error) {
        this.onError(error);
        await client.end().catch(() => undefined);
        await this.retryDelay(delay);
        delay = Math.min(delay * 2, RETRY_MAX_MS);
        continue;
      }
      if (!this.wanted()) {
        await client.end().catch(() => undefined);
        return;
      }
      client.on('notification', (message) => {
        if (message.channel === this.channel) this.wakeAll(message.payload ?? '');
      });
      client.on('end', () => this.lost(client));
      this.client = client;
      // Whatever was notified while we were not listening: poll now.
      this.wakeAll();
    }
  }

  private lost(client: Client, error?: unknown): void {
    if (error !== undefined) this.onError(error);
    if (this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    this.wakeAll();
    if (this.wanted()) this.ensureConnected();
  }

  private retryDelay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.cancelRetryDelay = done;
    });
  }

  private async disconnect(): Promise<void> {
    this.cancelRetryDelay?.();
    await this.connecting;
    if (this.wanted()) return; // a new subscription arrived meanwhile: keep the connection
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
