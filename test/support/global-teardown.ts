/** Stops the run's embedded PostgreSQL and removes its data folder. */
import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const handle = globalThis.__APPEAL_LEDGER_PG__;
  if (!handle) return;
  await handle.server.stop();
  rmSync(handle.dir, { recursive: true, force: true });
}
