/**
 * Slows down password guessing. Failed sign-ins are counted per login and per client address;
 * after FREE failures of a key, its next attempt must wait 1 s, then 2 s, 4 s … up to 15 minutes
 * (doubling with every further failure). A success clears the login's count; a key forgets its
 * failures 15 minutes after the last one. Kept in this instance's memory.
 */
const FREE_PER_LOGIN = 5;
const FREE_PER_ADDRESS = 20;
const MAX_DELAY_MS = 15 * 60_000;
const FORGET_AFTER_MS = 15 * 60_000;
const MAX_KEYS = 50_000;

interface Failures {
  count: number;
  lastMs: number;
}

export class SignInThrottle {
  private readonly failures = new Map<string, Failures>();

  /** Milliseconds to wait before this login may be tried from this address (0: go ahead). */
  waitMs(login: string, address: string, nowMs: number): number {
    return Math.max(
      this.wait(`login:${login}`, FREE_PER_LOGIN, nowMs),
      this.wait(`addr:${address}`, FREE_PER_ADDRESS, nowMs),
    );
  }

  failed(login: string, address: string, nowMs: number): void {
    if (this.failures.size >= MAX_KEYS) this.failures.clear();
    for (const key of [`login:${login}`, `addr:${address}`]) {
      const f = this.current(key, nowMs);
      this.failures.set(key, { count: (f?.count ?? 0) + 1, lastMs: nowMs });
    }
  }

  succeeded(login: string): void {
    this.failures.delete(`login:${login}`);
  }

  private current(key: string, nowMs: number): Failures | undefined {
    const f = this.failures.get(key);
    if (f && nowMs - f.lastMs > FORGET_AFTER_MS) {
      this.failures.delete(key);
      return undefined;
    }
    return f;
  }

  private wait(key: string, free: number, nowMs: number): number {
    const f = this.current(key, nowMs);
    if (!f || f.count < free) return 0;
    const delay = Math.min(1000 * 2 ** (f.count - free), MAX_DELAY_MS);
    return Math.max(0, f.lastMs + delay - nowMs);
  }
}
