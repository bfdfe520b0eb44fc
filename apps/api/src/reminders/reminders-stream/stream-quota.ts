/** Live streams open per principal (SSE_STREAMS_PER_PRINCIPAL), in this instance. */
export class StreamQuota {
  private readonly open = new Map<string, number>();

  constructor(readonly perPrincipal: number) {}

  /** A release function, or undefined when the principal already has its streams open. */
  acquire(principalId: string): (() => void) | undefined {
    const count = this.open.get(principalId) ?? 0;
    if (count >= this.perPrincipal) return undefined;
    this.open.set(principalId, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(principalId) ?? 1) - 1;
      if (left <= 0) this.open.delete(principalId);
      else this.open.set(principalId, left);
    };
  }
}
