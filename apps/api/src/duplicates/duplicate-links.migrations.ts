/**
 * The duplicate process's own table (decision 0008): which confirmed duplicate waits for which
 * original, as the process read it from the events. Written only by the process; rebuilt by replaying
 * the events from its checkpoint 0 (its rows are upserts, its commands idempotent).
 */
import type { Migration } from '@appeal-ledger/event-store';

export const DUPLICATE_LINKS_MIGRATIONS_TABLE = 'duplicate_links_migrations';

export const DUPLICATE_LINKS_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'duplicate-links',
    sql: `
CREATE TABLE duplicate_links (
  duplicate_id text   PRIMARY KEY,
  original_id  text   NOT NULL,
  position     bigint NOT NULL
);
CREATE INDEX duplicate_links_original ON duplicate_links (original_id);
`,
  },
];
