/**
 * Requests per minute per principal (RATE_LIMIT_PER_MINUTE): a fixed one-minute window per
 * principal id, counted after authentication (the per-address limit, counted before it, is
 * @fastify/rate-limit's: http/rate-limit.ts). In memory, per instance.
 */
const WINDOW_MS = 60_000;
/** principals tracked at once; past it, windows that have ended are dropped */
const MAX_TRACKED = 50_000;

export class PrincipalRateLimit {
  private readonly windows = new Map<string, { startMs: number; count: number }>();

  constructor(
    readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** 0 when the request may go on; otherwise the seconds until the principal's window ends. */
  hit(principalId: string): number {
    if (this.perMinute <= 0) return 0;
    const nowMs = this.now();
    let window = this.windows.get(principalId);
    if (!window || nowMs - window.startMs >= WINDOW_MS) {
      if (!window && this.windows.size >= MAX_TRACKED) this.prune(nowMs);
      window = { startMs: nowMs, count: 0 };
      this.windows.set(principalId, window);
    }
    window.count++;
    if (window.count <= this.perMinute) return 0;
    return Math.max(1, Math.ceil((window.startMs + WINDOW_MS - nowMs) / 1000));
  }

  private prune(nowMs: number): void {
    for (const [id, w] of this.windows) if (nowMs - w.startMs >= WINDOW_MS) this.windows.delete(id);
    if (this.windows.size >= MAX_TRACKED) this.windows.clear();
  }
}
