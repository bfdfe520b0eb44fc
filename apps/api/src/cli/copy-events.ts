/**
 * Copies every event from one event store to another, then verifies each stream (count, SHA-256):
 *   npm run build && npm run copy-events -- \
 *     --from postgres://user:pass@db/appeals --to 'esdb://es1:2113,es2:2113,es3:2113?tls=false&nodePreference=leader'
 * Re-runnable: an interrupted copy resumes, a finished one copies nothing. Prints the report as JSON;
 * exits 1 when a stream conflicts or does not verify. Stop the engine's writers first.
 */
import { parseArgs } from 'node:util';
import { PostgresEventStore, copyEvents, type EventStore } from '@appeal-ledger/event-store';
import { createEventStoreDbEventStore } from '@appeal-ledger/event-store/eventstoredb';

async function openStore(url: string): Promise<EventStore> {
  if (/^esdb(\+discover)?:\/\//.test(url)) return createEventStoreDbEventStore(url);
  if (/^postgres(ql)?:\/\//.test(url)) {
    const store = new PostgresEventStore(url);
    await store.migrate(); // idempotent: creates the schema in an empty target
    return store;
  }
  throw new Error(`"${url}" is neither a postgres:// nor an esdb:// URL`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      'page-size': { type: 'string', default: '500' },
    },
  });
  if (!values.from || !values.to) {
    process.stderr.write(
      'usage: copy-events --from URL --to URL [--page-size 500]   (postgres:// or esdb://)\n',
    );
    return 2;
  }
  const source = await openStore(values.from);
  const target = await openStore(values.to);
  try {
    const report = await copyEvents(source, target, {
      pageSize: Number(values['page-size']),
      onProgress: ({ eventsRead, eventsCopied, position }) =>
        process.stderr.write(`read ${eventsRead}, copied ${eventsCopied}, source position ${position}\n`),
    });
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return report.conflicts.length > 0 || (report.verification?.mismatches.length ?? 0) > 0 ? 1 : 0;
  } finally {
    await source.close();
    await target.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`copy-events failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
